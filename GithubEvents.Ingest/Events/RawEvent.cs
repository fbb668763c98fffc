namespace GithubEvents.Ingest.Events;

/// <summary>An event's JSON bytes exactly as received, and the fields read from them.</summary>
public sealed record RawEvent(ReadOnlyMemory<byte> Json, EventFields Fields);
