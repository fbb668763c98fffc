using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>Long work in slices, each statement within a deliberate limit, and a timeout said as one (issue 24, item 2).</summary>
public sealed class TimeLimitsTests(PostgresServer postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_backfill_of_sixty_days_made_known_at_once_is_materialised_in_slices_and_the_retention_drops_what_is_past_it()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        // 60,000 events, one every 86.4 s over the last 60 days, none materialised yet: as a large backfill leaves them.
        await Sql.ExecuteAsync(database.ConnectionString,
            """
            INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, payload, envelope)
            SELECT now() - i * INTERVAL '86.4 seconds', i, 'WatchEvent', 'actor' || i % 97, i % 97, 'octo/' || i % 13, 'starred', '{}', '{}'
            FROM generate_series(1, 60000) AS i
            """);
        var logs = new LogCapture();
        using var maintenance = Maintenance(database, new StorageOptions { Retention = TimeSpan.FromDays(30), AggregateRefreshInterval = TimeSpan.FromSeconds(2) }, logs);

        await maintenance.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(async () => (long)(await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events WHERE time < now() - INTERVAL '30 days'"))! == 0 &&
                                         (DateTime)(await Sql.ScalarAsync(database.ConnectionString, "SELECT materialized_until FROM rollup.watermark"))! > DateTime.UtcNow.AddMinutes(-10));
        await maintenance.StopAsync(TestContext.Current.CancellationToken);

        // The aggregates were materialised before the events went, and keep them for their own retention: the five-minute
        // ones every one of the 60,000; the actors' hours as long as the events (Retention:ActorStats1h unset).
        Assert.Equal(60000L, await Sql.ScalarAsync(database.ConnectionString, "SELECT sum(event_count)::bigint FROM event_stats_5m"));
        Assert.InRange((long)(await Sql.ScalarAsync(database.ConnectionString, "SELECT sum(event_count)::bigint FROM actor_stats_1h"))!, 29000, 30001);
        Assert.InRange((long)(await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events"))!, 29000, 30001);
        Assert.DoesNotContain(logs.Entries, log => log.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_statement_past_the_maintenance_timeout_is_logged_as_a_timeout_of_its_work_and_the_retention_still_runs()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        await Sql.ExecuteAsync(database.ConnectionString,
            """
            INSERT INTO events (time, event_id, event_type, actor, actor_id, detail, payload, envelope)
            SELECT now() - i * INTERVAL '1 day', i, 'WatchEvent', 'actor', 1, 'starred', '{}', '{}' FROM generate_series(1, 10) AS i
            """);
        await database.RefreshAggregatesAsync();
        // Another session holds the watermark, so a refresh waits on it past its time limit.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var hold = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockWatermark = new NpgsqlCommand("SELECT * FROM rollup.watermark FOR UPDATE", holder, hold))
        {
            await lockWatermark.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var logs = new LogCapture();
        using var maintenance = Maintenance(database,
            new StorageOptions { Retention = TimeSpan.FromDays(5), AggregateRefreshInterval = TimeSpan.FromSeconds(2), MaintenanceTimeout = TimeSpan.FromSeconds(1) }, logs);
        await maintenance.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(async () => (long)(await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events"))! == 4 &&
                                         logs.Entries.Any(log => log.Message.StartsWith("The aggregate refresh timed out", StringComparison.Ordinal)));
        await maintenance.StopAsync(TestContext.Current.CancellationToken);

        var timeout = logs.Entries.First(log => log.Message.StartsWith("The aggregate refresh timed out", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, timeout.Level);
        Assert.Contains("Storage:MaintenanceTimeout (00:00:01)", timeout.Message);
    }

    [Fact]
    public async Task A_migration_that_waits_for_a_lock_past_its_timeout_is_tried_again_and_completes_once_the_lock_is_free()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await LegacySchema.CreateAsync(connectionString, SchemaFlavor.Postgres, upToVersion: 12);
        // A long query on events: version 13's ALTER TABLE waits for it.
        await using var reader = new NpgsqlConnection(connectionString);
        await reader.OpenAsync(TestContext.Current.CancellationToken);
        var read = await reader.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE events IN ACCESS SHARE MODE", reader, read))
        {
            await lockEvents.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var logs = new LogCapture();
        var storage = new StorageOptions { TimescaleDb = TimescaleDbUse.Never, MigrationLockTimeout = TimeSpan.FromMilliseconds(500) };
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var readiness = new StorageReadiness();
        using var setup = new DatabaseSetup(dataSource, new SchemaMigrator(Microsoft.Extensions.Options.Options.Create(storage), Logger<SchemaMigrator>(logs)),
            readiness, Microsoft.Extensions.Options.Options.Create(storage), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()),
            Microsoft.Extensions.Options.Options.Create(new DatabaseOptions()), TimeProvider.System,
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), Logger<DatabaseSetup>(logs));

        await setup.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(logs.Entries.Any(log => log.Message.StartsWith("Could not set up the database", StringComparison.Ordinal))));
        Assert.False(readiness.WaitAsync(CancellationToken.None).IsCompleted);
        Assert.Contains(logs.Entries, log => log.Message == "Applying schema migration 13: 0013_restoration.sql");
        Assert.Contains(logs.Entries, log => log.Exception?.Contains("55P03", StringComparison.Ordinal) == true);

        await read.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal(SchemaFlavor.Postgres, await readiness.WaitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.Equal((long)Migration.All.Count, await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM schema_migrations"));
        await setup.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task On_TimescaleDB_the_ranking_job_runs_within_the_maintenance_timeout()
    {
        var storage = new StorageOptions { TimescaleDb = TimescaleDbUse.Required, MaintenanceTimeout = TimeSpan.FromSeconds(90) };
        await using var database = await EventDatabase.OpenAsync(await EventDatabase.CreateEmptyAsync(postgres, SchemaFlavor.TimescaleDb), storage);

        Assert.Equal(TimeSpan.FromSeconds(90), await Sql.ScalarAsync(database.ConnectionString,
            "SELECT max_runtime FROM timescaledb_information.jobs WHERE proc_name = 'refresh_top_24h_job'"));
    }

    [Fact]
    public async Task A_write_past_the_write_timeout_is_cancelled_as_a_timeout_and_the_same_batch_is_written_once_the_table_is_free()
    {
        var storage = new StorageOptions { TimescaleDb = TimescaleDbUse.Never, WriteTimeout = TimeSpan.FromSeconds(1) };
        await using var database = await EventDatabase.OpenAsync(await EventDatabase.CreateEmptyAsync(postgres, SchemaFlavor.Postgres), storage);
        Assert.True(GithubEvents.Enrich.Events.GitHubEventParser.TryParse(TestEvents.Event(7, "WatchEvent", DateTime.UtcNow, "octocat", 583231, "octo/repo"), out var row, out _));
        // Another session locks the events table against writes, as a long ALTER or a stuck transaction would.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        var hold = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE events IN EXCLUSIVE MODE", holder, hold))
        {
            await lockEvents.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => database.Writer.WriteAsync([row], TestContext.Current.CancellationToken));
        Assert.IsType<TimeoutException>(error.InnerException);

        await hold.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, (await database.Writer.WriteAsync([row], TestContext.Current.CancellationToken)).Inserted);
        Assert.Equal(1L, await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events"));
    }

    private static PostgresMaintenance Maintenance(EventDatabase database, StorageOptions options, LogCapture logs) =>
        new(database.WriterDataSource, database.Readiness, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()),
            TimeProvider.System, Logger<PostgresMaintenance>(logs));

    private static ILogger<T> Logger<T>(LogCapture logs) => new LoggerFactory([logs]).CreateLogger<T>();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
