namespace GithubEvents.Enrich.Profiles;

/// <summary>An actor seen in recent events that has no fresh profile; <see cref="ETag"/> from its last REST lookup.</summary>
public sealed record PendingActor(long Id, string Login, string? ETag);
