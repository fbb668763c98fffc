namespace GithubEvents.Tests.Fakes;

/// <summary>An event of the fake's activity: when it happens, where, and whether the public feed's sample shows it.</summary>
/// <param name="Repo">The repository's <c>owner/name</c>: its feed shows the event.</param>
/// <param name="Org">The organisation whose feed shows it too, if any.</param>
public sealed record ScheduledEvent(DateTimeOffset At, string Repo, string? Org, string Json, bool OnPublicFeed);
