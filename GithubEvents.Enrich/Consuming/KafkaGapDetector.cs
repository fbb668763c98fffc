using Confluent.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Finds the messages Kafka deleted before this consumer read them. The consumer resets a partition whose next offset
/// Kafka no longer has to the oldest one it has (<c>auto.offset.reset=earliest</c>); librdkafka does so in silence, and a
/// consumer that asks for the error instead cannot seek the partition afterwards. So each message's offset is compared
/// with the one expected next (after a rebalance: the committed offset): one further on, where Kafka's log now starts
/// after the expected offset, is a gap, which is logged, counted and handed to the batch to be recorded. A partition
/// without a committed offset (a new group or partition) starts wherever Kafka's log does, with no gap.
/// </summary>
public sealed partial class KafkaGapDetector(PartitionTracker partitions, EnrichMetrics metrics, ILogger<KafkaGapDetector> logger)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<TopicPartition, (long? Offset, DateTime? Time)> _next = [];
    private readonly List<KafkaGap> _found = [];
    private int _assignments = -1;

    public void Check(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> message)
    {
        // A partition (re)assigned starts again from its committed offset.
        if (partitions.Assignments != _assignments)
        {
            _assignments = partitions.Assignments;
            _next.Clear();
        }

        var partition = message.TopicPartition;
        var offset = message.Offset.Value;
        try
        {
            var (expected, before) = _next.TryGetValue(partition, out var next) ? next : (Committed(consumer, partition), null);
            if (expected is { } from && offset > from && consumer.QueryWatermarkOffsets(partition, QueryTimeout).Low.Value > from)
            {
                Found(new KafkaGap(partition.Topic, partition.Partition.Value, from, offset, before, message.Message.Timestamp.UtcDateTime));
            }
        }
        catch (KafkaException ex)
        {
            LogNotChecked(partition.Topic, partition.Partition.Value, offset, ex.Error.Reason);
        }

        _next[partition] = (offset + 1, message.Message.Timestamp.UtcDateTime);
    }

    /// <summary>The gaps found since the last call, for the batch that holds the first message after each.</summary>
    public List<KafkaGap> TakeFound()
    {
        var found = _found.ToList();
        _found.Clear();
        return found;
    }

    private static long? Committed(IConsumer<string, byte[]> consumer, TopicPartition partition) =>
        consumer.Committed([partition], QueryTimeout)[0].Offset is { IsSpecial: false } committed ? committed.Value : null;

    private void Found(KafkaGap gap)
    {
        _found.Add(gap);
        metrics.OffsetsLost(gap.Topic, gap.Lost);
        LogGap(gap.Topic, gap.Partition, gap.FromOffset, gap.ToOffset, gap.Lost, gap.Before, gap.After);
    }

    [LoggerMessage(LogLevel.Error,
        "Kafka deleted messages of {Topic} [{Partition}] before they were read: offsets {FromOffset} to {ToOffset} (exclusive), {Lost} messages, " +
        "between {Before} and {After}; going on from the oldest message Kafka has. The gap is recorded in kafka_gaps")]
    private partial void LogGap(string topic, int partition, long fromOffset, long toOffset, long lost, DateTime? before, DateTime after);

    [LoggerMessage(LogLevel.Warning,
        "Could not check {Topic} [{Partition}] at offset {Offset} for messages Kafka deleted before they were read ({Reason}); a gap before it goes unrecorded")]
    private partial void LogNotChecked(string topic, int partition, long offset, string reason);
}
