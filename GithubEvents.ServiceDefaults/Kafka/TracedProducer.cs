using System.Diagnostics;
using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// A producer that traces each send, carries the trace context in the message headers and counts
/// deliveries and failures. Everything else passes straight to the inner producer.
/// </summary>
internal sealed class TracedProducer<TKey, TValue>(IProducer<TKey, TValue> inner, KafkaMetrics metrics, bool tracing)
    : IProducer<TKey, TValue>
{
    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceTracedAsync(topic, message, () => inner.ProduceAsync(topic, message, cancellationToken));

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceTracedAsync(topicPartition.Topic, message, () => inner.ProduceAsync(topicPartition, message, cancellationToken));

    private async Task<DeliveryResult<TKey, TValue>> ProduceTracedAsync(
        string topic,
        Message<TKey, TValue> message,
        Func<Task<DeliveryResult<TKey, TValue>>> produce)
    {
        // The span starts (and writes its context into the headers) before the inner producer serialises the message.
        using var activity = tracing ? KafkaTracing.StartPublish(topic, message) : null;
        try
        {
            var result = await produce();
            metrics.Produced(topic);
            return result;
        }
        catch (ProduceException<TKey, TValue> ex)
        {
            Failed(activity, topic, ex.Error);
            throw;
        }
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        ProduceWithReport(topic, message, report => inner.Produce(topic, message, report), deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        ProduceWithReport(topicPartition.Topic, message, report => inner.Produce(topicPartition, message, report), deliveryHandler);

    // The span of a fire-and-forget send ends when its delivery report arrives, on librdkafka's thread; the
    // caller's current activity is restored at once so that its next spans are not children of this send.
    private void ProduceWithReport(
        string topic,
        Message<TKey, TValue> message,
        Action<Action<DeliveryReport<TKey, TValue>>> produce,
        Action<DeliveryReport<TKey, TValue>>? deliveryHandler)
    {
        var caller = Activity.Current;
        var activity = tracing ? KafkaTracing.StartPublish(topic, message) : null;
        Activity.Current = caller;
        try
        {
            produce(report =>
            {
                if (report.Error.IsError)
                {
                    Failed(activity, topic, report.Error);
                }
                else
                {
                    metrics.Produced(topic);
                }

                var deliveryThreadActivity = Activity.Current;
                activity?.Dispose();
                Activity.Current = deliveryThreadActivity;
                deliveryHandler?.Invoke(report);
            });
        }
        catch (ProduceException<TKey, TValue> ex)
        {
            Failed(activity, topic, ex.Error);
            activity?.Dispose();
            throw;
        }
    }

    private void Failed(Activity? activity, string topic, Error error)
    {
        metrics.Error("send", error.Code, topic);
        activity?.SetStatus(ActivityStatusCode.Error, error.Reason);
    }

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void Dispose() => inner.Dispose();
}
