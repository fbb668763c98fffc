using GithubEvents.Ingest.Events;

namespace GithubEvents.Ingest.GitHub;

/// <summary>What one poll of an events feed read (<see cref="FeedReader"/>).</summary>
/// <param name="Fresh">The events new to the poller, newest first.</param>
/// <param name="Last">The last answer; null when no request was allowed.</param>
/// <param name="Missed">Even the deepest page was all new, on a feed read before: events left it between two polls.</param>
public sealed record FeedRead(IReadOnlyList<RawEvent> Fresh, int Duplicates, int Requests, FeedPage? Last, bool Missed)
{
    /// <summary>The answer that ended the poll when it was a limit or a failure, which the poller waits out.</summary>
    public FeedPage? Refused => Last is { Outcome: not (FeedOutcome.Events or FeedOutcome.NotModified) } ? Last : null;
}
