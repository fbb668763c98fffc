using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Profiles;

/// <summary>The lookups' instruments, on Enrich's meter.</summary>
public sealed class ProfileMetrics
{
    private readonly Counter<long> _resolved;
    private readonly Counter<long> _notFound;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _actorsAsked;
    private readonly Counter<long> _backlogTaken;

    public ProfileMetrics(IMeterFactory meterFactory, ProfileBudget budget)
    {
        var meter = meterFactory.Create(EnrichTelemetry.Name);
        _resolved = meter.CreateCounter<long>("enrich.profiles.resolved", "{actor}", "Actors whose profile was stored, by source (graphql, rest, login for bots)");
        _notFound = meter.CreateCounter<long>("enrich.profiles.not_found", "{actor}", "Actors GitHub no longer knows, marked so that they are not asked about again");
        _cacheLookups = meter.CreateCounter<long>("enrich.profiles.cache.lookups", "{actor}", "Recent actors checked against the profile cache, by result (hit, miss)");
        _requests = meter.CreateCounter<long>("enrich.github.requests", "{request}", "Profile requests sent to GitHub, by API (graphql, rest)");
        _actorsAsked = meter.CreateCounter<long>("enrich.github.actors_asked", "{actor}", "Actors asked about in those requests, by API");
        _backlogTaken = meter.CreateCounter<long>("enrich.profiles.backlog_taken", "{actor}", "Actors of older rows (actor_backlog) taken for a lookup, within Profiles:BacklogBudgetShare");
        meter.CreateObservableGauge("enrich.github.budget.remaining", () => budget.Budgets.Select(pair =>
            new Measurement<int>(pair.Value.Remaining, new KeyValuePair<string, object?>("resource", pair.Key))),
            "{request}", "What is left of each GitHub budget (core requests, graphql points) as GitHub last said");
    }

    public void Resolved(string source, int actors, int missing)
    {
        _resolved.Add(actors - missing, new KeyValuePair<string, object?>("source", source));
        _notFound.Add(missing);
    }

    public void CacheLookups(int hits, int misses)
    {
        _cacheLookups.Add(hits, new KeyValuePair<string, object?>("result", "hit"));
        _cacheLookups.Add(misses, new KeyValuePair<string, object?>("result", "miss"));
    }

    public void BacklogTaken(int actors) => _backlogTaken.Add(actors);

    public void Request(string api, int actors)
    {
        var tag = new KeyValuePair<string, object?>("api", api);
        _requests.Add(1, tag);
        _actorsAsked.Add(actors, tag);
    }
}
