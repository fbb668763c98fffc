using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Ingest;

public sealed class ShutdownAccountingTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task At_shutdown_what_Kafka_has_not_acknowledged_within_the_drain_timeout_is_logged_and_counted_as_lost()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = $"127.0.0.1:{FreePort.Next()}",
            ["Kafka:Publishing:DrainTimeout"] = "00:00:01",
        });
        await run.Time.NextWaitAsync();
        var published = run.Metrics["github.events.published"];
        Assert.True(published > 0);

        await run.Host.StopAsync(TestContext.Current.CancellationToken);

        // The poll's events and its figures.
        var lost = published + 1;
        var entry = Assert.Single(run.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith($"{lost} messages were lost at shutdown: Kafka had not acknowledged them 00:00:01 after it began", entry.Message);
        Assert.Contains("no time since Ingest started", entry.Message);
        Assert.Equal(lost, run.Metrics["github.events.lost_at_shutdown"]);
    }

    [Fact]
    public async Task At_shutdown_what_Kafka_acknowledges_in_time_is_delivered_and_nothing_is_counted_lost()
    {
        await using var run = await LivePollerRun.StartAsync(kafka);
        await run.Time.NextWaitAsync();
        var published = run.Metrics["github.events.published"];

        await run.Host.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(run.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal(0, run.Metrics["github.events.lost_at_shutdown"]);
        Assert.Equal(published, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: (int)published).Count);
    }
}
