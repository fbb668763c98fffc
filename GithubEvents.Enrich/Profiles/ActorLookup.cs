namespace GithubEvents.Enrich.Profiles;

/// <summary>What a lookup found about one actor: a profile, or (null) that GitHub knows no such account.</summary>
public sealed record ActorLookup(long Id, string Login, GitHubProfile? Profile, string? ETag = null);
