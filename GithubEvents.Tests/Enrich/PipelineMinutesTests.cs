using System.Text.Json.Nodes;
using Confluent.Kafka;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GithubEvents.Tests.Enrich;

/// <summary>Issue 27: Enrich's figures per minute in <c>pipeline_minutes</c>, for the alert rules that read the database.</summary>
public sealed class PipelineMinutesTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Each_ended_minute_is_written_with_its_batches_dead_letters_by_reason_and_the_lag_per_partition_and_an_idle_one_with_zeros(SchemaFlavor path)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var topic = KafkaMockCluster.NewTopicName();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, byte[]> { Key = "k", Value = [1] }, cancellationToken);
            }
        }

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = topic,
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var finished = Enumerable.Range(0, 4).Select(_ => consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("nothing consumed")).ToList();
        var newest = finished.Max(message => message.Message.Timestamp.UtcDateTime);
        var time = new FakeTimeProvider(new DateTimeOffset(newest).AddSeconds(30));
        var figures = new PipelineFigures(time);
        var storage = new StorageOptions { DiskBytes = 42_000_000_000 };
        var recorder = new PipelineFiguresRecorder(consumer, figures, new PipelineMinutesWriter(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(storage)),
            database.Readiness, Microsoft.Extensions.Options.Options.Create(storage), time, NullLogger<PipelineFiguresRecorder>.Instance);
        var minute = Floor(time.GetUtcNow().UtcDateTime);

        figures.Batch(4);
        figures.Written(TimeSpan.FromSeconds(1.5));
        figures.DeadLettered("unparsable");
        figures.DeadLettered("unparsable");
        figures.DeadLettered("too_large");
        figures.Finished(finished);
        time.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(cancellationToken);
        time.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(cancellationToken);

        var rows = await Sql.RowsAsync(database.ConnectionString,
            """
            SELECT minute, consumer, batches, messages, write_seconds, dead_letters, dead_letters_by_reason::text, lag_messages, lag_seconds,
                   lag_by_partition::text, disk_bytes
            FROM pipeline_minutes ORDER BY minute
            """);
        Assert.Equal(2, rows.Count);
        var busy = rows[0];
        Assert.Equal(minute, (DateTime)busy[0]!);
        Assert.Equal(PipelineFiguresRecorder.Replica, busy[1]);
        Assert.Equal((1, 4, 1.5, 3), ((int)busy[2]!, (int)busy[3]!, (double)busy[4]!, (int)busy[5]!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"unparsable": 2, "too_large": 1}"""), JsonNode.Parse((string)busy[6]!)));
        // 6 messages left on the partition; the newest finished was stamped 90 s before the minute's end.
        Assert.Equal((6L, 90.0), ((long)busy[7]!, (double)busy[8]!));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""[{"topic": "{{topic}}", "partition": 0, "messages": 6, "seconds": 90}]"""), JsonNode.Parse((string)busy[9]!)));
        Assert.Equal(42_000_000_000L, busy[10]);
        var idle = rows[1];
        Assert.Equal(minute.AddMinutes(1), (DateTime)idle[0]!);
        Assert.Equal((0, 0, 0.0, 0, "{}"), ((int)idle[2]!, (int)idle[3]!, (double)idle[4]!, (int)idle[5]!, (string)idle[6]!));
    }

    private static DateTime Floor(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
}
