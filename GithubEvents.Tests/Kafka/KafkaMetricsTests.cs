using System.Diagnostics.Metrics;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Kafka;

public sealed class KafkaMetricsTests(KafkaMockCluster kafka) : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counters = [];
    private readonly Dictionary<int, long> _lagByPartition = [];
    private string _topic = "";

    [Fact]
    public async Task Counts_messages_produced_and_consumed_and_reports_consumer_lag_per_partition()
    {
        _topic = KafkaMockCluster.NewTopicName();
        var builder = KafkaClientHost.Builder(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Consumer:Config:group.id"] = $"group-{_topic}",
            ["Kafka:Consumer:Config:statistics.interval.ms"] = "100",
        });
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        using var host = builder.Build();
        Listen();
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, byte[]>>();

        for (var i = 0; i < 5; i++)
        {
            await producer.ProduceAsync(new TopicPartition(_topic, 0), new Message<string, byte[]> { Key = $"{i}", Value = [1] }, TestContext.Current.CancellationToken);
        }

        consumer.Assign(new TopicPartitionOffset(_topic, 0, Offset.Beginning));
        KafkaClientHost.ConsumeOne(consumer);
        consumer.Commit(KafkaClientHost.ConsumeOne(consumer));
        consumer.Pause(consumer.Assignment);

        // librdkafka counts lag from the committed offset. Polling a paused consumer fetches nothing
        // but serves the statistics callback.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long lag = -1;
        while (DateTime.UtcNow < deadline && lag != 3)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
            _listener.RecordObservableInstruments();
            lock (_lagByPartition)
            {
                lag = _lagByPartition.GetValueOrDefault(0, -1);
            }
        }

        Assert.Equal(3, lag);
        lock (_counters)
        {
            Assert.Equal(5, _counters.GetValueOrDefault("messaging.client.sent.messages"));
            Assert.Equal(2, _counters.GetValueOrDefault("messaging.client.consumed.messages"));
        }
    }

    [Fact]
    public async Task A_failed_send_counts_as_an_error_with_its_code()
    {
        _topic = KafkaMockCluster.NewTopicName();
        var builder = KafkaClientHost.Builder(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Producer:Config:message.max.bytes"] = "1000",
        });
        builder.AddKafkaProducer<string, byte[]>("kafka");
        using var host = builder.Build();
        Listen();
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();

        var error = await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
            producer.ProduceAsync(_topic, new Message<string, byte[]> { Key = "1", Value = new byte[5000] }, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
        lock (_counters)
        {
            Assert.Equal(1, _counters.GetValueOrDefault("messaging.kafka.errors/MsgSizeTooLarge"));
            Assert.Equal(0, _counters.GetValueOrDefault("messaging.client.sent.messages"));
        }
    }

    [Fact]
    public void Statistics_without_a_known_lag_report_none()
    {
        var metrics = new KafkaMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        _topic = "stats-topic";
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KafkaMetrics.MeterName && instrument.Name == "messaging.kafka.consumer.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(Record);
        _listener.Start();

        metrics.RecordStatistics("""{"name":"rdkafka#consumer-9","topics":{"stats-topic":{"partitions":{"0":{"consumer_lag":7},"1":{"consumer_lag":-1},"-1":{"consumer_lag":0}}}}}""");
        _listener.RecordObservableInstruments();
        lock (_lagByPartition)
        {
            Assert.Equal(new Dictionary<int, long> { [0] = 7 }, _lagByPartition);
            _lagByPartition.Clear();
        }

        // A later report without the partition (revoked) drops it.
        metrics.RecordStatistics("""{"name":"rdkafka#consumer-9","topics":{}}""");
        _listener.RecordObservableInstruments();
        lock (_lagByPartition)
        {
            Assert.Empty(_lagByPartition);
        }
    }

    private void Listen()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KafkaMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(Record);
        _listener.Start();
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? topic = null;
        string? errorType = null;
        int? partition = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "messaging.destination.name")
            {
                topic = tag.Value as string;
            }
            else if (tag.Key == "error.type")
            {
                errorType = tag.Value as string;
            }
            else if (tag.Key == "messaging.destination.partition.id")
            {
                partition = (int?)tag.Value;
            }
        }

        if (topic != _topic)
        {
            return;
        }

        if (instrument.Name == "messaging.kafka.consumer.lag")
        {
            lock (_lagByPartition)
            {
                _lagByPartition[partition!.Value] = value;
            }
        }
        else
        {
            var key = errorType is null ? instrument.Name : $"{instrument.Name}/{errorType}";
            lock (_counters)
            {
                _counters[key] = _counters.GetValueOrDefault(key) + value;
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
