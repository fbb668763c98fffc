using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Grafana;

/// <summary>The sample loaded once per storage path for all of a class's panel tests; the panels only read.</summary>
public sealed class DashboardData(PostgresServer server) : IAsyncLifetime
{
    private readonly Dictionary<SchemaFlavor, Task<DashboardDatabase>> _databases = [];
    private readonly Lock _lock = new();

    internal LiveDashboard Dashboard { get; } = LiveDashboard.Load();

    /// <summary>Skips the test when the path is TimescaleDB and the server lacks it.</summary>
    internal Task<DashboardDatabase> OnAsync(SchemaFlavor path)
    {
        if (path == SchemaFlavor.TimescaleDb && !server.HasTimescaleDb)
        {
            Assert.Skip("The test server has no TimescaleDB extension (see the README to run these tests on it).");
        }

        lock (_lock)
        {
            if (!_databases.TryGetValue(path, out var database))
            {
                database = DashboardDatabase.CreateAsync(server, path);
                _databases[path] = database;
            }

            return database;
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values)
        {
            await (await database).DisposeAsync();
        }
    }
}
