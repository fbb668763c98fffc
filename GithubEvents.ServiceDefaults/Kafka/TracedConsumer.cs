using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// A consumer that records a receive span (parented on the producer's trace context) and counts each
/// message consumed and each failed consume. Everything else passes straight to the inner consumer.
/// </summary>
internal sealed class TracedConsumer<TKey, TValue>(IConsumer<TKey, TValue> inner, KafkaMetrics metrics, bool tracing, string? groupId)
    : IConsumer<TKey, TValue>
{
    public ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout) => Observe(() => inner.Consume(millisecondsTimeout));

    public ConsumeResult<TKey, TValue>? Consume(CancellationToken cancellationToken = default) => Observe(() => inner.Consume(cancellationToken));

    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout) => Observe(() => inner.Consume(timeout));

    private ConsumeResult<TKey, TValue>? Observe(Func<ConsumeResult<TKey, TValue>?> consume)
    {
        ConsumeResult<TKey, TValue>? result;
        try
        {
            result = consume();
        }
        catch (ConsumeException ex)
        {
            metrics.Error("receive", ex.Error.Code, ex.ConsumerRecord?.Topic);
            throw;
        }

        // A null result is a timeout; IsPartitionEOF is a marker, not a message.
        if (result is { IsPartitionEOF: false })
        {
            metrics.Consumed(result.Topic);
            if (tracing)
            {
                KafkaTracing.RecordReceive(result, groupId);
            }
        }

        return result;
    }

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public string MemberId => inner.MemberId;

    public List<TopicPartition> Assignment => inner.Assignment;

    public List<string> Subscription => inner.Subscription;

    public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;

    public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

    public void Subscribe(string topic) => inner.Subscribe(topic);

    public void Unsubscribe() => inner.Unsubscribe();

    public void Assign(TopicPartition partition) => inner.Assign(partition);

    public void Assign(TopicPartitionOffset partition) => inner.Assign(partition);

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => inner.Assign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => inner.IncrementalAssign(partitions);

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => inner.IncrementalUnassign(partitions);

    public void Unassign() => inner.Unassign();

    public void StoreOffset(ConsumeResult<TKey, TValue> result) => inner.StoreOffset(result);

    public void StoreOffset(TopicPartitionOffset offset) => inner.StoreOffset(offset);

    public List<TopicPartitionOffset> Commit() => inner.Commit();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => inner.Commit(offsets);

    public void Commit(ConsumeResult<TKey, TValue> result) => inner.Commit(result);

    public void Seek(TopicPartitionOffset tpo) => inner.Seek(tpo);

    public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => inner.Committed(timeout);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);

    public Offset Position(TopicPartition partition) => inner.Position(partition);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        inner.OffsetsForTimes(timestampsToSearch, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => inner.GetWatermarkOffsets(topicPartition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => inner.QueryWatermarkOffsets(topicPartition, timeout);

    public void Close() => inner.Close();

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void Dispose() => inner.Dispose();
}
