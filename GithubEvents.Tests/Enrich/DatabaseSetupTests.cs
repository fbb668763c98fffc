using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.Infrastructure;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

public sealed class DatabaseSetupTests(PostgresServer postgres)
{
    public static TheoryData<SchemaFlavor> Paths => [SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_migration_is_recorded_once_and_running_the_setup_again_changes_nothing(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var before = await MigrationsAsync(database.ConnectionString);

        Assert.Equal(path, await database.SetupAsync());

        Assert.Equal(before, await MigrationsAsync(database.ConnectionString));
        Assert.Equal(Migration.All.Select(migration => $"{migration.Version} {migration.Name} {path}"), before);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Replicas_starting_at_once_apply_each_migration_once(SchemaFlavor path)
    {
        if (path == SchemaFlavor.TimescaleDb && !postgres.HasTimescaleDb)
        {
            Assert.Skip("The test server has no TimescaleDB extension.");
        }

        var connectionString = await postgres.CreateDatabaseAsync();
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
    [MemberData(nameof(Paths))]
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
        Assert.Equal(1, await database.Writer.WriteAsync([row], TestContext.Current.CancellationToken));
        Assert.Equal(roles.WriterRole, await Sql.ScalarAsync(writer, "SELECT current_user"));
        await Sql.ExecuteAsync(writer, "UPDATE events SET country = 'Japan' WHERE event_id = 42");
        if (path == SchemaFlavor.Postgres)
        {
            await Sql.ExecuteAsync(writer, "SELECT rollup.refresh(INTERVAL '0')");
        }

        foreach (var view in new[] { "events", "v_event_rate_1m", "v_top_countries_24h", "v_top_repos_24h", "v_recent_events", "event_stats_5m", "country_stats_5m", "actor_stats_1h" })
        {
            Assert.Equal(1L, await Sql.ScalarAsync(reader, $"SELECT count(*) FROM {view}"));
        }

        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "UPDATE events SET country = 'Peru'"));
        await AssertDeniedAsync(Sql.ExecuteAsync(reader, "CREATE TABLE mine (id int)"));
        await AssertDeniedAsync(Sql.ExecuteAsync(writer, "DELETE FROM events"));
        await AssertDeniedAsync(Sql.ExecuteAsync(writer, "DROP VIEW v_recent_events"));
        await AssertDeniedAsync(Sql.ExecuteAsync(writer, "CREATE TABLE mine (id int)"));
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

    private static async Task<long> MigrationsCountAsync(string connectionString) =>
        (long)(await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM schema_migrations"))!;
}
