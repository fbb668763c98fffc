using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Leadership;

/// <summary>
/// How a replica comes to lead a kind of work, the same for every <see cref="LeaderService"/>: it waits for the schema,
/// then takes the work's <see cref="LeaderLock"/> on the writer's database, asking again at an interval on the clock.
/// </summary>
public sealed class LeaderElection(StorageReadiness storage, WriterDataSource writer, TimeProvider time)
{
    /// <summary>The clock the leader services wait on.</summary>
    public TimeProvider Time => time;

    public Task WaitForSchemaAsync(CancellationToken cancellationToken) => storage.WaitAsync(cancellationToken);

    /// <summary>Tries every <paramref name="retryInterval"/> until this replica holds <paramref name="lockName"/>.</summary>
    public Task<LeaderLock> LeadAsync(string lockName, TimeSpan retryInterval, CancellationToken cancellationToken) =>
        LeaderLock.AcquireAsync(writer, lockName, retryInterval, time, cancellationToken);
}
