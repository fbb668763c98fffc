using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Profiles;

/// <summary>One answer of GitHub to a profile lookup or a restoration, or why there is none.</summary>
public sealed record GitHubAnswer(AnswerKind Kind)
{
    /// <summary>Per login asked: the profile, or null when GitHub knows no such account.</summary>
    public IReadOnlyDictionary<string, GitHubProfile?> Profiles { get; init; } = new Dictionary<string, GitHubProfile?>();

    public string? ETag { get; init; }

    public RateLimitStatus? RateLimit { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public string? Failure { get; init; }
}
