namespace GithubEvents.ServiceDefaults.GitHub;

/// <summary>The rate-limit headers of one answer; <see cref="Resource"/> names the budget (<c>core</c>, <c>graphql</c>).</summary>
public readonly record struct RateLimitStatus(int Limit, int Remaining, DateTimeOffset Reset, string? Resource = null);
