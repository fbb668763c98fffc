using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Filling;

/// <summary>
/// The safety net behind the write path and the lookups' own fills, on one replica at a time: on taking the lead, fills
/// the rows of the whole fill window whose actor is known (fills lost to a restart or a failure); then every
/// <c>Profiles:FillInterval</c> those of the last two intervals (a row whose write raced with its actor's lookup), and
/// reads the coverage for the metrics. Only recent rows after the first pass: a pass over the whole window reads a day
/// of events. Each pass also fills the rows of <c>actor_backlog</c>'s actors once their profile and place are known.
/// </summary>
public sealed partial class LateFilling(
    RowFiller filler,
    CoverageReader coverageReader,
    FillMetrics metrics,
    IOptions<FillOptions> options,
    LeaderElection election,
    ILogger<LateFilling> logger) : LeaderService(election, "late filling", AdvisoryLocks.LateFilling, logger)
{
    // Backlog actors filled in one transaction.
    private const int BacklogBatch = 1_000;

    private TimeSpan _window;

    protected override TimeSpan AcquireInterval => options.Value.FillInterval;

    protected override void OnLeadTaken() => _window = options.Value.FillWindow;

    // Every FillInterval from the start of one pass to the next, however long a pass takes.
    protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        var filled = await filler.FillKnownAsync(_window, cancellationToken);
        _window = 2 * options.Value.FillInterval;
        long done, actors = 0, backlogRows = 0;
        do
        {
            (done, var rows) = await filler.FillBacklogAsync(BacklogBatch, cancellationToken);
            actors += done;
            backlogRows += rows;
        }
        while (done == BacklogBatch);

        var coverage = await coverageReader.ReadAsync(cancellationToken);
        metrics.Covered(coverage);
        LogPass(filled, backlogRows, actors, coverage.FirstOrDefault()?.ProfileShare ?? 0, coverage.FirstOrDefault()?.CountryShare ?? 0);
        var wait = options.Value.FillInterval - Time.GetElapsedTime(started);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    protected override TimeSpan BackOff(int failures) => options.Value.FillInterval;

    [LoggerMessage(LogLevel.Information,
        "Late filling: {Rows} rows filled, and {BacklogRows} older rows of {BacklogActors} backlog actors; last hour: {ProfileShare:P0} with a profile, {CountryShare:P0} with a country")]
    private partial void LogPass(long rows, long backlogRows, long backlogActors, double profileShare, double countryShare);
}
