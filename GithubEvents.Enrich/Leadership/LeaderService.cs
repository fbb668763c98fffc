using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Leadership;

/// <summary>
/// Work that one replica at a time does, under an advisory lock: once the schema is ready, it waits for the lead
/// (<see cref="LeaderElection"/>), then runs <see cref="RunPassAsync"/> again and again while the lead holds, and asks
/// for the lead again when its session ends. While a pass runs, the lead is looked at every
/// <see cref="LeadCheckInterval"/>, and the pass cancelled once it is lost: another replica may lead by then, and two
/// must never do the work at once. A pass that fails, with any exception, is logged and retried after
/// <see cref="BackOff"/> with the lead given up meanwhile; only the host's stopping ends the service.
/// </summary>
/// <param name="workName">What the work is, for the logs: "late filling", say.</param>
/// <param name="lockName">One of <see cref="AdvisoryLocks"/>.</param>
public abstract partial class LeaderService(LeaderElection election, string workName, string lockName, ILogger logger)
    : BackgroundService
{
    /// <summary>How often a replica that does not lead asks for the lead again.</summary>
    protected abstract TimeSpan AcquireInterval { get; }

    /// <summary>How often a running pass makes sure that this replica still leads.</summary>
    public static readonly TimeSpan LeadCheckInterval = TimeSpan.FromSeconds(5);

    protected TimeProvider Time => election.Time;

    /// <summary>Called each time this replica takes the lead, before its first pass.</summary>
    protected virtual void OnLeadTaken()
    {
    }

    /// <summary>One pass of the work.</summary>
    /// <returns>How long to wait before the next pass (zero: at once).</returns>
    protected abstract Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken);

    /// <summary>The wait after the <paramref name="failures"/>-th failed pass in a row (1 for the first).</summary>
    protected abstract TimeSpan BackOff(int failures);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LeadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        await election.WaitForSchemaAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leader = await election.LeadAsync(lockName, AcquireInterval, stoppingToken);
                LogLeading(workName, lockName);
                OnLeadTaken();
                while (await leader.IsHeldAsync(stoppingToken))
                {
                    var wait = await RunWhileLeadingAsync(leader, stoppingToken);
                    if (wait is null)
                    {
                        LogPassStopped(workName, lockName);
                        break;
                    }

                    failures = 0;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait.Value, Time, stoppingToken);
                    }
                }

                LogLeadLost(workName, lockName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var wait = BackOff(++failures);
                LogFailed(ex, workName, wait);
                await Task.Delay(wait, Time, stoppingToken);
            }
        }
    }

    // The pass's wait, or null when it was cancelled because the lead was lost. The lock's connection is used by one look
    // at a time: the watch ends before the next look between passes.
    private async Task<TimeSpan?> RunWhileLeadingAsync(LeaderLock leader, CancellationToken stoppingToken)
    {
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var passDone = new CancellationTokenSource();
        var watch = WatchLeadAsync(leader, pass, passDone.Token);
        try
        {
            return await RunPassAsync(pass.Token);
        }
        catch (OperationCanceledException) when (pass.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            await passDone.CancelAsync();
            await watch;
        }
    }

    // A look that fails says no more than a lost lead: the pass stops either way. The look itself is not cancelled when the
    // pass ends, which could leave the lock's connection broken; it is one short query. The looks keep the real clock: the
    // lead lives in a database session, and a test's simulated clock steps the work's own waits, not these.
    private async Task WatchLeadAsync(LeaderLock leader, CancellationTokenSource pass, CancellationToken passDone)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeadCheckInterval, TimeProvider.System, passDone);
                if (!await leader.IsHeldAsync(CancellationToken.None))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (passDone.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogLeadCheckFailed(ex, workName);
        }

        await pass.CancelAsync();
    }

    [LoggerMessage(LogLevel.Information, "This replica leads {Work} (lock {Lock})")]
    private partial void LogLeading(string work, string @lock);

    [LoggerMessage(LogLevel.Warning, "The session holding the leader lock of {Work} ({Lock}) ended; taking it again")]
    private partial void LogLeadLost(string work, string @lock);

    [LoggerMessage(LogLevel.Warning, "This replica lost the lead of {Work} ({Lock}) during a pass; the pass was stopped")]
    private partial void LogPassStopped(string work, string @lock);

    [LoggerMessage(LogLevel.Warning, "Could not make sure that this replica still leads {Work}; its pass is stopped")]
    private partial void LogLeadCheckFailed(Exception exception, string work);

    [LoggerMessage(LogLevel.Error, "A pass of {Work} failed; trying again in {Wait}")]
    private partial void LogFailed(Exception exception, string work, TimeSpan wait);
}
