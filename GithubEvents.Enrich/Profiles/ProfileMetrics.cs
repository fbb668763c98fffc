using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Profiles;

/// <summary>The lookups' instruments, on Enrich's meter.</summary>
public sealed class ProfileMetrics(EnrichMeter meter, ProfileBudget budget)
{
    private readonly Counter<long> _resolved = meter.Counter("enrich.profiles.resolved", "{actor}", "Actors whose profile was stored, by source (graphql, rest, login for bots)");
    private readonly Counter<long> _notFound = meter.Counter("enrich.profiles.not_found", "{actor}", "Actors GitHub no longer knows, marked so that they are not asked about again");
    private readonly Counter<long> _cacheLookups = meter.Counter("enrich.profiles.cache.lookups", "{actor}", "Recent actors checked against the profile cache, by result (hit, miss)");
    private readonly Counter<long> _requests = meter.Counter("enrich.github.requests", "{request}", "Profile requests sent to GitHub, by API (graphql, rest)");
    private readonly Counter<long> _actorsAsked = meter.Counter("enrich.github.actors_asked", "{actor}", "Actors asked about in those requests, by API");
    private readonly Counter<long> _backlogTaken = meter.Counter("enrich.profiles.backlog_taken", "{actor}", "Actors of older rows (actor_backlog) taken for a lookup, within Profiles:BacklogBudgetShare");

    // Read by the meter's listeners whenever they collect.
    private readonly ObservableGauge<int> _budgetRemaining = meter.Meter.CreateObservableGauge("enrich.github.budget.remaining", () => budget.Budgets.Select(pair =>
        new Measurement<int>(pair.Value.Remaining, new KeyValuePair<string, object?>("resource", pair.Key))),
        "{request}", "What is left of each GitHub budget (core requests, graphql points) as GitHub last said");

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
