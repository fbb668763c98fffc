using System.Text.RegularExpressions;
using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.AppHost;

namespace GithubEvents.Tests.Enrich;

/// <summary>Versioned migrations checked by their checksums, and views and functions from one file each (issue 23).</summary>
public sealed partial class SchemaAsCodeTests(PostgresServer postgres)
{
    public static TheoryData<SchemaFlavor, int> Releases =>
        new(from path in new[] { SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb } from version in new[] { 1, 6, 10, 14, 15 } select (path, version));

    [Theory]
    [MemberData(nameof(Releases))]
    public async Task A_database_an_earlier_release_set_up_reaches_the_schema_of_a_fresh_one(SchemaFlavor path, int version)
    {
        await using var fresh = await EventDatabase.CreateAsync(postgres, path);
        var upgraded = await EventDatabase.CreateEmptyAsync(postgres, path);
        await LegacySchema.CreateAsync(upgraded, path, version);

        await using (await EventDatabase.OpenAsync(upgraded, EventDatabase.Options(path)))
        {
            var (expected, actual) = (await postgres.DumpSchemaAsync(fresh.ConnectionString), await postgres.DumpSchemaAsync(upgraded));
            Assert.True(expected == actual,
                $"Only in the fresh schema:\n{string.Join('\n', expected.Split('\n').Except(actual.Split('\n')))}\n" +
                $"Only in the upgraded one:\n{string.Join('\n', actual.Split('\n').Except(expected.Split('\n')))}");
            // Checksums recorded on the way, with no step of the operator's.
            Assert.Equal(0L, await Sql.ScalarAsync(upgraded, "SELECT count(*) FROM schema_migrations WHERE checksum IS NULL"));
            Assert.Equal(
                await Sql.ScalarAsync(fresh.ConnectionString, "SELECT string_agg(version || checksum, ',' ORDER BY version) FROM schema_migrations"),
                await Sql.ScalarAsync(upgraded, "SELECT string_agg(version || checksum, ',' ORDER BY version) FROM schema_migrations"));
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_changed_applied_migration_stops_the_setup_with_the_file_and_the_fix_and_a_null_checksum_accepts_it(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        // The database's history says version 7 ran other text than its files hold now.
        await Sql.ExecuteAsync(database.ConnectionString, "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 7");

        var error = await Assert.ThrowsAsync<ChangedMigrationException>(database.SetupAsync);

        Assert.Contains($"0007_dashboard_aggregates.{(path == SchemaFlavor.Postgres ? "postgres" : "timescaledb")}.sql", error.Message);
        Assert.Contains("restore the file", error.Message);
        Assert.Contains("UPDATE schema_migrations SET checksum = NULL WHERE version = 7", error.Message);

        await Sql.ExecuteAsync(database.ConnectionString, "UPDATE schema_migrations SET checksum = NULL WHERE version = 7");
        Assert.Equal(path, await database.SetupAsync());
        Assert.Equal(Migration.All.Single(migration => migration.Version == 7).Checksum(path),
            await Sql.ScalarAsync(database.ConnectionString, "SELECT checksum FROM schema_migrations WHERE version = 7"));
    }

    [Fact]
    public void Every_view_and_function_is_created_in_one_file_of_Definitions_for_both_flavours_or_one_for_each_and_in_no_migration()
    {
        var storage = Path.Combine(AppHostProcess.RepositoryRoot(), "GithubEvents.Enrich", "Storage");
        var created = Directory.EnumerateFiles(storage, "*.sql", SearchOption.AllDirectories)
            .SelectMany(file => Created().Matches(File.ReadAllText(file)).Select(match => (Name: Qualified(match.Groups["name"].Value), File: Path.GetRelativePath(storage, file))))
            .ToList();

        Assert.NotEmpty(created);
        Assert.All(created.GroupBy(creation => creation.Name), name =>
        {
            var files = name.Select(creation => creation.File).Distinct().ToList();
            Assert.True(files.Count == 1 || (files.Count == 2 && files.Any(file => file.EndsWith(".postgres.sql", StringComparison.Ordinal)) &&
                                             files.Any(file => file.EndsWith(".timescaledb.sql", StringComparison.Ordinal))),
                $"{name.Key} is created in {string.Join(", ", files)}");
        });
        Assert.All(created, creation => Assert.StartsWith("Definitions", creation.File));
        Assert.Equal(Definition.All.Select(definition => definition.QualifiedName).Order(), created.Select(creation => creation.Name).Order());
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_database_has_exactly_the_views_and_functions_of_its_flavours_definitions(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var continuousAggregates = path == SchemaFlavor.TimescaleDb ? EventDatabase.Aggregates.Select(view => $"public.{view}").ToHashSet() : [];

        var inDatabase = (await Sql.ScalarAsync(database.ConnectionString,
                """
                SELECT string_agg(name, ',') FROM (
                    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'v' AND n.nspname IN ('public', 'rollup')
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                    UNION
                    SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname IN ('public', 'rollup') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
                ) AS defined
                """) as string)!.Split(',').Where(name => !continuousAggregates.Contains(name));

        Assert.Equal(Definition.InOrder(path).Select(definition => definition.QualifiedName).Order(), inDatabase.Order());
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_changed_or_missing_definition_is_created_again_with_what_depends_on_it_and_a_removed_one_is_dropped(SchemaFlavor path)
    {
        var roles = new DatabaseOptions { ReaderRole = $"reader_{Guid.NewGuid():N}"[..20], ReaderPassword = "reader secret" };
        await using var database = await EventDatabase.CreateAsync(postgres, path, roles);
        const string Oids = "SELECT string_agg(c.relname || '=' || c.oid, ',' ORDER BY c.relname) FROM pg_class c WHERE c.relname IN ('v_polls_by_hour', 'v_capture_by_hour', 'v_recent_events')";
        var before = ByName(await Sql.ScalarAsync(database.ConnectionString, Oids));
        // As if v_polls_by_hour's file had changed since it was applied, and a definition had been removed from the files.
        await Sql.ExecuteAsync(database.ConnectionString, "UPDATE schema_definitions SET checksum = 'changed' WHERE name = 'public.v_polls_by_hour'");
        await Sql.ExecuteAsync(database.ConnectionString,
            "CREATE VIEW v_retired AS SELECT 1 AS one; INSERT INTO schema_definitions (name, kind, checksum) VALUES ('public.v_retired', 'View', 'gone')");
        // And as if someone had dropped a view by hand.
        await Sql.ExecuteAsync(database.ConnectionString, "DROP VIEW v_top_actors_24h");

        await database.SetupAsync();

        var after = ByName(await Sql.ScalarAsync(database.ConnectionString, Oids));
        Assert.NotEqual(before["v_polls_by_hour"], after["v_polls_by_hour"]);
        Assert.NotEqual(before["v_capture_by_hour"], after["v_capture_by_hour"]);
        Assert.Equal(before["v_recent_events"], after["v_recent_events"]);
        Assert.Equal(true, await Sql.ScalarAsync(database.ConnectionString, "SELECT to_regclass('v_retired') IS NULL"));
        Assert.Equal(true, await Sql.ScalarAsync(database.ConnectionString, "SELECT to_regclass('v_top_actors_24h') IS NOT NULL"));
        Assert.Equal(0L, await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM schema_definitions WHERE name = 'public.v_retired' OR checksum = 'changed'"));
        // The views created again are readable by the reader, as before.
        var reader = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = roles.ReaderRole, Password = roles.ReaderPassword }.ConnectionString;
        Assert.Equal(0L, await Sql.ScalarAsync(reader, "SELECT count(*) FROM v_capture_by_hour"));
    }

    private static Dictionary<string, string> ByName(object? list) =>
        ((string)list!).Split(',').Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => pair[1]);

    private static string Qualified(string name) => name.Contains('.') ? name : $"public.{name}";

    // A CREATE of a view (not a continuous aggregate's MATERIALIZED VIEW), function or procedure, wherever it stands.
    [GeneratedRegex(@"\bCREATE\s+(OR\s+REPLACE\s+)?(VIEW|FUNCTION|PROCEDURE)\s+(?<name>[\w.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Created();
}
