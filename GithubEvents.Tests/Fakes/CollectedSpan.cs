namespace GithubEvents.Tests.Fakes;

/// <summary>A span as a service exported it over OTLP: hex ids, its parent (empty for a root) and its links.</summary>
public sealed record CollectedSpan(
    string Service,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyList<(string TraceId, string SpanId)> Links);
