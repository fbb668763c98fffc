using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// On plain PostgreSQL, does what TimescaleDB's background jobs do on the other flavour: materialises the aggregates
/// (<c>rollup.refresh</c>), ranks the last 24 hours every <c>Storage:RankingRefreshInterval</c> and drops the rows of
/// every relation past its retention (events: <c>Storage:Retention</c>; the others: <see cref="RetentionOptions"/>).
/// Refresh and retention work in slices, each one statement within <c>Storage:MaintenanceTimeout</c>, for at most one
/// <c>Storage:AggregateRefreshInterval</c> a turn, so that a long catch-up neither hits a timeout nor holds the
/// other work back; each piece of work fails, or times out, on its own. Replicas may all run it; the database lets one
/// refresh at a time.
/// </summary>
public sealed partial class PostgresMaintenance(
    WriterDataSource writer,
    StorageReadiness readiness,
    IOptions<StorageOptions> options,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<PostgresMaintenance> logger) : BackgroundService
{
    /// <summary>5-minute slices a refresh statement materialises at most: an hour.</summary>
    public const int RefreshSlices = 12;

    /// <summary>Rows a retention statement deletes at most.</summary>
    public const int RetentionRows = 50_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await readiness.WaitAsync(stoppingToken) != SchemaFlavor.Postgres)
        {
            return;
        }

        var settings = options.Value;
        var nextRetention = time.GetUtcNow();
        var nextRanking = time.GetUtcNow();
        using var timer = new PeriodicTimer(settings.AggregateRefreshInterval, time);
        do
        {
            var caughtUp = await AttemptAsync("aggregate refresh", () => RefreshAggregatesAsync(settings.AggregateRefreshLag, stoppingToken, TurnEnd()));
            if (time.GetUtcNow() >= nextRanking && await AttemptAsync("ranking", () => RankAsync(stoppingToken)))
            {
                nextRanking = time.GetUtcNow() + settings.RankingRefreshInterval;
            }

            // Until the expired rows are all gone, the retention goes on at the next turn: it drops only the events the rollups
            // hold, so while the refresh catches up, more becomes droppable at every turn.
            if (time.GetUtcNow() >= nextRetention && await AttemptAsync("retention", () => DropExpiredRowsAsync(stoppingToken, TurnEnd())) && caughtUp)
            {
                nextRetention = time.GetUtcNow() + settings.RetentionInterval;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));

        DateTimeOffset TurnEnd() => time.GetUtcNow() + settings.AggregateRefreshInterval;
    }

    /// <summary>
    /// Materialises the aggregates up to <paramref name="lag"/> ago, slice by slice; by <paramref name="turnEnd"/>, if given,
    /// it stops where it is. Whether it caught up.
    /// </summary>
    public async Task<bool> RefreshAggregatesAsync(TimeSpan lag, CancellationToken cancellationToken, DateTimeOffset? turnEnd = null)
    {
        int? materialised;
        do
        {
            await using var command = Command("SELECT rollup.refresh(@lag, @slices)");
            command.Parameters.AddWithValue("lag", lag);
            command.Parameters.AddWithValue("slices", RefreshSlices);
            materialised = await command.ExecuteScalarAsync(cancellationToken) as int?;
        }
        while (materialised == RefreshSlices && (turnEnd is null || time.GetUtcNow() < turnEnd));

        return materialised != RefreshSlices;
    }

    /// <summary>Ranks the last 24 hours' busiest repositories, actors and countries (<c>refresh_top_24h</c>).</summary>
    public async Task<bool> RankAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT refresh_top_24h()");
        await command.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes the rows past their retention, events first, each relation slice by slice until <paramref name="turnEnd"/>;
    /// whether none is left.
    /// </summary>
    public async Task<bool> DropExpiredRowsAsync(CancellationToken cancellationToken, DateTimeOffset turnEnd)
    {
        var storage = options.Value;
        var done = await DropInSlicesAsync("events", storage.Retention, "SELECT rollup.drop_events_older_than(@age, @rows)", cancellationToken, turnEnd);
        var tables = retention.Value.Aggregates(storage).Select(aggregate => ($"rollup.{aggregate.Aggregate}", aggregate.Retention))
            .Concat(retention.Value.Tables(storage));
        foreach (var (table, age) in tables)
        {
            done = time.GetUtcNow() < turnEnd &&
                   await DropInSlicesAsync(table, age, "SELECT drop_expired_rows(@table, @age, @rows)", cancellationToken, turnEnd) && done;
        }

        return done;
    }

    private async Task<bool> DropInSlicesAsync(string table, TimeSpan age, string sql, CancellationToken cancellationToken, DateTimeOffset turnEnd)
    {
        long dropped = 0, slice;
        do
        {
            await using var command = Command(sql);
            command.Parameters.AddWithValue("table", table);
            command.Parameters.AddWithValue("age", age);
            command.Parameters.AddWithValue("rows", RetentionRows);
            slice = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            dropped += slice;
        }
        while (slice == RetentionRows && time.GetUtcNow() < turnEnd);

        if (dropped > 0)
        {
            LogRetention(dropped, table, age, slice < RetentionRows ? "none is left" : "more are left for the next turn");
        }

        return slice < RetentionRows;
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = writer.DataSource.CreateCommand(sql);
        command.CommandTimeout = (int)Math.Ceiling(options.Value.MaintenanceTimeout.TotalSeconds);
        return command;
    }

    // What the work says (whether it is done), or false: a failure or a timeout is logged with the work it cut, and the
    // work is tried again at the next turn.
    private async Task<bool> AttemptAsync(string work, Func<Task<bool>> run)
    {
        try
        {
            return await run();
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException)
        {
            LogTimedOut(work, options.Value.MaintenanceTimeout);
        }
        catch (NpgsqlException ex)
        {
            LogFailed(ex, work);
        }

        return false;
    }

    [LoggerMessage(LogLevel.Information, "Retention dropped {Count} rows of {Table} older than {Retention}; {Left}")]
    private partial void LogRetention(long count, string table, TimeSpan retention, string left);

    [LoggerMessage(LogLevel.Error,
        "The {Work} timed out: one of its statements ran longer than Storage:MaintenanceTimeout ({Timeout}) and was cancelled; it is tried again at the next interval")]
    private partial void LogTimedOut(string work, TimeSpan timeout);

    [LoggerMessage(LogLevel.Warning, "The {Work} failed; it is tried again at the next interval")]
    private partial void LogFailed(Exception exception, string work);
}
