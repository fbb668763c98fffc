using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>A consumed message that is not a storable event, and why.</summary>
/// <param name="Kind">A low-cardinality name of the reason, for metrics.</param>
public sealed record DeadLetter(ConsumeResult<string, byte[]> Source, string Kind, string Reason)
{
    public Message<string, byte[]> ToMessage() => DeadLetterMessage.FromConsumed(Source, Reason);
}
