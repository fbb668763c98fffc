using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Archive;

/// <summary>With the archive on, no hour leaves the database unarchived: retention keeps it, and the archiver reports it.</summary>
public sealed class ArchiveRetentionTests(PostgresServer postgres)
{
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
            using var off = new ArchiveOff(run.Database.Readiness, run.Store);
            await off.StartAsync(TestContext.Current.CancellationToken);
            await EnrichPipeline.EventuallyAsync(async () => await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT keep_from FROM archive_state") is DBNull,
                "the archive's hold released");
            await off.StopAsync(CancellationToken.None);
            await run.Database.RunMaintenanceAsync();
            Assert.Equal([[2L]], await Sql.RowsAsync(run.Database.ConnectionString, "SELECT event_id FROM events ORDER BY 1"));
        }
        finally
        {
            File.Delete(blocked);
        }
    }
}
