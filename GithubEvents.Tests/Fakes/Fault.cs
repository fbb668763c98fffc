namespace GithubEvents.Tests.Fakes;

/// <summary>A scripted answer that replaces the normal one, for errors on demand.</summary>
public sealed record Fault(int Status, string Body, string ContentType = "application/json; charset=utf-8")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Real time before the answer starts, to make clients time out.</summary>
    public TimeSpan Delay { get; init; }
}
