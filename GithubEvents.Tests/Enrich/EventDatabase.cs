using System.Diagnostics.Metrics;
using GithubEvents.Enrich;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>A test database with the schema set up by Enrich's own <see cref="DatabaseSetup"/>, on a chosen path.</summary>
internal sealed class EventDatabase : IAsyncDisposable
{
    private EventDatabase(string connectionString, SchemaFlavor path, StorageOptions storage, RetentionOptions retention, DatabaseOptions roles)
    {
        ConnectionString = connectionString;
        Path = path;
        Storage = storage;
        Retention = retention;
        Roles = roles;
        DataSource = NpgsqlDataSource.Create(connectionString);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connectionString })
            .Build();
        WriterDataSource = new WriterDataSource(configuration, Microsoft.Extensions.Options.Options.Create(roles));
        Readiness = new StorageReadiness();
        Readiness.Ready(path);
        Writer = new EventWriter(WriterDataSource, Readiness, new ActorBacklogQueueing(new GithubEvents.Enrich.Profiles.ProfileOptions().ActivityWindow),
            Microsoft.Extensions.Options.Options.Create(storage));
    }

    /// <summary>The aggregates of both paths: continuous aggregates on TimescaleDB, views over rollup tables without it.</summary>
    public static readonly string[] Aggregates = ["event_stats_1m", "event_stats_5m", "country_stats_5m", "actor_stats_1h", "repo_stats_1h", "capture_stats_5m", "watch_stats_5m"];

    public string ConnectionString { get; }

    public SchemaFlavor Path { get; }

    public StorageOptions Storage { get; }

    public RetentionOptions Retention { get; }

    public DatabaseOptions Roles { get; }

    public NpgsqlDataSource DataSource { get; }

    public WriterDataSource WriterDataSource { get; }

    /// <summary>Ready on the database's schema flavour, as Enrich's is once its setup has run.</summary>
    public StorageReadiness Readiness { get; }

    public EventWriter Writer { get; }

    /// <summary>Skips the test when the path is TimescaleDB and the server lacks it.</summary>
    /// <param name="archive">Whether the archive is on (retention keeps all until an archiver says what is archived), or off as Enrich sets it (<see cref="ArchiveOff"/>).</param>
    public static async Task<EventDatabase> CreateAsync(PostgresServer server, SchemaFlavor path, DatabaseOptions? roles = null, bool archive = false)
    {
        var database = await OpenAsync(await CreateEmptyAsync(server, path), Options(path), roles, archive: archive);
        Assert.Equal(path, database.Path);
        return database;
    }

    /// <summary>An empty database of the test's own, for a schema on <paramref name="path"/>: skips the test when the path is TimescaleDB and the server lacks it.</summary>
    public static Task<string> CreateEmptyAsync(PostgresServer server, SchemaFlavor path)
    {
        if (path == SchemaFlavor.TimescaleDb && !server.HasTimescaleDb)
        {
            Assert.Skip("The test server has no TimescaleDB extension (see docs/storage.md to run these tests on it).");
        }

        return server.CreateDatabaseAsync();
    }

    /// <summary>Sets the schema up in an existing database, on the path the server offers unless told otherwise.</summary>
    public static async Task<EventDatabase> OpenAsync(string connectionString, StorageOptions? storage = null, DatabaseOptions? roles = null,
        RetentionOptions? retention = null, bool archive = false)
    {
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true }.ConnectionString;
        storage ??= new StorageOptions();
        roles ??= new DatabaseOptions();
        retention ??= new RetentionOptions();
        await using var setupDataSource = NpgsqlDataSource.Create(connectionString);
        var path = await Setup(setupDataSource, storage, roles, retention).RunAsync(TestContext.Current.CancellationToken);
        var database = new EventDatabase(connectionString, path, storage, retention, roles);
        if (!archive)
        {
            // What Enrich with Archive:Enabled false says once its schema is ready.
            await new ArchiveStore(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(storage))
                .KeepFromAsync(null, 0, null, TestContext.Current.CancellationToken);
        }

        return database;
    }

    public static StorageOptions Options(SchemaFlavor path) =>
        new() { TimescaleDb = path == SchemaFlavor.TimescaleDb ? TimescaleDbUse.Required : TimescaleDbUse.Never };

    /// <summary>Runs Enrich's start-up setup once more, as another replica would.</summary>
    public Task<SchemaFlavor> SetupAsync() => Setup(DataSource, Storage, Roles, Retention).RunAsync(TestContext.Current.CancellationToken);

    public static DatabaseSetup Setup(NpgsqlDataSource dataSource, StorageOptions storage, DatabaseOptions roles, RetentionOptions? retention = null) =>
        new(dataSource,
            new SchemaMigrator(Microsoft.Extensions.Options.Options.Create(storage), NullLogger<SchemaMigrator>.Instance),
            new StorageReadiness(),
            Microsoft.Extensions.Options.Options.Create(storage),
            Microsoft.Extensions.Options.Options.Create(retention ?? new RetentionOptions()),
            Microsoft.Extensions.Options.Options.Create(roles),
            TimeProvider.System,
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance),
            NullLogger<DatabaseSetup>.Instance);

    /// <summary>
    /// Materialises the aggregates (TimescaleDB: up to the last whole hour; plain PostgreSQL: up to the last 5-minute boundary) and ranks
    /// the last 24 hours, as the background refresh does.
    /// </summary>
    public async Task RefreshAggregatesAsync()
    {
        if (Path == SchemaFlavor.Postgres)
        {
            await Maintenance().RefreshAggregatesAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);
        }
        else
        {
            foreach (var view in Aggregates)
            {
                await Sql.ExecuteAsync(ConnectionString,
                    $"CALL refresh_continuous_aggregate('{view}', NULL, date_trunc('hour', now()))");
            }
        }

        // A ranking already under way (TimescaleDB's job starts at once) would make this one return at once: wait for it to
        // end, then rank what is stored now (the lock is the session's, so the function's own try succeeds).
        await Sql.ExecuteAsync(ConnectionString,
            "BEGIN; SELECT pg_advisory_xact_lock(hashtext('github-events:top-24h')); SELECT refresh_top_24h(); COMMIT;");
    }

    /// <summary>
    /// One turn of the product's maintenance: without TimescaleDB, Enrich's refresh and retention; with it, the refresh
    /// policies, the events' and the continuous aggregates' retention policies and the other tables' job, run now.
    /// </summary>
    public async Task RunMaintenanceAsync()
    {
        if (Path == SchemaFlavor.Postgres)
        {
            var maintenance = Maintenance();
            Assert.True(await maintenance.RefreshAggregatesAsync(Storage.AggregateRefreshLag, TestContext.Current.CancellationToken));
            Assert.True(await maintenance.DropExpiredRowsAsync(TestContext.Current.CancellationToken, DateTimeOffset.MaxValue));
            return;
        }

        var jobs = await Sql.RowsAsync(ConnectionString,
            """
            SELECT job_id FROM timescaledb_information.jobs
            WHERE proc_name IN ('policy_refresh_continuous_aggregate', 'policy_retention', 'drop_events_job', 'drop_expired_rows_job')
            ORDER BY proc_name <> 'policy_refresh_continuous_aggregate', job_id
            """);
        foreach (var job in jobs)
        {
            await Sql.ExecuteAsync(ConnectionString, $"CALL run_job({job[0]})");
        }
    }

    /// <summary>
    /// On TimescaleDB, takes the product's jobs off its scheduler and waits for those running, so that they run when the
    /// test says (<see cref="RunMaintenanceAsync"/>).
    /// </summary>
    public async Task HoldJobsAsync()
    {
        if (Path != SchemaFlavor.TimescaleDb)
        {
            return;
        }

        await Sql.ExecuteAsync(ConnectionString, "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000");
        while ((long)(await Sql.ScalarAsync(ConnectionString, "SELECT count(*) FROM timescaledb_information.job_stats WHERE job_status = 'Running'"))! > 0)
        {
            await Task.Delay(100);
        }
    }

    private PostgresMaintenance Maintenance() =>
        new(WriterDataSource, Readiness, Microsoft.Extensions.Options.Options.Create(Storage), Microsoft.Extensions.Options.Options.Create(Retention),
            TimeProvider.System, NullLogger<PostgresMaintenance>.Instance);

    /// <summary>A row filler on this database, as Enrich's services use it.</summary>
    public RowFiller Filler(FillOptions? options = null) =>
        new(WriterDataSource, Readiness, new FillMetrics(new EnrichMeter(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>())),
            Microsoft.Extensions.Options.Options.Create(options ?? new FillOptions()), TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await WriterDataSource.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
