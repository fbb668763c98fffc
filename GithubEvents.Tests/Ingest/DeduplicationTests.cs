using System.Text;
using GithubEvents.Ingest.GitHub;

namespace GithubEvents.Tests.Ingest;

public sealed class DeduplicationTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task Events_seen_in_an_earlier_poll_are_dropped_and_counted()
    {
        await using var run = await LivePollerRun.StartAsync(kafka);
        var wait = await run.Time.NextWaitAsync();

        run.GitHub.Publish(SyntheticEvents.NewestFirst(0, 5));
        await run.PollAgainAsync(wait);

        var messages = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 35);
        Assert.Equal(35, messages.Count);
        Assert.Equal(35, messages.Select(m => EventId(m.Message.Value)).Distinct().Count());
        Assert.Equal(30, run.Metrics["github.events.duplicates"]);
    }

    [Fact]
    public void The_window_forgets_the_oldest_id_once_full()
    {
        var ids = new RecentEventIds(capacity: 3);

        Assert.True(ids.Add("1"));
        Assert.True(ids.Add("2"));
        Assert.False(ids.Add("1"));
        Assert.True(ids.Add("3"));
        Assert.True(ids.Add("4"));

        Assert.True(ids.Add("1"));
        Assert.False(ids.Add("4"));
        Assert.Equal(3, ids.Count);
    }

    private static string EventId(byte[] json) =>
        System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(json)).RootElement.GetProperty("id").GetString()!;
}
