namespace GithubEvents.Enrich.Consuming;

/// <summary>A batch's messages sorted into the rows to write and the dead letters to send.</summary>
public sealed record TriagedBatch(List<ParsedEvent> Rows, List<DeadLetter> Rejected);
