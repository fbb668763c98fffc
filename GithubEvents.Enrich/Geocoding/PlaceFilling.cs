using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Geocodes the locations of known actors that have no place yet, the most common first, as soon as the resolver stores
/// new ones (<see cref="NewLocations"/>): those the gazetteer knows all at once, the others through Nominatim one at a time
/// (the <see cref="Geocoder"/> paces them; one Nominatim refuses is set aside and the others go on). Each answer fills in
/// the rows of the actors with that location. Bots are never geocoded (they have no location key). One replica at a time.
/// </summary>
public sealed partial class PlaceFilling(
    LocationStore locations,
    Geocoder geocoder,
    RowFiller filler,
    NewLocations newLocations,
    PlaceFillingPace pace,
    IOptions<GeocodingOptions> geocoding,
    LeaderElection election,
    ILogger<PlaceFilling> logger) : LeaderService(election, "the geocoding of actors' locations", AdvisoryLocks.Places, logger)
{
    private const int ListSize = 100;

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    protected override TimeSpan AcquireInterval => pace.IdleInterval;

    protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        var unplaced = await locations.UnplacedLocationsAsync(geocoding.Value.UsesNominatim, ListSize, cancellationToken);
        if (unplaced.Count == 0)
        {
            await newLocations.WaitAsync(pace.IdleInterval, Time, cancellationToken);
            return TimeSpan.Zero;
        }

        await PlaceAsync(unplaced, cancellationToken);
        return TimeSpan.Zero;
    }

    protected override TimeSpan BackOff(int failures) => Retries.Exponential(FirstBackOff, MaxBackOff, failures);

    private async Task PlaceAsync(List<(string Location, string Key)> unplaced, CancellationToken cancellationToken)
    {
        var offline = new List<string>();
        var online = new List<(string Location, string Key)>();
        foreach (var (location, key) in unplaced)
        {
            if (await geocoder.TryResolveOfflineAsync(location, key, cancellationToken) is { } answer && answer.Provider != Providers.Unresolved)
            {
                offline.Add(key);
            }
            else
            {
                online.Add((location, key));
            }
        }

        if (offline.Count > 0)
        {
            await FillAsync([.. offline], cancellationToken);
        }

        foreach (var (location, key) in online)
        {
            // Null: set aside (see Geocoder.ResolveAsync); the next location goes on, this one comes back in a later pass.
            if (await geocoder.ResolveAsync(location, key, cancellationToken) is not null)
            {
                await FillAsync([key], cancellationToken);
            }
        }
    }

    private async Task FillAsync(string[] keys, CancellationToken cancellationToken)
    {
        var rows = await filler.FillLocationsAsync(keys, cancellationToken);
        LogPlaced(keys.Length, rows);
    }

    [LoggerMessage(LogLevel.Debug, "Placed {Locations} locations; {Rows} rows filled")]
    private partial void LogPlaced(int locations, long rows);
}
