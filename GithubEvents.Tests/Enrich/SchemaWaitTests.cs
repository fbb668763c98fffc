using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Enrich without <c>Database:ApplySchema</c> (a deployment, where the owner's login applies the schema) waits, up to
/// <c>Database:SchemaWaitTimeout</c>, for the owner's setup: a schema not there yet, or one whose setup is under way.
/// </summary>
public sealed class SchemaWaitTests(PostgresServer postgres)
{
    private static readonly StorageOptions Postgres = EventDatabase.Options(SchemaFlavor.Postgres);

    [Fact]
    public async Task Enrich_started_before_the_migrate_command_starts_once_the_command_has_applied_the_schema()
    {
        var owner = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(owner);

        var check = EventDatabase.Setup(dataSource, Postgres, new DatabaseOptions { ApplySchema = false })
            .RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await SchemaMigrationCommand.RunAsync([$"--ConnectionStrings:{WriterDataSource.ConnectionName}={owner}", "--Storage:TimescaleDb=Never"]));

        Assert.Equal(SchemaFlavor.Postgres, await check);
    }

    [Fact]
    public async Task Enrich_waits_for_a_setup_under_way_and_stops_naming_the_setting_when_the_setup_outlasts_its_wait()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        // The owner's setup holds this lock from its first migration to its last grant: the newest version may be
        // recorded while the definitions and the writer's grants are not there yet.
        await using var setupUnderWay = new NpgsqlConnection(database.ConnectionString);
        await setupUnderWay.OpenAsync(TestContext.Current.CancellationToken);
        await LockAsync(setupUnderWay, "pg_advisory_lock");

        var outlasted = await Assert.ThrowsAsync<SchemaNotAppliedException>(() =>
            EventDatabase.Setup(database.DataSource, Postgres, new DatabaseOptions { ApplySchema = false, SchemaWaitTimeout = TimeSpan.FromSeconds(1) })
                .RunAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Database:SchemaWaitTimeout", outlasted.Message);

        var check = EventDatabase.Setup(database.DataSource, Postgres, new DatabaseOptions { ApplySchema = false })
            .RunAsync(TestContext.Current.CancellationToken);
        await LockAsync(setupUnderWay, "pg_advisory_unlock");
        Assert.Equal(SchemaFlavor.Postgres, await check);
    }

    private static async Task LockAsync(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtext(@name))", connection);
        command.Parameters.AddWithValue("name", AdvisoryLocks.Setup);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
