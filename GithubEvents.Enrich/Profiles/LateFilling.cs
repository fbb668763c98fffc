using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Profiles;

/// <summary>One row of <c>v_enrichment_coverage</c>.</summary>
public sealed record Coverage(string Period, long Events, double ProfileShare, double CountryShare);

/// <summary>
/// The safety net behind the write path and the lookups' own fills, on one replica at a time (a database lock): on
/// taking the lead, fills the rows of the whole fill window whose actor is known (fills lost to a restart or a failure);
/// then every <c>Profiles:FillInterval</c> those of the last two intervals (a row whose write raced with its actor's
/// lookup), and reads the coverage for the metrics. Only recent rows after the first pass: a pass over the whole window
/// reads a day of events.
/// </summary>
public sealed partial class LateFilling(
    RowFiller filler,
    StorageReadiness readiness,
    WriterDataSource writer,
    ProfileMetrics metrics,
    IOptions<ProfileOptions> options,
    TimeProvider time,
    ILogger<LateFilling> logger) : BackgroundService
{
    private const string LeaderLockName = "github-events:late-filling";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = await readiness.WaitAsync(stoppingToken);
        var interval = options.Value.FillInterval;
        while (true)
        {
            try
            {
                await using var leader = await LeaderLock.AcquireAsync(writer, LeaderLockName, interval, time, stoppingToken);
                using var timer = new PeriodicTimer(interval, time);
                var window = options.Value.FillWindow;
                do
                {
                    if (!await leader.IsHeldAsync(stoppingToken))
                    {
                        LogLeadLost();
                        break;
                    }

                    var filled = await filler.FillKnownAsync(window, path, stoppingToken);
                    window = 2 * interval;
                    metrics.Filled(filled);
                    var coverage = await ReadCoverageAsync(stoppingToken);
                    metrics.Covered(coverage);
                    LogPass(filled, coverage.FirstOrDefault()?.ProfileShare ?? 0, coverage.FirstOrDefault()?.CountryShare ?? 0);
                }
                while (await timer.WaitForNextTickAsync(stoppingToken));
            }
            catch (NpgsqlException ex)
            {
                LogFailed(ex);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
    }

    private async Task<IReadOnlyList<Coverage>> ReadCoverageAsync(CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT period, events, profile_share, country_share FROM v_enrichment_coverage");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var periods = new List<Coverage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(new Coverage(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return periods;
    }

    [LoggerMessage(LogLevel.Information, "Late filling: {Rows} rows filled; last hour: {ProfileShare:P0} with a profile, {CountryShare:P0} with a country")]
    private partial void LogPass(long rows, double profileShare, double countryShare);

    [LoggerMessage(LogLevel.Warning, "Late filling failed; trying again at the next interval")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "The session holding the late filling's leader lock ended; taking it again")]
    private partial void LogLeadLost();
}
