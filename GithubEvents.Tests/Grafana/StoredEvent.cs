namespace GithubEvents.Tests.Grafana;

/// <summary>One stored event as the dashboard should see it: the parser's columns plus what the enrichment filled in.</summary>
internal sealed record StoredEvent(DateTime Time, long EventId, string Type, string Actor, long ActorId, string? Repo, string Detail, bool IsBot,
    string? Country, string? CountryCode, string? Company, short Sources);
