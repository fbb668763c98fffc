using GithubEvents.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// A database that runs out of disk space pauses the consumer, says so, and loses nothing (issue 24, item 4). The
/// test database lives in a tablespace on a small tmpfs, so its writes fail with 53100 ("could not extend file")
/// while the server's WAL, on the ordinary disk, keeps it up: with pg_wal on the full volume too, PostgreSQL PANICs
/// and stays down until space is freed, which Enrich meets as an outage (see docs/operations.md). The test has a server of
/// its own: while the volume is full, every checkpoint of the server fails on its dirty pages, and so does every other
/// test's CREATE DATABASE, which asks for one.
/// </summary>
public sealed class FullDiskTests(KafkaMockCluster kafka)
{
    private const int Stored = 300;

    [Fact]
    public async Task A_full_disk_pauses_the_consumer_and_health_names_it_and_once_space_is_freed_every_event_is_stored_once()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var volume = await TmpfsVolume.MountAsync(megabytes: 64);
        var name = $"full_disk_{Guid.NewGuid():N}";
        await Sql.ExecuteAsync(postgres.ConnectionString, $"CREATE TABLESPACE {name} LOCATION '{volume.Path}'");
        try
        {
            await Sql.ExecuteAsync(postgres.ConnectionString, $"CREATE DATABASE {name} TABLESPACE {name}");
            await RunAsync(postgres.DatabaseConnectionString(name));
        }
        finally
        {
            await Sql.ExecuteAsync(postgres.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await Sql.ExecuteAsync(postgres.ConnectionString, $"DROP TABLESPACE {name}");
        }
    }

    private async Task RunAsync(string database)
    {
        var pipeline = EnrichPipeline.Create(kafka, database);
        var logs = new LogCapture();
        pipeline.Produce(Sample(0, Stored));
        // Plain PostgreSQL: TimescaleDB's compression job would rewrite the sample's old chunks, freeing space on its own.
        await using var replica = await pipeline.StartAsync(settings: new Dictionary<string, string?> { ["Storage:TimescaleDb"] = "Never" }, logs: logs);
        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == Stored, "the first events stored and committed");

        // A filler takes the rest of the volume: the pages of its failed insert stay on disk until it is dropped. It
        // inserts a little at a time, since one large generate_series spills to a temporary file on the same volume,
        // which fails first and is deleted with its space.
        await Sql.ExecuteAsync(database, "CREATE TABLE filler (pad text) WITH (autovacuum_enabled = false)");
        var full = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(database,
            "DO $$ BEGIN LOOP INSERT INTO filler SELECT repeat(md5(i::text), 30) FROM generate_series(1, 1000) AS i; END LOOP; END $$"));
        Assert.Equal(PostgresErrorCodes.DiskFull, full.SqlState);
        Assert.StartsWith("could not extend file", full.MessageText);

        pipeline.Produce(Sample(Stored));
        await EnrichPipeline.EventuallyAsync(async () => Writes(await replica.CheckHealthAsync()) is { Status: HealthStatus.Unhealthy } writes &&
                                                         writes.Description!.StartsWith("PostgreSQL is out of disk space", StringComparison.Ordinal),
            "/health naming the full disk");
        var report = await replica.CheckHealthAsync();
        Assert.StartsWith("PostgreSQL is out of disk space (53100 could not extend file", Writes(report).Description);
        Assert.EndsWith("writes are paused; free space on the database's volume", Writes(report).Description);
        Assert.Contains($"\ndatabase-writes: Unhealthy: {Writes(report).Description}", await HealthBodyAsync(report));
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(logs.Entries.Count(log => log.Message.StartsWith("PostgreSQL is still out of disk space", StringComparison.Ordinal)) >= 3),
            "three retries on the full disk");
        Assert.Equal(Stored, pipeline.CommittedTotal());

        await Sql.ExecuteAsync(database, "DROP TABLE filler");
        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "every event committed once space was freed");

        Assert.Equal("Healthy", await HealthBodyAsync(await replica.CheckHealthAsync()));
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT (time, event_id)) FROM events"));
        Assert.Empty(pipeline.DeadLetters(0));
        // One line when the writes stop, one when they resume: the retries between are at Debug.
        var said = logs.Entries.Where(log => log.Category.EndsWith(".WritePause", StringComparison.Ordinal) && log.Level >= LogLevel.Information).ToList();
        var error = Assert.Single(said, log => log.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.StartsWith("PostgreSQL is out of disk space (53100 could not extend file", error.Message);
        Assert.Contains("Free space on the database's volume", error.Message);
        Assert.Single(said, log => log.Level == LogLevel.Information && log.Message.StartsWith("PostgreSQL stores batches again after running out of disk space", StringComparison.Ordinal));
    }

    private static HealthReportEntry Writes(HealthReport report) => report.Entries["database-writes"];

    private static async Task<string> HealthBodyAsync(HealthReport report)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await HealthResponse.WriteAsync(context, report);
        return System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    private static IEnumerable<(string? Key, byte[] Value)> Sample(int skip, int take = ArchiveFixture.EventCount) =>
        ArchiveFixture.Events.Skip(skip).Take(take).Select(json => ((string?)null, json));
}
