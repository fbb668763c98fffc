using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GithubEvents.Tests.Archive;

/// <summary>An archiver that loses the lead in the middle of an export stops that export: two replicas never export at once.</summary>
public sealed class ArchiveLeadershipTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_export_under_way_is_cancelled_when_the_replica_loses_the_lead()
    {
        var logs = new LogCapture();
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres, logs: logs);
        var hour = new ArchiveHour(ArchiveRun.HoursAgo(3));
        await run.WriteAsync(Enumerable.Range(1, 50).Select(i => ((long)i, "PushEvent", hour.Start.AddMinutes(i), (short)1, (System.Text.Json.Nodes.JsonObject?)null)));

        // The export reads the hour's capture figures (v_capture_by_hour, over kafka_gaps) after writing its files: it waits
        // there while the test holds kafka_gaps.
        await using var blocker = new NpgsqlConnection(run.Database.ConnectionString);
        await blocker.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE kafka_gaps IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var archiver = run.Archiver();
        await archiver.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            HashSet<string> staged = [];
            await EnrichPipeline.EventuallyAsync(() =>
            {
                staged = Directory.Exists(run.Target.StagingFolder) ? [.. Directory.EnumerateFiles(run.Target.StagingFolder)] : [];
                return Task.FromResult(staged.Count >= 2);
            }, "the export's files staged");

            // The session that holds the archive's leader lock ends, as when a database restarts or an idle session is cut:
            // another replica may lead from now on.
            await Sql.ExecuteAsync(run.Database.ConnectionString,
                """
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """);

            // Still blocked where it was, the export could only end by being cancelled; it leaves no staged file behind.
            await EnrichPipeline.EventuallyAsync(() => Task.FromResult(!staged.Any(File.Exists)), "the export under way cancelled and its staged files removed");
            // The pass drops its staged files before the service, seeing it cancelled, says why.
            await EnrichPipeline.EventuallyAsync(
                () => Task.FromResult(logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("lost the lead of archive", StringComparison.Ordinal))),
                "the lost lead logged");
            Assert.Equal(0L, await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT count(*) FROM archive_exports"));
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await archiver.StopAsync(CancellationToken.None);
        }
    }
}
