namespace GithubEvents.Enrich.Restoring;

/// <summary>A stored event of a watched repository whose trimmed payload waits for its <see cref="RestoreTarget"/>'s answer.</summary>
public sealed record RestorableRow(DateTimeOffset Time, long EventId, string EventType, string Payload, string Kind);
