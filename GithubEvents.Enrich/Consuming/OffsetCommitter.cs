using Confluent.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>Commits the offsets after a finished batch, for the partitions this consumer still owns.</summary>
public sealed partial class OffsetCommitter(IConsumer<string, byte[]> consumer, PartitionTracker partitions, ILogger<OffsetCommitter> logger)
{
    public void Commit(IEnumerable<ConsumeResult<string, byte[]>> batch)
    {
        var offsets = batch
            .Where(message => partitions.Owns(message.TopicPartition))
            .GroupBy(message => message.TopicPartition)
            .Select(messages => new TopicPartitionOffset(messages.Key, messages.Max(message => message.Offset.Value) + 1))
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
            LogCommitted(string.Join(", ", offsets));
        }
        catch (KafkaException ex)
        {
            // The rows are in; the messages come again after a rebalance and are skipped as duplicates.
            LogCommitFailed(ex, ex.Error.Code);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Committed {Offsets}")]
    private partial void LogCommitted(string offsets);

    [LoggerMessage(LogLevel.Warning, "Committing offsets failed ({Code}); the stored messages will be redelivered and skipped")]
    private partial void LogCommitFailed(Exception exception, ErrorCode code);
}
