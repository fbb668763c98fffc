namespace GithubEvents.Enrich.Profiles;

public enum AnswerKind
{
    Profiles,
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
