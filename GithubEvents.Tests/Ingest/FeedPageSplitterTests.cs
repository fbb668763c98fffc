using System.Text;
using GithubEvents.Ingest.Events;

namespace GithubEvents.Tests.Ingest;

public sealed class FeedPageSplitterTests
{
    private const string First = """{"id":"1","type":"WatchEvent","actor":{"id":5},"created_at":"x","payload":{"a":[1,{"b":"}"}]}}""";
    private const string Second = """{ "id" : "2", "type":"WatchEvent","actor":{"id":6},"created_at":"x" }""";

    [Fact]
    public void Splits_a_well_formed_page_into_the_exact_bytes_of_each_element()
    {
        var body = $"[\n  {First},\n  {Second},{{\"message\":\"not an event\"}}\n]\n";

        Assert.Equal([(First, null), (Second, null), ("""{"message":"not an event"}""", null)], Pieces(body));
    }

    [Fact]
    public void An_empty_page_has_no_pieces()
    {
        Assert.Empty(Pieces(" [ ] "));
    }

    [Theory]
    // A cut-off element: its bytes up to the next event are one stretch, the comma with them.
    [InlineData("""{"id":"9","type":"P""", "malformed JSON")]
    // An unterminated string that would run into the next element.
    [InlineData("""{"id":"9","type":"P,"x":[{"sha":"a"},{"sha":"b"}],"z":{""", "malformed JSON")]
    // An object that something other than a separator follows.
    [InlineData("""{"id":"9"}"type":"x"}""", "an object that no separator follows")]
    [InlineData("""garbage""", "not a JSON object")]
    public void A_broken_element_is_a_stretch_that_runs_to_the_next_event(string broken, string why)
    {
        var pieces = Pieces($"[{First},{broken},{Second}]");

        Assert.Equal(3, pieces.Count);
        Assert.Equal((First, null), pieces[0]);
        Assert.Equal(broken + ",", pieces[1].Bytes);
        Assert.StartsWith(why, pieces[1].Broken);
        Assert.Equal((Second, null), pieces[2]);
    }

    [Fact]
    public void Elements_without_commas_between_them_are_still_elements()
    {
        Assert.Equal([(First, null), (Second, null)], Pieces($"[{First}{Second}]"));
    }

    [Fact]
    public void A_page_with_no_element_boundary_is_one_stretch()
    {
        const string body = """[{"id":"1","type":"WatchEvent","actor":{"id":5,"created_at":"x"},{"id":"2""";

        var piece = Assert.Single(Pieces(body));

        Assert.Equal(body[1..], piece.Bytes);
        Assert.StartsWith("malformed JSON", piece.Broken);
    }

    [Fact]
    public void Bytes_after_the_closing_bracket_are_a_stretch()
    {
        Assert.Equal([(First, null), ("x]", "not a JSON object")], Pieces($"[{First}]x]"));
    }

    private static List<(string Bytes, string? Broken)> Pieces(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return FeedPageSplitter.Split(bytes).Select(piece => (Encoding.UTF8.GetString(bytes, piece.Offset, piece.Length), piece.Broken)).ToList();
    }
}
