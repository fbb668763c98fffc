using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// Messages produced and consumed, client errors, and consumer lag read from librdkafka's statistics.
/// </summary>
public sealed class KafkaMetrics
{
    public const string MeterName = "GithubEvents.Kafka";

    private readonly Counter<long> _produced;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _errors;

    // Per client, the lag of each partition it had in its latest statistics report: a partition that
    // was revoked drops out with the next report.
    private readonly ConcurrentDictionary<string, Dictionary<(string Topic, int Partition), long>> _lagByClient = new();

    public KafkaMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _produced = meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Messages delivered to Kafka.");
        _consumed = meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Messages consumed from Kafka.");
        _errors = meter.CreateCounter<long>("messaging.kafka.errors", "{error}", "Failed deliveries, failed consumes and client errors.");
        meter.CreateObservableGauge("messaging.kafka.consumer.lag", ObserveLag, "{message}",
            "Messages in a partition not yet consumed by this client, from librdkafka statistics.");
    }

    internal void Produced(string topic) =>
        _produced.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", topic));

    internal void Consumed(string topic) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", topic));

    internal void Error(string operation, ErrorCode code, string? topic = null) =>
        _errors.Add(1,
            new KeyValuePair<string, object?>("messaging.operation.name", operation),
            new KeyValuePair<string, object?>("error.type", code.ToString()),
            new KeyValuePair<string, object?>("messaging.destination.name", topic));

    /// <summary>
    /// Reads consumer lag from a librdkafka statistics report (<c>statistics.interval.ms</c>):
    /// <c>topics.{topic}.partitions.{id}.consumer_lag</c>, where -1 means not known yet.
    /// </summary>
    public void RecordStatistics(string statisticsJson)
    {
        using var document = JsonDocument.Parse(statisticsJson);
        var root = document.RootElement;
        if (!root.TryGetProperty("name", out var name) || !root.TryGetProperty("topics", out var topics))
        {
            return;
        }

        var lag = new Dictionary<(string Topic, int Partition), long>();
        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions))
            {
                continue;
            }

            foreach (var partition in partitions.EnumerateObject())
            {
                // librdkafka reports an internal "-1" partition for messages not yet assigned one.
                if (int.TryParse(partition.Name, out var id) && id >= 0
                    && partition.Value.TryGetProperty("consumer_lag", out var partitionLag)
                    && partitionLag.GetInt64() is var value and >= 0)
                {
                    lag[(topic.Name, id)] = value;
                }
            }
        }

        _lagByClient[name.GetString() ?? ""] = lag;
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        from client in _lagByClient
        from partition in client.Value
        select new Measurement<long>(partition.Value,
            new KeyValuePair<string, object?>("messaging.client.id", client.Key),
            new KeyValuePair<string, object?>("messaging.destination.name", partition.Key.Topic),
            new KeyValuePair<string, object?>("messaging.destination.partition.id", partition.Key.Partition));
}
