using Confluent.Kafka;
using GithubEvents.Ingest.Events;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

public sealed class KafkaUnreachableTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task Sends_wait_behind_the_bounded_buffer_while_Kafka_is_unreachable_and_all_arrive_once_it_answers()
    {
        var builder = IngestTestHost.Builder($"127.0.0.1:{FreePort.Next()}", TimeProvider.System, new LogCapture(), new Dictionary<string, string?>
        {
            ["Kafka:Publishing:BufferSize"] = "2",
            ["Kafka:Publishing:RetryDelay"] = "00:00:00.050",
            // Deliveries fail after 3 s, so that the publisher's own retries are exercised too, yet leave
            // librdkafka time to connect to the brokers added later.
            ["Kafka:Producer:Config:message.timeout.ms"] = "3000",
        });
        builder.AddEventPublishing();
        using var host = builder.Build();
        using var metrics = new IngestMetrics(host.Services);
        var publisher = host.Services.GetRequiredService<EventPublisher>();
        var events = Enumerable.Range(0, 3).Select(i => ArchiveEvent(ArchiveFixture.Lines[i])).ToList();
        var cancellation = TestContext.Current.CancellationToken;

        await publisher.PublishAsync(events[0], EventSources.Live, cancellation);
        await publisher.PublishAsync(events[1], EventSources.Live, cancellation);
        var third = publisher.PublishAsync(events[2], EventSources.Live, cancellation).AsTask();

        Assert.False(third.IsCompleted);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (metrics["github.events.delivery_retries"] < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellation);
        }

        Assert.True(metrics["github.events.delivery_retries"] >= 2);
        Assert.False(third.IsCompleted);

        host.Services.GetRequiredService<IProducer<string, byte[]>>().AddBrokers(kafka.BootstrapServers);
        await third.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        await publisher.DrainAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(30), cancellation);

        var messages = TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: 3);
        Assert.Equal(events.Select(e => e.Fields.Key).Order(), messages.Select(m => m.Message.Key).Order());
    }

    private static RawEvent ArchiveEvent(string line)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(line);
        Assert.True(EventJson.TryRead(json, out var fields, out _));
        return new RawEvent(json, fields);
    }
}
