namespace GithubEvents.Enrich.Profiles;

/// <summary>How GitHub answered a request of the lookups or the restorations.</summary>
public enum AnswerKind
{
    /// <summary>200 with what was asked for (some of it may be unknown to GitHub).</summary>
    Answered,
    NotModified,
    NotFound,

    /// <summary>The budget is spent until its reset (403/429 with nothing remaining, or GraphQL's RATE_LIMITED).</summary>
    RateLimited,

    /// <summary>Any other 403 or 429: GitHub's secondary rate limit.</summary>
    SecondaryRateLimited,

    /// <summary>401: no token, or a token GitHub refuses; GraphQL cannot be used.</summary>
    Unauthorized,

    /// <summary>5xx, timeouts, refused connections, malformed bodies.</summary>
    Failed,
}
