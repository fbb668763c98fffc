namespace GithubEvents.Tests.Infrastructure;

public sealed record RecordedExchange(
    string Method,
    string Path,
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string Body)
{
    public string? Header(string name) =>
        ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
