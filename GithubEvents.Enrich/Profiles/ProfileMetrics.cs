using System.Diagnostics.Metrics;
using GithubEvents.Enrich.Pipeline;

namespace GithubEvents.Enrich.Profiles;

/// <summary>The lookups' and the late filling's instruments, on Enrich's meter.</summary>
public sealed class ProfileMetrics
{
    private readonly Counter<long> resolved;
    private readonly Counter<long> notFound;
    private readonly Counter<long> cacheLookups;
    private readonly Counter<long> requests;
    private readonly Counter<long> actorsAsked;
    private readonly Counter<long> rowsFilled;
    private volatile IReadOnlyList<Coverage> coverage = [];

    public ProfileMetrics(IMeterFactory meterFactory, ProfileBudget budget)
    {
        var meter = meterFactory.Create(EnrichMetrics.MeterName);
        resolved = meter.CreateCounter<long>("enrich.profiles.resolved", "{actor}", "Actors whose profile was stored, by source (graphql, rest, login for bots)");
        notFound = meter.CreateCounter<long>("enrich.profiles.not_found", "{actor}", "Actors GitHub no longer knows, marked so that they are not asked about again");
        cacheLookups = meter.CreateCounter<long>("enrich.profiles.cache.lookups", "{actor}", "Recent actors checked against the profile cache, by result (hit, miss)");
        requests = meter.CreateCounter<long>("enrich.github.requests", "{request}", "Profile requests sent to GitHub, by API (graphql, rest)");
        actorsAsked = meter.CreateCounter<long>("enrich.github.actors_asked", "{actor}", "Actors asked about in those requests, by API");
        rowsFilled = meter.CreateCounter<long>("enrich.rows.filled", "{event}", "Event rows filled in with a profile after they were written");
        meter.CreateObservableGauge("enrich.github.budget.remaining", () => budget.Budgets.Select(pair =>
            new Measurement<int>(pair.Value.Remaining, new KeyValuePair<string, object?>("resource", pair.Key))),
            "{request}", "What is left of each GitHub budget (core requests, graphql points) as GitHub last said");
        meter.CreateObservableGauge("enrich.coverage.profile_share", () => coverage.Select(c =>
            new Measurement<double>(c.ProfileShare, new KeyValuePair<string, object?>("period", c.Period))),
            "1", "Share of the period's events whose actor has a profile (v_enrichment_coverage)");
        meter.CreateObservableGauge("enrich.coverage.country_share", () => coverage.Select(c =>
            new Measurement<double>(c.CountryShare, new KeyValuePair<string, object?>("period", c.Period))),
            "1", "Share of the period's events with a country (v_enrichment_coverage)");
    }

    public void Resolved(string source, int actors, int missing)
    {
        resolved.Add(actors - missing, new KeyValuePair<string, object?>("source", source));
        notFound.Add(missing);
    }

    public void CacheLookups(int hits, int misses)
    {
        cacheLookups.Add(hits, new KeyValuePair<string, object?>("result", "hit"));
        cacheLookups.Add(misses, new KeyValuePair<string, object?>("result", "miss"));
    }

    public void Request(string api, int actors)
    {
        var tag = new KeyValuePair<string, object?>("api", api);
        requests.Add(1, tag);
        actorsAsked.Add(actors, tag);
    }

    public void Filled(long rows) => rowsFilled.Add(rows);

    public void Covered(IReadOnlyList<Coverage> periods) => coverage = periods;
}
