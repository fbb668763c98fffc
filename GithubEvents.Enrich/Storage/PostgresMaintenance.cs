using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// On plain PostgreSQL, does what TimescaleDB's background jobs do on the other flavour: materialises the aggregates
/// (<c>rollup.refresh</c>), ranks the last 24 hours every <c>Storage:RankingRefreshInterval</c> and drops events past the retention. Replicas may all run it; the database lets one
/// refresh at a time.
/// </summary>
public sealed partial class PostgresMaintenance(
    WriterDataSource writer,
    StorageReadiness readiness,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<PostgresMaintenance> logger) : BackgroundService
{
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
            try
            {
                await RefreshAggregatesAsync(settings.AggregateRefreshLag, stoppingToken);
                if (time.GetUtcNow() >= nextRanking)
                {
                    await RankAsync(stoppingToken);
                    nextRanking = time.GetUtcNow() + settings.RankingRefreshInterval;
                }

                if (time.GetUtcNow() >= nextRetention)
                {
                    var dropped = await DropExpiredEventsAsync(settings.Retention, stoppingToken);
                    LogRetention(dropped, settings.Retention);
                    nextRetention = time.GetUtcNow() + settings.RetentionInterval;
                }
            }
            catch (NpgsqlException ex)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAggregatesAsync(TimeSpan lag, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT rollup.refresh(@lag)");
        command.Parameters.AddWithValue("lag", lag);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ranks the last 24 hours' busiest repositories, actors and countries (<c>refresh_top_24h</c>).</summary>
    public async Task RankAsync(CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT refresh_top_24h()");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> DropExpiredEventsAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT rollup.drop_events_older_than(@retention)");
        command.Parameters.AddWithValue("retention", retention);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(LogLevel.Information, "Retention dropped {Count} events older than {Retention}")]
    private partial void LogRetention(long count, TimeSpan retention);

    [LoggerMessage(LogLevel.Warning, "Aggregate refresh or retention failed; trying again at the next interval")]
    private partial void LogFailed(Exception exception);
}
