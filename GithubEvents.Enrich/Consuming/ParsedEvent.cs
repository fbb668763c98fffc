using Confluent.Kafka;
using GithubEvents.Enrich.Events;

namespace GithubEvents.Enrich.Consuming;

/// <summary>A consumed message that is a storable event, and its row.</summary>
public sealed record ParsedEvent(ConsumeResult<string, byte[]> Source, EventRow Row);
