using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// Issue 25's outage, black-box: Ingest polls the fake GitHub's moving feed and Enrich stores what it sends, both as the
/// services register them, when every Kafka broker goes down for two minutes and comes back.
/// </summary>
public sealed partial class BrokerOutageTests(PostgresServer postgres)
{
    // 20 events a second for two minutes is 2,400 events, more than the buffer holds: the poller must pause, and the
    // feed's 300-event window turns over while it does.
    private const double EventsPerSecond = 20;
    private const int BufferSize = 1_000;
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task After_two_minutes_without_brokers_every_event_the_feed_showed_is_stored_once_and_the_minutes_not_delivered_are_recorded()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // A cluster of its own: the assembly's is shared by every test running beside this one.
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        await using var gitHub = FakeGitHub.WithRecordedFixtures();
        await gitHub.InitializeAsync();
        gitHub.SetEvents([]);
        gitHub.ReleaseEvents(EventsPerSecond, i => SyntheticEvents.Event((int)i));

        await using var enrich = await pipeline.StartAsync();
        var logs = new LogCapture();
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, logs, new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = gitHub.BaseAddress.ToString(),
            ["GitHub:Token"] = PollingRun<TimeProvider>.Token,
            ["GitHub:PollInterval"] = "00:00:02",
            ["Kafka:Topics:Raw"] = pipeline.Topic,
            ["Kafka:Topics:Polls"] = pipeline.PollsTopic,
            ["Kafka:Topics:DeadLetters"] = pipeline.DeadLetterTopic,
            ["Kafka:Publishing:BufferSize"] = BufferSize.ToString(CultureInfo.InvariantCulture),
        });
        builder.AddEventPublishing();
        builder.AddLivePolling();
        using var ingest = builder.Build();
        await ingest.StartAsync(cancellation);
        await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() >= 100, "events stored before the outage");

        kafka.TakeBrokersDown();
        var releasedBefore = gitHub.ReleasedEvents;
        await Task.Delay(Outage, cancellation);
        Assert.True(gitHub.ReleasedEvents - releasedBefore > BufferSize, "the outage outlasts what Ingest holds");
        kafka.BringBrokersUp();

        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(ResumedLine(logs) is not null), "polling resumed", Patience);
        var undeliveredMinutes = int.Parse(ResumedLine(logs)!.Groups["minutes"].Value, CultureInfo.InvariantCulture);
        var requestsAtResume = gitHub.Requests.Count;
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(gitHub.Requests.Count >= requestsAtResume + 3), "polls after the outage", Patience);
        await ingest.StopAsync(cancellation);

        var shown = gitHub.ShownOnPublicFeed.Select(json => long.Parse(JsonNode.Parse(json)!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToHashSet();
        await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() >= shown.Count, "every event the feed showed stored", Patience);
        await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync("SELECT count(*) FROM ingest_polls WHERE undelivered") >= undeliveredMinutes,
            "the undelivered minutes' figures stored");

        var stored = (await Sql.RowsAsync(database, "SELECT event_id FROM events")).Select(row => (long)row[0]!).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(shown.Order(), stored.Order());
        Assert.True(shown.Count < gitHub.ReleasedEvents, "events turned over on the feed while the poller was paused");

        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Polling paused", StringComparison.Ordinal));
        Assert.True(undeliveredMinutes >= 1);
        Assert.Equal(undeliveredMinutes, await pipeline.CountAsync("SELECT count(*) FROM ingest_polls WHERE undelivered"));
        Assert.True(await pipeline.CountAsync("SELECT sum(missed_polls) FROM ingest_polls") >= 1, "the first poll after the pause found the feed all new");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"released {gitHub.ReleasedEvents}, shown and stored {shown.Count}, undelivered minutes {undeliveredMinutes}, {ResumedLine(logs)!.Value}");
        var hours = await Sql.RowsAsync(database, "SELECT undelivered_minutes, known_incomplete FROM v_capture_by_hour WHERE undelivered_minutes > 0");
        Assert.Equal(undeliveredMinutes, hours.Sum(hour => (long)hour[0]!));
        Assert.All(hours, hour => Assert.True((bool)hour[1]!));
    }

    private static Match? ResumedLine(LogCapture logs) => logs.Entries.Select(e => Resumed().Match(e.Message)).FirstOrDefault(m => m.Success);

    [GeneratedRegex(@"^Polling resumed after .*; (?<minutes>\d+) minute\(s\) recorded as undelivered$")]
    private static partial Regex Resumed();
}
