namespace GithubEvents.Tests.Fakes;

/// <summary>A request as the fake received it, and the status it answered.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    /// <summary>The answer's status, once it is written (0 before).</summary>
    public int Status { get; set; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
