using System.Diagnostics;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// The span of one batch's processing, as OpenTelemetry's messaging conventions have it for batches: a new trace,
/// linked to the trace of each message (from its headers), up to <see cref="MaxLinks"/> of them.
/// </summary>
public static class BatchTracing
{
    public const int MaxLinks = 128;

    public static Activity? StartProcess(string topic, IReadOnlyCollection<ConsumeResult<string, byte[]>> batch)
    {
        var links = batch
            .Select(message => KafkaTracing.Extract(message.Message.Headers))
            .Where(context => context != default)
            .Take(MaxLinks)
            .Select(context => new ActivityLink(context));
        var activity = EnrichTelemetry.ActivitySource.StartActivity($"{topic} process", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.batch.message_count", batch.Count);
        return activity;
    }
}
