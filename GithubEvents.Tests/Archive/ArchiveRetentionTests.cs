using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Archive;

/// <summary>With the archive on, no hour leaves the database unarchived: retention keeps it, and the archiver reports it.</summary>
public sealed class ArchiveRetentionTests(PostgresServer postgres)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task With_the_archive_on_retention_keeps_everything_until_the_archiver_has_said_what_is_archived(SchemaFlavor path)
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, path, storage: ShortRetention(path));
        await run.Database.HoldJobsAsync();
        await run.WriteAsync([(1L, "PushEvent", ArchiveRun.HoursAgo(10).AddMinutes(10), 1, null), (2L, "PushEvent", ArchiveRun.HoursAgo(1).AddMinutes(10), 1, null)]);

        // No archiver has run yet (it waits for the lead, or fails before its first pass).
        await run.Database.RunMaintenanceAsync();
        Assert.Equal([[1L], [2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));

        // Enrich with the archive off says so, and the hold goes.
        await SwitchOffAsync(run);
        await run.Database.RunMaintenanceAsync();
        Assert.Equal([[2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Late_events_in_an_archived_hour_past_retention_are_kept_until_the_hour_is_exported_again(SchemaFlavor path)
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, path, storage: ShortRetention(path));
        await run.Database.HoldJobsAsync();
        var hour = new ArchiveHour(ArchiveRun.HoursAgo(6));
        await run.WriteAsync([(1L, "PushEvent", hour.Start.AddMinutes(10), 1, null)]);
        await run.ArchiveUntilAsync("SELECT count(*) = 1 FROM archive_exports", "the hour archived");

        // A backfill brings a late event into the archived hour, already past Storage:Retention; retention runs before the
        // archiver looks again.
        await run.WriteAsync([(2L, "PushEvent", hour.Start.AddMinutes(20), SourceBits.Archive, null)]);
        await run.Database.RunMaintenanceAsync();
        Assert.Equal([[1L], [2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));

        await run.ArchiveUntilAsync(
            $"SELECT (SELECT max(revision) FROM archive_exports) = 2 AND (SELECT keep_from FROM archive_state) > '{hour.Start:O}'::timestamptz",
            "the hour exported again and released");
        Assert.Equal(2, run.JsonLines(hour).Count);
        await run.Database.RunMaintenanceAsync();
        Assert.Empty(await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events"));
    }

    // What Enrich started with Archive:Enabled false does.
    private static async Task SwitchOffAsync(ArchiveRun run)
    {
        using var off = new ArchiveOff(run.Database.Readiness, run.Store);
        await off.StartAsync(TestContext.Current.CancellationToken);
        await EnrichPipeline.EventuallyAsync(async () => await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT keep_from FROM archive_state") is DBNull,
            "the archive's hold released");
        await off.StopAsync(CancellationToken.None);
    }

    private static StorageOptions ShortRetention(SchemaFlavor path)
    {
        var storage = EventDatabase.Options(path);
        storage.Retention = TimeSpan.FromHours(4);
        storage.ChunkInterval = TimeSpan.FromHours(1);
        return storage;
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Retention_keeps_and_reports_an_hour_the_archive_could_not_export_until_the_archive_is_off(SchemaFlavor path)
    {
        var storage = EventDatabase.Options(path);
        storage.Retention = TimeSpan.FromHours(4);
        storage.ChunkInterval = TimeSpan.FromHours(1);
        var logs = new LogCapture();
        // A file where the archive's folder should be: every export fails.
        var blocked = Path.GetTempFileName();
        await using var run = await ArchiveRun.CreateAsync(postgres, path, options => options.Path = blocked, storage, logs);
        try
        {
            // TimescaleDB's jobs run when the test says: the events' retention would run before the archiver said what to keep.
            await run.Database.HoldJobsAsync();
            var (unarchived, recent) = (ArchiveRun.HoursAgo(10).AddMinutes(10), ArchiveRun.HoursAgo(1).AddMinutes(10));
            await run.WriteAsync([(1L, "PushEvent", unarchived, 1, null), (2L, "PushEvent", recent, 1, null)]);

            await run.ArchiveUntilAsync("SELECT held_hours > 0 FROM archive_state", "the unarchived hour reported");
            Assert.Equal(ArchiveHour.Of(unarchived).Start, await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT keep_from FROM archive_state"));
            Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("not archived yet", StringComparison.Ordinal));
            await run.Database.RunMaintenanceAsync();
            Assert.Equal([[1L], [2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));

            // Switched off, the archive keeps nothing.
            await SwitchOffAsync(run);
            await run.Database.RunMaintenanceAsync();
            Assert.Equal([[2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));
        }
        finally
        {
            File.Delete(blocked);
        }
    }
}
