namespace GithubEvents.Tests.Ingest;

/// <summary>Small events with ids of their own, for feeds that move.</summary>
internal static class SyntheticEvents
{
    public static string Event(int i) =>
        $$"""{"id":"{{80000000000L + i}}","type":"WatchEvent","actor":{"id":{{1000 + i}},"login":"user{{i}}"},"repo":{"id":1,"name":"o/r"},"payload":{"action":"started"},"public":true,"created_at":"2026-11-26T12:00:00Z"}""";

    /// <summary>Events <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1, newest (highest) first.</summary>
    public static IEnumerable<string> NewestFirst(int from, int count) => Enumerable.Range(from, count).Reverse().Select(Event);
}
