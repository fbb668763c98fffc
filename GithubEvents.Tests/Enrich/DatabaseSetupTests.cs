using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

public sealed class DatabaseSetupTests(PostgresServer postgres)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Every_migration_is_recorded_once_and_running_the_setup_again_changes_nothing(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var before = await MigrationsAsync(database.ConnectionString);

        Assert.Equal(path, await database.SetupAsync());

        Assert.Equal(before, await MigrationsAsync(database.ConnectionString));
        Assert.Equal(Migration.All.Select(migration => $"{migration.Version} {migration.Name} {path}"), before);
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Replicas_starting_at_once_apply_each_migration_once(SchemaFlavor path)
    {
        var connectionString = await EventDatabase.CreateEmptyAsync(postgres, path);
        var replicas = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var paths = await Task.WhenAll(replicas.Select(dataSource =>
                EventDatabase.Setup(dataSource, EventDatabase.Options(path), new DatabaseOptions()).RunAsync(TestContext.Current.CancellationToken)));

            Assert.All(paths, chosen => Assert.Equal(path, chosen));
            Assert.Equal(Migration.All.Count, await MigrationsCountAsync(connectionString));
        }
        finally
        {
            foreach (var dataSource in replicas)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_database_from_before_the_dashboard_aggregates_moves_forward_with_its_events_in_the_new_ones(SchemaFlavor path)
    {
        var connectionString = await EventDatabase.CreateEmptyAsync(postgres, path);
        // Version 6, as an earlier Enrich left it: its migrations recorded, events of the last three hours written and
        // materialised by its own refresh.
        await LegacySchema.CreateAsync(connectionString, path, upToVersion: 6);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ExecuteAsync(connection,
                """
                INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, country, country_code, company, is_bot, payload, envelope)
                SELECT now() - i * INTERVAL '37 seconds', i, (ARRAY['PushEvent', 'WatchEvent', 'IssuesEvent'])[1 + i % 3], 'actor' || i % 7, i % 7,
                       'octo/' || i % 5, 'starred', CASE WHEN i % 2 = 0 THEN 'Germany' END, CASE WHEN i % 2 = 0 THEN 'DE' END,
                       CASE WHEN i % 3 = 0 THEN 'ACME' END, i % 7 = 6, '{}', '{}'
                FROM generate_series(1, 290) AS i
                """);
            await ExecuteAsync(connection, path == SchemaFlavor.Postgres
                ? "SELECT rollup.refresh(INTERVAL '0')"
                : "CALL refresh_continuous_aggregate('event_stats_5m', NULL, date_trunc('hour', now()))");
        }

        await using var database = await EventDatabase.OpenAsync(connectionString, EventDatabase.Options(path));
        Assert.Equal(Migration.All.Count, await MigrationsCountAsync(connectionString));
        await database.RefreshAggregatesAsync();

        // Each new relation, and an old one, against the same answer from the events.
        foreach (var (relation, fromEvents) in new[]
                 {
                     ("SELECT bucket, event_type, event_count, profile_events, country_events FROM event_stats_1m",
                      "SELECT date_bin(INTERVAL '1 minute', time, TIMESTAMPTZ '2000-01-01'), event_type, count(*), count(*) FILTER (WHERE is_bot OR company IS NOT NULL), count(country_code) FROM events GROUP BY 1, 2"),
                     ("SELECT bucket, repo, is_bot, event_count, actors FROM repo_stats_1h",
                      "SELECT date_bin(INTERVAL '1 hour', time, TIMESTAMPTZ '2000-01-01'), repo, is_bot, count(*), count(DISTINCT actor_id) FROM events GROUP BY 1, 2, 3"),
                     ("SELECT bucket, event_type, event_count FROM event_stats_5m",
                      "SELECT date_bin(INTERVAL '5 minutes', time, TIMESTAMPTZ '2000-01-01'), event_type, count(*) FROM events GROUP BY 1, 2"),
                     ("SELECT repo, events, actors FROM v_top_repos_24h", "SELECT repo, count(*), count(DISTINCT actor_id) FROM events GROUP BY repo"),
                     ("SELECT events, country_share FROM v_enrichment_coverage WHERE period = '24h'", "SELECT count(*), 0.5::float8 FROM events"),
                 })
        {
            Assert.Equal(0L, await Sql.ScalarAsync(connectionString,
                $"SELECT count(*) FROM (({relation} EXCEPT {fromEvents}) UNION ALL ({fromEvents} EXCEPT {relation})) AS differences"));
        }
    }

    [Fact]
    public async Task Auto_uses_TimescaleDB_exactly_when_the_server_has_it_and_Required_without_it_names_the_setting()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var expected = postgres.HasTimescaleDb ? SchemaFlavor.TimescaleDb : SchemaFlavor.Postgres;

        if (!postgres.HasTimescaleDb)
        {
            var required = EventDatabase.Setup(dataSource, new StorageOptions { TimescaleDb = TimescaleDbUse.Required }, new DatabaseOptions());
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => required.RunAsync(TestContext.Current.CancellationToken));
            Assert.Contains("Storage:TimescaleDb", error.Message);
            Assert.Equal(0, await MigrationsCountAsync(connectionString));
        }

        var auto = EventDatabase.Setup(dataSource, new StorageOptions(), new DatabaseOptions());
        Assert.Equal(expected, await auto.RunAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_reader_only_reads_and_the_writer_writes_rows_but_neither_deletes_nor_changes_the_schema(SchemaFlavor path)
    {
        var roles = new DatabaseOptions
        {
            ReaderRole = $"reader_{Guid.NewGuid():N}"[..20],
            ReaderPassword = "reader secret",
            WriterRole = $"writer_{Guid.NewGuid():N}"[..20],
            WriterPassword = "writer secret",
        };
        await using var database = await EventDatabase.CreateAsync(postgres, path, roles);
        var reader = As(database.ConnectionString, roles.ReaderRole, roles.ReaderPassword);
        var writer = As(database.ConnectionString, roles.WriterRole, roles.WriterPassword);

        // The write path itself runs as the writer: WriterDataSource logs in with its password.
        var json = TestEvents.Event(42, "WatchEvent", DateTime.UtcNow, "octocat", 583231, "octo/repo");
        Assert.True(GithubEvents.Enrich.Events.GitHubEventParser.TryParse(json, out var row, out _));
        Assert.Equal(1, (await database.Writer.WriteAsync([row], TestContext.Current.CancellationToken)).Inserted);
        Assert.Equal(roles.WriterRole, await Sql.ScalarAsync(writer, "SELECT current_user"));
        await Sql.ExecuteAsync(writer, "UPDATE events SET country = 'Japan' WHERE event_id = 42");
        if (path == SchemaFlavor.Postgres)
        {
            await Sql.ExecuteAsync(writer, "SELECT rollup.refresh(INTERVAL '0')");
        }

        // The writer ranks the last 24 hours, as Enrich's maintenance does without TimescaleDB.
        await Sql.ExecuteAsync(writer, "SELECT refresh_top_24h()");
        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "SELECT refresh_top_24h()"));

        // What the reader reads beyond this is ReaderRelationsTests' subject.
        Assert.Equal("Japan", await Sql.ScalarAsync(reader, "SELECT country FROM v_dashboard_events WHERE event_id = 42"));
        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "SELECT payload FROM events"));
        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "UPDATE v_dashboard_events SET country = 'Peru'"));
        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "CREATE TABLE mine (id int)"));

        foreach (var statement in new[]
                 {
                     "DELETE FROM events", "TRUNCATE events", "DELETE FROM actors", "ALTER TABLE events ADD COLUMN mine int", "DROP VIEW v_recent_events",
                     "DROP TABLE actors", "CREATE TABLE mine (id int)", "CREATE VIEW mine AS SELECT 1",
                     "CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CREATE INDEX mine ON events (actor)",
                     "UPDATE schema_migrations SET checksum = NULL", "DELETE FROM schema_definitions",
                 })
        {
            await AssertDeniedAsync(Sql.ExecuteAsync(writer, statement));
        }

        if (path == SchemaFlavor.Postgres)
        {
            // The owner's functions that clear and rebuild rollup tables are not the writer's to run.
            await AssertDeniedAsync(Sql.ExecuteAsync(writer, "SELECT rollup.clear_range(ARRAY['event_stats_5m'], '-infinity', 'infinity')"));
            await AssertDeniedAsync(Sql.ExecuteAsync(writer, "SELECT rollup.materialize_5m(now() - INTERVAL '1 day', now())"));
            await AssertDeniedAsync(Sql.ExecuteAsync(writer, "SELECT rollup.materialize_hour(now() - INTERVAL '1 day', now())"));
            await AssertDeniedAsync(Sql.ExecuteAsync(reader, "SELECT drop_expired_rows('actors', INTERVAL '0')"));
        }
    }

    [Fact]
    public async Task The_migrate_command_applies_the_schema_as_the_owner_and_Enrich_without_ApplySchema_only_checks_it_as_the_writer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var owner = await postgres.CreateDatabaseAsync();
        var writer = $"writer_{Guid.NewGuid():N}"[..20];
        // One look, no wait for the owner (SchemaWaitTests wait).
        var checkOnly = new DatabaseOptions { ApplySchema = false, SchemaWaitTimeout = TimeSpan.Zero };

        // Before the migrations, Enrich does not start on the database, and says what to run.
        await using (var ownerSource = NpgsqlDataSource.Create(owner))
        {
            var early = await Assert.ThrowsAsync<SchemaNotAppliedException>(() =>
                EventDatabase.Setup(ownerSource, EventDatabase.Options(SchemaFlavor.Postgres), checkOnly).RunAsync(cancellationToken));
            Assert.Contains("Database:ApplySchema", early.Message);
            Assert.Contains("migrate", early.Message);
            Assert.Equal(0L, await Sql.ScalarAsync(owner, "SELECT count(*) FROM pg_class WHERE relname = 'events'"));
        }

        Assert.Equal(0, await SchemaMigrationCommand.RunAsync(
        [
            $"--ConnectionStrings:{WriterDataSource.ConnectionName}={owner}",
            "--Storage:TimescaleDb=Never",
            $"--Database:WriterRole={writer}",
            "--Database:WriterPassword=migrated writer",
        ]));
        Assert.Equal(Migration.All.Count, await MigrationsCountAsync(owner));

        await using var writerSource = NpgsqlDataSource.Create(As(owner, writer, "migrated writer"));
        Assert.Equal(SchemaFlavor.Postgres, await EventDatabase.Setup(writerSource, EventDatabase.Options(SchemaFlavor.Postgres), checkOnly).RunAsync(cancellationToken));
    }

    private static async Task AssertDeniedAsync(Task attempt)
    {
        var denied = await Assert.ThrowsAsync<PostgresException>(() => attempt);
        Assert.True(denied.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{denied.SqlState}: {denied.MessageText}");
    }

    private static string As(string connectionString, string role, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = password }.ConnectionString;

    private static async Task<List<string>> MigrationsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT version || ' ' || name || ' ' || storage_path FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<long> MigrationsCountAsync(string connectionString) =>
        (long)(await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM schema_migrations"))!;
}
