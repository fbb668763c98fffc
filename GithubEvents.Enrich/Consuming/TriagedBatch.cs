using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// A batch's messages sorted into the rows to write, the poll figures to store and the dead letters to send, and the
/// Kafka gaps found while it was consumed, to record.
/// </summary>
public sealed record TriagedBatch(List<ParsedEvent> Rows, List<PollFigures> Polls, List<DeadLetter> Rejected, List<KafkaGap> Gaps);
