using GithubEvents.Ingest.Events;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.GitHub;

/// <summary>One page of the public events feed, or why there is none.</summary>
public sealed record FeedPage(FeedOutcome Outcome)
{
    public IReadOnlyList<RawEvent> Events { get; init; } = [];

    /// <summary>
    /// The page's elements that are not events Ingest can key (no id or actor id), and the stretches of it that are no
    /// elements at all (<see cref="FeedPageSplitter"/>), in the order of the page.
    /// </summary>
    public IReadOnlyList<RejectedPiece> Rejected { get; init; } = [];

    public bool HasNextPage { get; init; }

    public TimeSpan? PollInterval { get; init; }

    public RateLimitStatus? RateLimit { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A short reason for <see cref="FeedOutcome.Failed"/>, fit for a metric tag.</summary>
    public string? FailureType { get; init; }

    public string? FailureMessage { get; init; }
}
