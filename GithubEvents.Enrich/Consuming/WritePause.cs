using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Why the consumer's partitions are paused: said in the log when a batch fails and in <c>/health</c> (the
/// <c>database-writes</c> check) until one is stored again. A database out of disk space (SQLSTATE 53100) is named as
/// such, with what frees it, and logged once rather than at every retry: it lasts until someone frees space.
/// </summary>
public sealed partial class WritePause(IOptions<StorageOptions> storage, TimeProvider time, ILogger<WritePause> logger) : IHealthCheck
{
    private const string DiskFullState = "53100";

    private volatile string? _cause;
    private long? _diskFullSince;

    /// <summary>The last write failed for a full disk: see <see cref="DatabaseErrors.Classify(Exception, bool)"/>.</summary>
    public bool DiskFull => _diskFullSince is not null;

    /// <summary>A batch of <paramref name="count"/> messages failed; it is tried again after <paramref name="delay"/>.</summary>
    public void Failed(Exception exception, int count, TimeSpan delay)
    {
        if (Refusal(exception) is { SqlState: DiskFullState } full)
        {
            _cause = $"PostgreSQL is out of disk space ({full.SqlState} {full.MessageText}): writes are paused; free space on the database's volume";
            if (_diskFullSince is null)
            {
                _diskFullSince = time.GetTimestamp();
                LogDiskFull(full.SqlState, full.MessageText, count);
            }
            else
            {
                LogStillDiskFull(delay);
            }

            return;
        }

        // PostgreSQL may answer a retry on the full disk with an internal error instead, such as "unexpected data beyond
        // EOF" for the pages a failed extension left: while the disk is full, that is the same pause.
        if (_diskFullSince is not null && Refusal(exception) is { SqlState: PostgresErrorCodes.InternalError } internalError)
        {
            LogStillDiskFullAfter(internalError.MessageText, delay);
            return;
        }

        _diskFullSince = null;
        if (exception is NpgsqlException { InnerException: TimeoutException })
        {
            _cause = $"Writes are paused: a statement ran longer than Storage:WriteTimeout ({storage.Value.WriteTimeout}); retrying";
            LogWriteTimedOut(count, storage.Value.WriteTimeout, delay);
        }
        else
        {
            _cause = $"Writes are paused: could not store a batch ({exception.Message}); retrying";
            LogRetrying(exception, count, delay);
        }
    }

    /// <summary>The batch that failed is stored and the partitions resumed.</summary>
    public void Resumed()
    {
        _cause = null;
        if (_diskFullSince is { } since)
        {
            _diskFullSince = null;
            LogDiskFreed(time.GetElapsedTime(since));
        }
        else
        {
            LogResumed();
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_cause is { } cause
            ? new HealthCheckResult(context.Registration.FailureStatus, cause)
            : HealthCheckResult.Healthy("Storing batches"));

    private static PostgresException? Refusal(Exception? exception)
    {
        while (exception is not null and not PostgresException)
        {
            exception = exception.InnerException;
        }

        return exception as PostgresException;
    }

    [LoggerMessage(LogLevel.Error,
        "PostgreSQL is out of disk space ({SqlState} {Reason}): a batch of {Count} messages is not stored and the partitions are paused; nothing is skipped. Free space on the database's volume: writes resume by themselves")]
    private partial void LogDiskFull(string sqlState, string reason, int count);

    [LoggerMessage(LogLevel.Debug, "PostgreSQL is still out of disk space; retrying in {Delay}")]
    private partial void LogStillDiskFull(TimeSpan delay);

    [LoggerMessage(LogLevel.Debug, "PostgreSQL is still out of disk space (its last answer: {Reason}); retrying in {Delay}")]
    private partial void LogStillDiskFullAfter(string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "PostgreSQL stores batches again after running out of disk space for {Duration}; partitions resumed")]
    private partial void LogDiskFreed(TimeSpan duration);

    [LoggerMessage(LogLevel.Warning, "Could not store a batch of {Count} messages; partitions paused, retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, int count, TimeSpan delay);

    [LoggerMessage(LogLevel.Error,
        "Storing a batch of {Count} messages timed out: a statement of its write ran longer than Storage:WriteTimeout ({Timeout}) and was cancelled; partitions paused, retrying in {Delay}")]
    private partial void LogWriteTimedOut(int count, TimeSpan timeout, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Batch stored after retrying; partitions resumed")]
    private partial void LogResumed();
}
