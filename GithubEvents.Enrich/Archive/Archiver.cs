using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The hourly archive (docs/archive.md), on one replica at a time. Each pass does one piece of work: it exports the oldest
/// settled hour not archived yet, or else checks one archived hour still wholly in the database for changed rows and
/// exports it again as the next revision when its files would change; an hour partly past <c>Storage:Retention</c> whose
/// rows changed is exported again first. Every pass tells retention, through <c>archive_state</c>, to keep the events
/// from the oldest hour not archived, or changed since, on, and reports the hours that retention keeps past
/// <c>Storage:Retention</c> for that. A pass is cancelled when this replica loses the lead (<see cref="LeaderService"/>).
/// </summary>
public sealed partial class Archiver(
    HourExporter exporter,
    ArchiveStore store,
    ArchiveTarget target,
    IOptions<ArchiveOptions> options,
    IOptions<StorageOptions> storage,
    LeaderElection election,
    ILogger<Archiver> logger) : LeaderService(election, "archive", AdvisoryLocks.Archive, logger)
{
    // How long a pass with nothing to do waits: an hour settles at most this long before it is exported.
    private static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    private long _heldHours;

    protected override TimeSpan AcquireInterval => IdleWait;

    protected override void OnLeadTaken()
    {
        // What a stopped export left half-written; nothing in it is at a key a reader looks at.
        if (Directory.Exists(target.StagingFolder))
        {
            Directory.Delete(target.StagingFolder, recursive: true);
        }

        LogArchiving(target.Location, options.Value.SettleDelay);
    }

    protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var settledBefore = ArchiveHour.Of(now - options.Value.SettleDelay).Start;
        var next = await store.NextHourAsync(settledBefore, cancellationToken);
        // The hours partly past Storage:Retention are looked at every pass: retention may drop them before a recheck is due.
        var wholeFrom = ArchiveHour.Of(now - storage.Value.Retention).End;
        var changed = await store.ChangedBeforeAsync(wholeFrom, cancellationToken);
        var keepFrom = next?.Start ?? settledBefore;
        if (changed is not null && changed.Hour.Start < keepFrom)
        {
            keepFrom = changed.Hour.Start;
        }

        await store.KeepFromAsync(keepFrom, HeldHours(keepFrom, now), target.Location, cancellationToken);
        if (next is { } hour)
        {
            return await ExportAsync(hour, revision: 1, cancellationToken) ? TimeSpan.Zero : IdleWait;
        }

        if (changed is not null)
        {
            return await RecheckAsync(changed, cancellationToken) ? TimeSpan.Zero : IdleWait;
        }

        if (await store.DueForRecheckAsync(wholeFrom, now - options.Value.RecheckInterval, cancellationToken) is { } due)
        {
            return await RecheckAsync(due, cancellationToken) ? TimeSpan.Zero : IdleWait;
        }

        return IdleWait;
    }

    protected override TimeSpan BackOff(int failures) => TimeSpan.FromMinutes(Math.Min(failures, 15));

    private async Task<bool> ExportAsync(ArchiveHour hour, int revision, CancellationToken cancellationToken)
    {
        using var staged = await exporter.StageAsync(hour, revision, cancellationToken);
        if (staged is null)
        {
            LogChanging(hour);
            return false;
        }

        await exporter.PublishAsync(staged, cancellationToken);
        LogExported(hour, revision, staged.Record.Events, staged.Files.Json.Bytes, staged.Files.Parquet.Bytes);
        return true;
    }

    // False while the hour's rows change under the read: the next look waits, rather than read the hour again at once.
    private async Task<bool> RecheckAsync(ExportRecord exported, CancellationToken cancellationToken)
    {
        var (events, fingerprint) = await store.FingerprintAsync(exported.Hour, cancellationToken);
        if (fingerprint == exported.Fingerprint)
        {
            await store.CheckedAsync(exported, fingerprint, cancellationToken);
            return true;
        }

        // Rows left the hour (deleted by hand, say): the archive keeps what it had rather than lose them with the next revision.
        if (events < exported.Events)
        {
            LogRowsLeft(exported.Hour, exported.Events, events);
            await store.CheckedAsync(exported, exported.Fingerprint, cancellationToken);
            return true;
        }

        using var staged = await exporter.StageAsync(exported.Hour, exported.Revision + 1, cancellationToken);
        if (staged is null)
        {
            LogChanging(exported.Hour);
            return false;
        }

        if (staged.SameDataAs(exported))
        {
            // Rows changed in what the files do not hold: the export stands.
            await store.CheckedAsync(exported, staged.Record.Fingerprint, cancellationToken);
        }
        else
        {
            await exporter.PublishAsync(staged, cancellationToken);
            LogExported(exported.Hour, staged.Record.Revision, staged.Record.Events, staged.Files.Json.Bytes, staged.Files.Parquet.Bytes);
        }

        return true;
    }

    // The hours retention keeps past Storage:Retention for the archive, logged when they change.
    private long HeldHours(DateTime keepFrom, DateTime now)
    {
        var retainedFrom = now - storage.Value.Retention;
        var held = keepFrom < retainedFrom ? (long)Math.Ceiling((retainedFrom - keepFrom).TotalHours) : 0;
        if (held != _heldHours && held > 0)
        {
            LogHeld(held, storage.Value.Retention, keepFrom);
        }

        _heldHours = held;
        return held;
    }

    [LoggerMessage(LogLevel.Information, "The archive is at {Location}; hours are exported {SettleDelay} after they end")]
    private partial void LogArchiving(string location, TimeSpan settleDelay);

    [LoggerMessage(LogLevel.Information, "Archived hour {Hour} as revision {Revision}: {Events} events, {JsonBytes} bytes of json.gz, {ParquetBytes} bytes of Parquet")]
    private partial void LogExported(ArchiveHour hour, int revision, long events, long jsonBytes, long parquetBytes);

    [LoggerMessage(LogLevel.Information, "The rows of hour {Hour} changed while it was exported; it is exported again at a later pass")]
    private partial void LogChanging(ArchiveHour hour);

    [LoggerMessage(LogLevel.Warning, "Hour {Hour} has {Events} events in the database, fewer than the {Archived} archived; its archived revision stands")]
    private partial void LogRowsLeft(ArchiveHour hour, long archived, long events);

    [LoggerMessage(LogLevel.Warning,
        "Retention keeps {Hours} hours older than Storage:Retention ({Retention}) because they are not archived yet, from {From}: is the archive failing?")]
    private partial void LogHeld(long hours, TimeSpan retention, DateTime from);
}
