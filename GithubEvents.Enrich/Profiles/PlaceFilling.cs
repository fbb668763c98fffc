using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// Geocodes the locations of known actors that have no place yet, the most common first, as soon as the resolver stores
/// new ones (<see cref="NewLocations"/>): those the gazetteer knows all at once, the others through Nominatim one at a time
/// (the <see cref="Geocoder"/> paces them). Each answer fills in the rows of the actors with that location. Bots are
/// never geocoded (they have no location key). One replica at a time.
/// </summary>
public sealed partial class PlaceFilling(
    ActorStore store,
    Geocoder geocoder,
    RowFiller filler,
    StorageReadiness readiness,
    WriterDataSource writer,
    ProfileMetrics metrics,
    NewLocations newLocations,
    IOptions<ProfileOptions> options,
    IOptions<GeocodingOptions> geocoding,
    TimeProvider time,
    ILogger<PlaceFilling> logger) : BackgroundService
{
    private const int ListSize = 100;
    private const string LeaderLockName = "github-events:places";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = await readiness.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await using var leader = await LeaderLock.AcquireAsync(writer, LeaderLockName, options.Value.IdleInterval, time, stoppingToken);
                while (await leader.IsHeldAsync(stoppingToken))
                {
                    var unplaced = await store.UnplacedLocationsAsync(geocoding.Value.UsesNominatim, ListSize, stoppingToken);
                    if (unplaced.Count == 0)
                    {
                        await newLocations.WaitAsync(options.Value.IdleInterval, time, stoppingToken);
                        continue;
                    }

                    await PlaceAsync(unplaced, path, stoppingToken);
                    delay = TimeSpan.FromSeconds(1);
                }

                LogLeadLost();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = Retries.Doubled(delay, TimeSpan.FromMinutes(5));
            }
        }
    }

    private async Task PlaceAsync(List<(string Location, string Key)> unplaced, StoragePath path, CancellationToken cancellationToken)
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
            await FillAsync([.. offline], path, cancellationToken);
        }

        foreach (var (location, key) in online)
        {
            await geocoder.ResolveAsync(location, key, cancellationToken);
            await FillAsync([key], path, cancellationToken);
        }
    }

    private async Task FillAsync(string[] keys, StoragePath path, CancellationToken cancellationToken)
    {
        var rows = await filler.FillLocationsAsync(keys, path, cancellationToken);
        metrics.Filled(rows);
        LogPlaced(keys.Length, rows);
    }

    [LoggerMessage(LogLevel.Debug, "Placed {Locations} locations; {Rows} rows filled")]
    private partial void LogPlaced(int locations, long rows);

    [LoggerMessage(LogLevel.Warning, "The session holding the places' leader lock ended; taking it again")]
    private partial void LogLeadLost();

    [LoggerMessage(LogLevel.Error, "Placing actors' locations failed; retrying in {Wait}")]
    private partial void LogFailed(Exception exception, TimeSpan wait);
}

/// <summary>Tells <see cref="PlaceFilling"/> that profiles with locations were stored, so that it need not wait its idle interval.</summary>
public sealed class NewLocations
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _raised;

    public void Raise()
    {
        lock (_lock)
        {
            _raised = true;
            _waiter?.TrySetResult();
        }
    }

    /// <summary>Returns once raised (at once if it was since the last wait), or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task raised;
        lock (_lock)
        {
            if (_raised)
            {
                _raised = false;
                return;
            }

            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            raised = _waiter.Task;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(raised, Task.Delay(timeout, time, timer.Token));
        await timer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _raised = false;
            _waiter = null;
        }
    }
}
