using Confluent.Kafka;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Ingest;

public sealed class TopicSetupTests(KafkaMockCluster kafka)
{
    [Fact]
    public void By_default_the_three_topics_get_six_partitions_48_hours_512_MB_and_snappy()
    {
        var topics = TopicSetup.Specifications(new TopicOptions());

        Assert.Equal(["github.events.raw", "github.events.dlq", "github.ingest.polls"], topics.Select(t => t.Name));
        Assert.All(topics, topic =>
        {
            Assert.Equal(6, topic.NumPartitions);
            Assert.Equal(-1, topic.ReplicationFactor);
            Assert.Equal(new Dictionary<string, string>
            {
                ["retention.ms"] = "172800000",
                ["retention.bytes"] = "8589934592",
                ["compression.type"] = "snappy",
            }, topic.Configs);
        });
    }

    [Fact]
    public void Partitions_retention_and_compression_are_settable()
    {
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, new LogCapture(), new Dictionary<string, string?>
        {
            ["Kafka:Topics:Partitions"] = "12",
            ["Kafka:Topics:ReplicationFactor"] = "3",
            ["Kafka:Topics:Retention"] = "7.00:00:00",
            ["Kafka:Topics:RetentionBytes"] = "1073741824",
            ["Kafka:Topics:CompressionType"] = "zstd",
        });
        builder.AddEventPublishing();
        using var host = builder.Build();

        var raw = TopicSetup.Specifications(host.Services.GetRequiredService<IOptions<TopicOptions>>().Value)[0];

        Assert.Equal(12, raw.NumPartitions);
        Assert.Equal(3, raw.ReplicationFactor);
        Assert.Equal("604800000", raw.Configs["retention.ms"]);
        Assert.Equal("1073741824", raw.Configs["retention.bytes"]);
        Assert.Equal("zstd", raw.Configs["compression.type"]);
    }

    [Fact]
    public async Task Without_a_controller_start_up_goes_on_with_a_warning_and_the_first_write_creates_the_topic()
    {
        var logs = new LogCapture();
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, logs);
        builder.AddEventPublishing();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        await producer.ProduceAsync(host.RawTopic(), new Message<string, byte[]> { Key = "1", Value = "{}"u8.ToArray() }, TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(logs.Entries, log => log.Level == LogLevel.Warning && log.Message.StartsWith($"Could not create Kafka topic {host.RawTopic()}", StringComparison.Ordinal));
        Assert.Single(TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: 1));
    }
}
