using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// Spans for Kafka sends and receives, with the W3C trace context (<c>traceparent</c>, <c>tracestate</c>)
/// carried in message headers so that one trace runs from the GitHub poll to the database write.
/// </summary>
public static class KafkaTracing
{
    public const string ActivitySourceName = "GithubEvents.Kafka";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// Starts a producer span and writes its context, or the current one where nobody listens, into the headers.
    /// </summary>
    internal static Activity? StartPublish<TKey, TValue>(string topic, Message<TKey, TValue> message)
    {
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", topic);
        }

        if ((activity ?? Activity.Current) is { } context)
        {
            message.Headers ??= [];
            Inject(context, message.Headers);
        }

        return activity;
    }

    /// <summary>Records a consumer span whose parent is the producer's context from the headers.</summary>
    internal static void RecordReceive<TKey, TValue>(ConsumeResult<TKey, TValue> result, string? groupId)
    {
        using var activity = Source.StartActivity(
            $"{result.Topic} receive",
            ActivityKind.Consumer,
            Extract(result.Message.Headers));
        if (activity is null)
        {
            return;
        }

        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.operation.type", "receive");
        activity.SetTag("messaging.destination.name", result.Topic);
        activity.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        activity.SetTag("messaging.kafka.offset", result.Offset.Value);
        activity.SetTag("messaging.consumer.group.name", groupId);
    }

    /// <summary>
    /// The trace context a message carries, for the span that processes it (default when it carries none).
    /// </summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(
            headers,
            static (carrier, name, out value, out values) =>
            {
                values = null;
                value = ((Headers)carrier!).TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
            },
            out var traceParent,
            out var traceState);

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    private static void Inject(Activity activity, Headers headers)
    {
        DistributedContextPropagator.Current.Inject(
            activity,
            headers,
            static (carrier, name, value) =>
            {
                var target = (Headers)carrier!;
                target.Remove(name);
                target.Add(name, Encoding.UTF8.GetBytes(value));
            });
    }
}
