using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// Issue 25: no bytes in a page of the events feed stop or stall the live poller. Each element that is an event is
/// published as it was sent; each other element, and each stretch of a broken page, is dead-lettered with its reason and
/// its place; the poll figures count them.
/// </summary>
public sealed class MutatedFeedTests(KafkaMockCluster kafka)
{
    // Fewer than Enrich's: every topic is read back whole, and the mock cluster keeps only 5 MB of a partition.
    private const int Polls = 30;
    private const int PageSize = 100;

    [Fact]
    public async Task Pages_of_mutated_events_and_broken_arrays_are_read_every_event_published_as_sent_every_other_element_dead_lettered_and_counted()
    {
        var mutants = EventMutations.Make(ArchiveFixture.Events, Polls * PageSize, seed: 4711);
        var random = new Random(4711);
        // Every other page with broken array syntax too.
        var pages = mutants.Chunk(PageSize).Select((chunk, i) => MutatedPage.Make(chunk.Select(mutant => mutant.Bytes).ToList(), broken: i % 2 == 1, random)).ToList();
        var expected = FirstOfEachId(pages.SelectMany(page => page.Elements).Where(GitHubEventCheck.IsIngestEvent));
        var others = pages.Sum(page => page.Elements.Count(element => !GitHubEventCheck.IsIngestEvent(element)));
        Assert.True(expected.Count > Polls * PageSize / 4 && others > Polls * PageSize / 10, $"{expected.Count} events, {others} other elements");

        await using var run = await LivePollerRun.StartAsync(kafka, github => github.ServeRawFeed(pages[0].Body));
        var wait = await run.Time.NextWaitAsync();
        for (var i = 1; i < pages.Count; i++)
        {
            run.GitHub.ServeRawFeed(pages[i].Body);
            wait = await run.PollAgainAsync(wait);
        }

        // Still polling: every page was asked for and answered, and no poll failed.
        var requests = run.FeedRequests;
        Assert.Equal(pages.Count, requests.Count);
        Assert.All(requests, request => Assert.Equal(200, request.Status));
        Assert.DoesNotContain(run.Logs.Entries, log => log.Level >= LogLevel.Error);

        var events = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected.Count);
        Assert.Equal(
            expected.Select(Convert.ToBase64String).Order(),
            events.Select(message => Convert.ToBase64String(message.Message.Value)).Order());

        var figures = Figures(run.Host.PollsTopic(), pages.Count);
        var letters = TopicContents.Read(kafka.BootstrapServers, run.Host.DeadLetterTopic(), figures.Sum(f => f.DeadLetters));
        Assert.Equal(letters.Count, figures.Sum(f => f.DeadLetters));
        Assert.Equal(expected.Count, figures.Sum(f => f.NewEvents));

        var polledAt = requests.Select(request => request.At).ToList();
        var covered = pages.Select(_ => new List<(int Start, int End)>()).ToList();
        foreach (var letter in letters)
        {
            Assert.False(string.IsNullOrWhiteSpace(Header(letter, DeadLetterHeaders.Reason)));
            var source = Header(letter, DeadLetterHeaders.SourceFile);
            var page = polledAt.FindIndex(at => source == $"events page 1, polled {at:O}");
            Assert.True(page >= 0, source);
            var start = int.Parse(Header(letter, DeadLetterHeaders.SourceByte), CultureInfo.InvariantCulture);
            var value = letter.Message.Value;
            var length = letter.Message.Headers.TryGetLastBytes(DeadLetterHeaders.SourceLength, out var cut)
                ? int.Parse(Encoding.UTF8.GetString(cut), CultureInfo.InvariantCulture)
                : value.Length;
            Assert.True(value.Length <= EventPublisher.MaxDeadLetterBytes && (length == value.Length || value.Length == EventPublisher.MaxDeadLetterBytes));
            Assert.Equal(pages[page].Body[start..(start + value.Length)], value);
            covered[page].Add((start, start + length));
        }

        // Each element that is no event lies within what was dead-lettered of its page (a stretch may hold several).
        for (var page = 0; page < pages.Count; page++)
        {
            foreach (var (start, end) in pages[page].Ranges.Where(range => !GitHubEventCheck.IsIngestEvent(pages[page].Body[range.Start..range.End])))
            {
                Assert.True(Covered(covered[page], start, end), $"page {page + 1}: bytes {start} to {end} are neither published nor dead-lettered");
            }
        }
    }

    // The poller drops an id it has seen: a mutation may have made two events' ids the same.
    private static List<byte[]> FirstOfEachId(IEnumerable<byte[]> events)
    {
        var seen = new HashSet<string>();
        return events.Where(json => seen.Add(Id(json))).ToList();
    }

    private static string Id(byte[] json)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json)));
        var id = document.RootElement.EnumerateObject().Last(member => member.NameEquals("id")).Value;
        try
        {
            return id.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return id.GetRawText();
        }
    }

    // The last figures of each minute, as Enrich keeps them.
    private List<PollFigures> Figures(string topic, int polls)
    {
        var all = TopicContents.Read(kafka.BootstrapServers, topic, polls)
            .Select(message => PollFigures.TryParse(message.Message.Value, out var figures, out _) ? figures : throw new InvalidOperationException("unreadable figures"))
            .ToList();
        Assert.Equal(polls, all.Count);
        return all.GroupBy(figures => figures.Minute).Select(minute => minute.MaxBy(figures => figures.Requests)!).ToList();
    }

    private static bool Covered(List<(int Start, int End)> ranges, int start, int end)
    {
        foreach (var (from, to) in ranges.OrderBy(range => range.Start))
        {
            if (from <= start && to > start)
            {
                start = to;
            }
        }

        return start >= end;
    }

    private static string Header(ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
