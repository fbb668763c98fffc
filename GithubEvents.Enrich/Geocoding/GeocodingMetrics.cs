using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>Geocoding's instruments, on Enrich's meter. Cache hit ratio: hits / (hits + misses), per layer.</summary>
public sealed class GeocodingMetrics(EnrichMeter meter)
{
    private readonly Counter<long> _lookups = meter.Counter("enrich.geocoding.lookups", "{lookup}", "Locations answered, by the provider of the answer and its outcome (place, none)");
    private readonly Counter<long> _cacheHits = meter.Counter("enrich.geocoding.cache.hits", "{lookup}", "Lookups answered by a cache layer (memory, database)");
    private readonly Counter<long> _cacheMisses = meter.Counter("enrich.geocoding.cache.misses", "{lookup}", "Lookups a cache layer (memory, database) did not answer");
    private readonly Counter<long> _nominatimRequests = meter.Counter("enrich.geocoding.nominatim.requests", "{request}", "Requests sent to Nominatim, by outcome");
    private readonly Counter<long> _setAside = meter.Counter("enrich.geocoding.set_aside", "{location}", "Locations set aside after Nominatim refused them, by outcome; those refused too often are answered as unresolvable");
    private readonly Counter<long> _nominatimBackoffs = meter.Counter("enrich.geocoding.nominatim.backoffs", "{backoff}", "Pauses after Nominatim refused or failed (429, 5xx, block page)");

    public void Answered(GeocodeResult result) => _lookups.Add(1,
        new KeyValuePair<string, object?>("provider", result.Provider),
        new KeyValuePair<string, object?>("outcome", result.Place is null ? "none" : "place"));

    public void Cache(string layer, bool hit) => (hit ? _cacheHits : _cacheMisses).Add(1, new KeyValuePair<string, object?>("layer", layer));

    public void NominatimRequest(string outcome) => _nominatimRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void NominatimBackoff() => _nominatimBackoffs.Add(1);

    public void SetAside(string outcome) => _setAside.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
