using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>Geocoding's instruments, on Enrich's meter. Cache hit ratio: hits / (hits + misses), per layer.</summary>
public sealed class GeocodingMetrics
{
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _nominatimRequests;
    private readonly Counter<long> _nominatimBackoffs;

    public GeocodingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(EnrichTelemetry.Name);
        _lookups = meter.CreateCounter<long>("enrich.geocoding.lookups", "{lookup}", "Locations answered, by the provider of the answer and its outcome (place, none)");
        _cacheHits = meter.CreateCounter<long>("enrich.geocoding.cache.hits", "{lookup}", "Lookups answered by a cache layer (memory, database)");
        _cacheMisses = meter.CreateCounter<long>("enrich.geocoding.cache.misses", "{lookup}", "Lookups a cache layer (memory, database) did not answer");
        _nominatimRequests = meter.CreateCounter<long>("enrich.geocoding.nominatim.requests", "{request}", "Requests sent to Nominatim, by outcome");
        _nominatimBackoffs = meter.CreateCounter<long>("enrich.geocoding.nominatim.backoffs", "{backoff}", "Pauses after Nominatim refused or failed (429, 5xx, block page)");
    }

    public void Answered(GeocodeResult result) => _lookups.Add(1,
        new KeyValuePair<string, object?>("provider", result.Provider),
        new KeyValuePair<string, object?>("outcome", result.Place is null ? "none" : "place"));

    public void Cache(string layer, bool hit) => (hit ? _cacheHits : _cacheMisses).Add(1, new KeyValuePair<string, object?>("layer", layer));

    public void NominatimRequest(string outcome) => _nominatimRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void NominatimBackoff() => _nominatimBackoffs.Add(1);
}
