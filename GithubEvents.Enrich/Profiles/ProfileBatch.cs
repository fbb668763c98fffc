namespace GithubEvents.Enrich.Profiles;

/// <summary>One parsed answer: a profile, or null for a login GitHub does not know, per login asked.</summary>
public sealed record ProfileBatch(IReadOnlyDictionary<string, GitHubProfile?> Profiles, GraphQLRateLimit? RateLimit, bool RateLimited);
