using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// One database per storage path for the alert rules' tests, its schema set up by Enrich, with TimescaleDB's jobs
/// stopped so that no refresh moves the aggregates' watermark under the tests. Each test arranges its state in a
/// transaction that it rolls back, and runs the rule's query in it as the reader role Grafana logs in as.
/// </summary>
public sealed class AlertDatabase(PostgresServer server) : IAsyncLifetime
{
    private readonly Dictionary<SchemaFlavor, Task<EventDatabase>> _databases = [];
    private readonly Lock _lock = new();

    internal Task<EventDatabase> OnAsync(SchemaFlavor path)
    {
        if (path == SchemaFlavor.TimescaleDb && !server.HasTimescaleDb)
        {
            Assert.Skip("The test server has no TimescaleDB extension (see the README to run these tests on it).");
        }

        lock (_lock)
        {
            if (!_databases.TryGetValue(path, out var database))
            {
                database = CreateAsync(path);
                _databases[path] = database;
            }

            return database;
        }
    }

    /// <summary>
    /// Runs <paramref name="arrange"/> as the owner, then <paramref name="sql"/> as the reader, in one transaction (one
    /// <c>now()</c>) that is rolled back.
    /// </summary>
    internal static async Task<PanelResult> QueryAsync(EventDatabase database, string arrange, string sql)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var setup = new NpgsqlCommand(arrange, connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var role = new NpgsqlCommand($"SET LOCAL ROLE \"{database.Roles.ReaderRole}\"", connection, transaction))
        {
            await role.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await PanelResult.ReadAsync(connection, transaction, sql);
        await transaction.RollbackAsync(cancellationToken);
        return result;
    }

    private async Task<EventDatabase> CreateAsync(SchemaFlavor path)
    {
        var database = await EventDatabase.CreateAsync(server, path, ReaderRoles());
        if (path == SchemaFlavor.TimescaleDb)
        {
            await Sql.ExecuteAsync(database.ConnectionString, "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000");
        }

        return database;
    }

    /// <summary>A reader role of the test's own, which Enrich's setup creates as it creates Grafana's.</summary>
    internal static DatabaseOptions ReaderRoles() => new()
    {
        ReaderRole = $"grafana_{Guid.NewGuid():N}"[..24],
        ReaderPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values)
        {
            await (await database).DisposeAsync();
        }
    }
}
