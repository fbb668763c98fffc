using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Answers a free-text location: from memory, then the <c>locations</c> table, then the offline gazetteer, and last
/// Nominatim, paced across all replicas. Every new answer is stored, negative ones too, so the table holds a row for
/// every key that was ever resolved. Strings with nothing left to look up (emoji, punctuation) get a negative answer
/// with the key "" that is not stored. Call it once the schema is ready (<c>StorageReadiness</c>).
/// </summary>
public sealed partial class Geocoder : IDisposable
{
    private readonly Gazetteer _gazetteer;
    private readonly LocationStore _store;
    private readonly NominatimClient _nominatim;
    private readonly NominatimPacing _pacing;
    private readonly GeocodingMetrics _metrics;
    private readonly ILogger<Geocoder> _logger;
    private readonly GeocodingOptions _options;
    private readonly bool _usesNominatim;
    private readonly MemoryCache _cache;

    public Geocoder(Gazetteer gazetteer, LocationStore store, NominatimClient nominatim, NominatimPacing pacing,
        IOptions<GeocodingOptions> options, GeocodingMetrics metrics, ILogger<Geocoder> logger)
    {
        (_gazetteer, _store, _nominatim, _pacing, _metrics, _logger) = (gazetteer, store, nominatim, pacing, metrics, logger);
        _options = options.Value;
        _usesNominatim = options.Value.UsesNominatim;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSize });
        if (!_usesNominatim)
        {
            LogOffline();
        }
    }

    /// <summary>Memory, the table, the gazetteer: never a network call. Null: unknown, Nominatim must be asked.</summary>
    public ValueTask<GeocodeResult?> TryResolveOfflineAsync(string location, CancellationToken cancellationToken) =>
        TryResolveOfflineAsync(location, LocationKey.Normalize(location) ?? "", cancellationToken);

    /// <summary>
    /// As <see cref="TryResolveOfflineAsync(string, CancellationToken)"/>, with the answer remembered and stored under
    /// <paramref name="key"/>: the key an actor's row already holds, which an older <see cref="LocationKey"/> may have
    /// made, so that the row finds its answer. "" for none: the answer is then not stored.
    /// </summary>
    public async ValueTask<GeocodeResult?> TryResolveOfflineAsync(string location, string key, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            return new GeocodeResult("", null, Providers.Gazetteer);
        }

        if (_cache.TryGetValue(key, out GeocodeResult? remembered))
        {
            _metrics.Cache("memory", hit: true);
            return remembered;
        }

        _metrics.Cache("memory", hit: false);
        var stored = await _store.FindAsync(key, cancellationToken);
        if (stored is not null && !(stored.Provider == Providers.Unresolved && _usesNominatim))
        {
            _metrics.Cache("database", hit: true);
            return Remember(stored);
        }

        _metrics.Cache("database", hit: false);
        var answer = LocationKey.Normalize(location) is { } normalized ? _gazetteer.Resolve(normalized) : GazetteerAnswer.NoLocation;
        return answer.Known ? await SaveAsync(new GeocodeResult(key, answer.Place, Providers.Gazetteer), cancellationToken) : null;
    }

    /// <summary>
    /// As <see cref="TryResolveOfflineAsync(string, CancellationToken)"/>, then Nominatim: waits for this replica's turn
    /// (one request a second across all replicas) and through Nominatim's back-offs when it is rate-limited or blocked.
    /// With Nominatim switched off, an unknown string is answered with provider <see cref="Providers.Unresolved"/>.
    /// Null: no answer now, ask again later; the location is set aside (Nominatim refused it, now or within its
    /// back-off), or Nominatim failed again right after a failure, which is taken for Nominatim's trouble, not the
    /// location's.
    /// </summary>
    public Task<GeocodeResult?> ResolveAsync(string location, CancellationToken cancellationToken) =>
        ResolveAsync(location, LocationKey.Normalize(location) ?? "", cancellationToken);

    /// <summary>As <see cref="ResolveAsync(string, CancellationToken)"/>, stored under <paramref name="key"/> (see <see cref="TryResolveOfflineAsync(string, string, CancellationToken)"/>).</summary>
    public async Task<GeocodeResult?> ResolveAsync(string location, string key, CancellationToken cancellationToken)
    {
        if (await TryResolveOfflineAsync(location, key, cancellationToken) is { } known)
        {
            return known;
        }

        if (!_usesNominatim)
        {
            return await SaveAsync(new GeocodeResult(key, null, Providers.Unresolved), cancellationToken);
        }

        if (await _store.IsSetAsideAsync(key, cancellationToken))
        {
            return null;
        }

        // Unknown offline: the gazetteer had a normalised location to look up.
        var normalized = LocationKey.Normalize(location)!;
        while (true)
        {
            var (reply, failuresBefore) = await _pacing.SendAsync(token => _nominatim.SearchAsync(location, normalized, token), cancellationToken);
            _metrics.NominatimRequest(reply.Outcome);
            if (reply.SlowsThePace)
            {
                _metrics.NominatimBackoff();
                LogRefused(reply.Outcome);
            }

            switch (reply.Trouble)
            {
                case NominatimTrouble.None:
                    return await SaveAsync(new GeocodeResult(key, reply.Place, Providers.Nominatim), cancellationToken);
                case NominatimTrouble.Query:
                case NominatimTrouble.Failed when failuresBefore == 0:
                    return await SetAsideAsync(key, reply.Outcome, cancellationToken);
                case NominatimTrouble.Failed:
                    return null;
            }

            // Overloaded: the same location again, once the pause every replica shares is over.
        }
    }

    public void Dispose() => _cache.Dispose();

    private async Task<GeocodeResult?> SetAsideAsync(string key, string outcome, CancellationToken cancellationToken)
    {
        var refusals = await _store.RefuseAsync(key, outcome, _options.LocationBackoffDelay, _options.MaxLocationBackoffDelay, cancellationToken);
        _metrics.SetAside(outcome);
        if (refusals < _options.MaxLocationRefusals)
        {
            LogSetAside(outcome, refusals);
            return null;
        }

        LogUnresolvable(refusals, outcome);
        return await SaveAsync(new GeocodeResult(key, null, Providers.Unresolvable), cancellationToken);
    }

    private async Task<GeocodeResult> SaveAsync(GeocodeResult result, CancellationToken cancellationToken)
    {
        await _store.SaveAsync(result, cancellationToken);
        _metrics.Answered(result);
        return Remember(result);
    }

    private GeocodeResult Remember(GeocodeResult result)
    {
        _cache.Set(result.Key, result, new MemoryCacheEntryOptions { Size = 1 });
        return result;
    }

    [LoggerMessage(LogLevel.Warning, "Geocoding:UserAgent is not set: locations the offline gazetteer does not know stay unresolved. Set it, with a contact, to ask Nominatim.")]
    private partial void LogOffline();

    [LoggerMessage(LogLevel.Warning, "Nominatim refused a search ({Outcome}); all replicas pause before the next")]
    private partial void LogRefused(string outcome);

    [LoggerMessage(LogLevel.Information, "Nominatim refused a location ({Outcome}, refusal {Refusals}); it is set aside for its back-off and the others go on")]
    private partial void LogSetAside(string outcome, int refusals);

    [LoggerMessage(LogLevel.Warning, "Nominatim refused a location {Refusals} times, the last {Outcome}; it is stored as unresolvable and not asked about again")]
    private partial void LogUnresolvable(int refusals, string outcome);
}
