using System.Text;
using GithubEvents.Ingest;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

public sealed class LivePublishingTests(KafkaMockCluster kafka)
{
    // The shape of the feed since October 2025: PushEvent without commits, odd spacing kept as it came.
    private const string TrimmedPushEvent =
        """{"id":"52000000001", "type":"PushEvent","actor":{"id":583231,"login":"octocat","display_login":"octocat","gravatar_id":"","url":"https://api.github.com/users/octocat","avatar_url":"https://avatars.githubusercontent.com/u/583231?"},"repo":{"id":1296269,"name":"octocat/Hello-World","url":"https://api.github.com/repos/octocat/Hello-World"},"payload":{"repository_id":1296269,"push_id":27000000001,"ref":"refs/heads/main","head":"7fd1a60b01f91b314f59955a4e4d4e80d8edf11d","before":"762941318ee16e59dabbacb1b4049eec22f0d303"},"public":true,"created_at":"2025-11-03T10:15:00Z"}""";

    [Fact]
    public async Task Events_land_as_received_keyed_by_actor_with_type_created_at_source_and_trace_headers()
    {
        using var spans = new ActivityCapture(source => source.Name is IngestTelemetry.Name or KafkaTracing.ActivitySourceName);
        var fullPayloadEvent = ArchiveFixture.Lines[0];
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.SetEvents([TrimmedPushEvent, fullPayloadEvent]));
        await run.Time.NextWaitAsync();

        var messages = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 2);

        Assert.Equal(2, messages.Count);
        var trimmed = Assert.Single(messages, m => m.Message.Key == "583231");
        Assert.Equal(Encoding.UTF8.GetBytes(TrimmedPushEvent), trimmed.Message.Value);
        Assert.Equal("PushEvent", Header(trimmed, EventHeaders.Type));
        Assert.Equal("2025-11-03T10:15:00Z", Header(trimmed, EventHeaders.CreatedAt));
        Assert.Equal("live", Header(trimmed, EventHeaders.Source));
        // Other tests' pollers run at the same time and record their polls too: the message's trace must be one poll's.
        var trace = KafkaTracing.Extract(trimmed.Message.Headers).TraceId;
        var polls = spans.Stopped.Where(activity => activity.Source.Name == IngestTelemetry.Name);
        var poll = Assert.Single(polls, poll => poll.TraceId == trace);
        Assert.Equal("poll GitHub events", poll.DisplayName);

        var full = Assert.Single(messages, m => m.Message.Key == "71354125");
        Assert.Equal(Encoding.UTF8.GetBytes(fullPayloadEvent), full.Message.Value);
        Assert.Equal("DeleteEvent", Header(full, EventHeaders.Type));
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string, byte[]> result, string name) =>
        Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));
}
