using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>Leadership among replicas through a session advisory lock on a connection outside the writer's pool.</summary>
public sealed class LeaderLockTests(PostgresServer postgres)
{
    private const string Name = "github-events:test-leader";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_replica_leads_and_another_leads_as_soon_as_the_leader_lets_go()
    {
        await using var replicas = await TwoReplicas.FirstLeadingAsync(postgres);
        var (database, first, second, leader) = (replicas.Database, replicas.First, replicas.Second, replicas.Leader);
        Assert.True(await leader.IsHeldAsync(Cancellation));
        Assert.Null(await LeaderLock.TryAcquireAsync(second, Name, Cancellation));
        // Another attempt of the leading replica's is another session too.
        Assert.Null(await LeaderLock.TryAcquireAsync(first, Name, Cancellation));
        await using (var pooled = first.DataSource.CreateCommand("SELECT 1"))
        {
            await pooled.ExecuteScalarAsync(Cancellation);
        }

        // The leading replica's pool stays open, with its idle connection: the lock is gone all the same.
        await leader.DisposeAsync();
        await using var next = await LeaderLock.TryAcquireAsync(second, Name, Cancellation);
        Assert.NotNull(next);
        Assert.Equal(1L, await AdvisoryLocksAsync(database));
    }

    [Fact]
    public async Task A_leader_whose_session_ended_no_longer_leads_and_another_takes_over()
    {
        await using var replicas = await TwoReplicas.FirstLeadingAsync(postgres);
        var (database, second, leader) = (replicas.Database, replicas.Second, replicas.Leader);

        Assert.Equal(true, await Sql.ScalarAsync(database,
            """
            SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """));

        Assert.False(await leader.IsHeldAsync(Cancellation));
        await leader.DisposeAsync();
        await using var next = await LeaderLock.TryAcquireAsync(second, Name, Cancellation);
        Assert.NotNull(next);
    }

    /// <summary>Two replicas' writer connections to a database of their own, the first leading.</summary>
    private sealed class TwoReplicas(string database, WriterDataSource first, WriterDataSource second, LeaderLock leader) : IAsyncDisposable
    {
        public string Database => database;

        public WriterDataSource First => first;

        public WriterDataSource Second => second;

        public LeaderLock Leader => leader;

        public static async Task<TwoReplicas> FirstLeadingAsync(PostgresServer postgres)
        {
            var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = true }.ConnectionString;
            var first = Writer(database);
            var leader = await LeaderLock.TryAcquireAsync(first, Name, Cancellation);
            Assert.NotNull(leader);
            return new TwoReplicas(database, first, Writer(database), leader);
        }

        // The lock first, then the replicas' pools; a test may have let go of the lock already.
        public async ValueTask DisposeAsync()
        {
            await leader.DisposeAsync();
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    private static WriterDataSource Writer(string connectionString) =>
        new(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connectionString })
                .Build(),
            Microsoft.Extensions.Options.Options.Create(new DatabaseOptions()));

    private static async Task<long> AdvisoryLocksAsync(string database) =>
        (long)(await Sql.ScalarAsync(database,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))!;
}
