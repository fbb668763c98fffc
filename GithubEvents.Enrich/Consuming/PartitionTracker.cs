using Confluent.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Which partitions this consumer owns right now, kept by the consumer's rebalance handlers (which run inside
/// <c>Consume</c>, on the consuming thread). The consumer drops in-flight work of partitions it lost, whose new
/// owner starts again from the last committed offset.
/// </summary>
public sealed partial class PartitionTracker(ILogger<PartitionTracker> logger)
{
    private readonly HashSet<TopicPartition> _assigned = [];

    public void Attach<TKey, TValue>(ConsumerBuilder<TKey, TValue> builder) => builder
        .SetPartitionsAssignedHandler((_, partitions) =>
        {
            _assigned.UnionWith(partitions);
            Assignments++;
            LogAssigned(string.Join(", ", partitions));
        })
        .SetPartitionsRevokedHandler((_, partitions) => Remove(partitions.Select(partition => partition.TopicPartition), "revoked"))
        .SetPartitionsLostHandler((_, partitions) => Remove(partitions.Select(partition => partition.TopicPartition), "lost"));

    public bool Owns(TopicPartition partition) => _assigned.Contains(partition);

    /// <summary>How many times partitions were assigned: a change tells the gap detector to start from the committed offsets.</summary>
    public int Assignments { get; private set; }

    /// <summary>How many times partitions were revoked or lost: a change tells the consumer to check its batch.</summary>
    public int Removals { get; private set; }

    private void Remove(IEnumerable<TopicPartition> partitions, string how)
    {
        var removed = partitions.ToList();
        _assigned.ExceptWith(removed);
        Removals++;
        LogRemoved(how, string.Join(", ", removed));
    }

    [LoggerMessage(LogLevel.Information, "Partitions assigned: {Partitions}")]
    private partial void LogAssigned(string partitions);

    [LoggerMessage(LogLevel.Information, "Partitions {How}: {Partitions}")]
    private partial void LogRemoved(string how, string partitions);
}
