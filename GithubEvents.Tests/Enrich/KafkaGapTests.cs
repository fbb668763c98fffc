using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using GithubEvents.Enrich;
using GithubEvents.Enrich.Consuming;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Messages Kafka deleted before Enrich read them. The mock cluster keeps about 5 MB a partition and drops older
/// segments as a broker's retention would; the tests write past that into partition 0.
/// </summary>
public sealed class KafkaGapTests(PostgresServer postgres, KafkaMockCluster kafka) : IDisposable
{
    private const int Partition = 0;
    private const int Early = 20;
    private const int Filler = 80;

    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _lostByTopic = [];

    [Fact]
    public async Task A_committed_offset_Kafka_no_longer_has_is_logged_counted_recorded_and_consuming_goes_on_from_the_log_start()
    {
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        pipeline.Produce(Events(1, Early, padding: 0), Partition);
        await using (await pipeline.StartAsync())
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == Early, "the early events committed");
        }

        // While Enrich is away, Kafka's retention deletes the segments that hold the committed offset.
        pipeline.Produce(Events(1001, Filler, padding: 100_000), Partition);
        var (start, end) = (pipeline.Watermarks(Partition).Low.Value, pipeline.Watermarks(Partition).High.Value);
        Assert.True(start > Early, $"The mock cluster still has offset {Early} (log start {start}).");

        var logs = new LogCapture();
        Listen(pipeline.Topic);
        await using (await pipeline.StartAsync(logs: logs))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == end, "every offset Kafka has committed");
        }

        var error = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Equal(typeof(KafkaGapDetector).FullName, error.Category);
        Assert.Contains($"{pipeline.Topic} [{Partition}]", error.Message);
        Assert.Contains($"offsets {Early} to {start} (exclusive), {start - Early} messages", error.Message);
        Assert.Equal(start - Early, Lost(pipeline.Topic));

        var gap = Assert.Single(await Sql.RowsAsync(database,
            "SELECT topic, partition, from_offset, to_offset, before_time IS NULL, after_time > now() - INTERVAL '10 minutes' FROM kafka_gaps"));
        Assert.Equal([pipeline.Topic, Partition, (long)Early, start, true, true], gap);

        // Every event Kafka still had is stored, and those before the gap are: only the deleted ones are missing.
        Assert.Equal(Early, await pipeline.CountAsync("SELECT count(*) FROM events WHERE event_id <= 1000"));
        Assert.Equal(end - start, await pipeline.CountAsync("SELECT count(*) FROM events WHERE event_id > 1000"));
        Assert.Equal(1001 + (start - Early), await pipeline.CountAsync("SELECT min(event_id) FROM events WHERE event_id > 1000"));

        // The hour the gap was found in shows it.
        Assert.Equal([1L, start - Early], Assert.Single(await Sql.RowsAsync(database,
            "SELECT kafka_gaps, kafka_gap_offsets FROM v_capture_by_hour WHERE kafka_gaps > 0")));
    }

    [Fact]
    public async Task A_first_start_reads_from_the_log_start_without_reporting_a_gap()
    {
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        pipeline.Produce(Events(1, Early, padding: 0), Partition);
        pipeline.Produce(Events(1001, Filler, padding: 100_000), Partition);
        var (start, end) = (pipeline.Watermarks(Partition).Low.Value, pipeline.Watermarks(Partition).High.Value);
        Assert.True(start > 0, "The mock cluster still has offset 0.");

        var logs = new LogCapture();
        Listen(pipeline.Topic);
        await using (await pipeline.StartAsync(logs: logs))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == end, "every offset Kafka has committed");
        }

        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Equal(0, Lost(pipeline.Topic));
        Assert.Equal(0L, await pipeline.CountAsync("SELECT count(*) FROM kafka_gaps"));
        Assert.Equal(end - start, await pipeline.CountAsync());
    }

    private static IEnumerable<(string? Key, byte[] Value)> Events(long firstId, int count, int padding) =>
        Enumerable.Range(0, count).Select(i => ((string?)null, TestEvents.Event(
            firstId + i, "WatchEvent", DateTime.UtcNow, "octocat", 583231, "octocat/Hello-World",
            new JsonObject { ["action"] = "started", ["padding"] = new string('x', padding) })));

    private void Listen(string topic)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EnrichTelemetry.Name && instrument.Name == "enrich.kafka.offsets_lost")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "messaging.destination.name", Value: string named } && named == topic)
                {
                    lock (_lostByTopic)
                    {
                        _lostByTopic[named] = _lostByTopic.GetValueOrDefault(named) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    private long Lost(string topic)
    {
        lock (_lostByTopic)
        {
            return _lostByTopic.GetValueOrDefault(topic);
        }
    }

    public void Dispose() => _listener.Dispose();
}
