using System.Text;
using System.Text.Json;
using GithubEvents.Ingest.Events;

namespace GithubEvents.Tests.Ingest;

public sealed class EventJsonTests
{
    [Fact]
    public void Reads_id_type_created_at_and_actor_id_from_every_fixture_event()
    {
        foreach (var line in ArchiveFixture.Lines)
        {
            var expected = JsonDocument.Parse(line).RootElement;

            Assert.True(EventJson.TryRead(Encoding.UTF8.GetBytes(line), out var fields, out var reason), reason);

            Assert.Equal(expected.GetProperty("id").GetString(), fields.Id);
            Assert.Equal(expected.GetProperty("type").GetString(), fields.Type);
            Assert.Equal(expected.GetProperty("created_at").GetString(), fields.CreatedAt);
            Assert.Equal(expected.GetProperty("actor").GetProperty("id").GetInt64(), fields.ActorId);
        }
    }

    [Theory]
    [InlineData("""{"id":"1","type":"WatchEvent","actor":{"id":5},"created_at":"x"} {}""", "malformed JSON")]
    [InlineData("""{"id":"1","type":"WatchEvent","actor":{"id":5},"created_at":"2025""", "malformed JSON")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{"id":1,"type":"WatchEvent","actor":{"id":5},"created_at":"x"}""", "no string id")]
    [InlineData("""{"id":"1","actor":{"id":5},"created_at":"x"}""", "no string type")]
    [InlineData("""{"id":"1","type":"WatchEvent","actor":{"id":5}}""", "no string created_at")]
    // The old Timeline format (before 2015): the actor is a login.
    [InlineData("""{"created_at":"2012/03/10 22:00:00 -0800","actor":"octocat","type":"WatchEvent","repository":{"id":1}}""", "no string id")]
    [InlineData("""{"id":"1","type":"WatchEvent","actor":"octocat","created_at":"x"}""", "no numeric actor.id")]
    public void Says_why_a_line_is_not_an_event(string json, string reason)
    {
        Assert.False(EventJson.TryRead(Encoding.UTF8.GetBytes(json), out _, out var actual));
        Assert.StartsWith(reason, actual);
    }
}
