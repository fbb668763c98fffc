namespace GithubEvents.Ingest.GitHub;

public enum FeedOutcome
{
    Events,
    NotModified,

    /// <summary>403 or 429 with <c>x-ratelimit-remaining: 0</c>: the hourly budget is spent until its reset.</summary>
    RateLimited,

    /// <summary>Any other 403 or 429: GitHub's secondary rate limit.</summary>
    SecondaryRateLimited,

    /// <summary>5xx, timeouts, refused or broken connections and other errors worth retrying (a broken page is no failure: <see cref="GithubEvents.Ingest.Events.FeedPageSplitter"/>).</summary>
    Failed,
}
