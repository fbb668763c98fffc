using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// Restores the trimmed payloads of the watched repositories' recent events: asks GitHub's GraphQL API, in batches of
/// many repositories' commits and pull requests, within the restorations' own share of the points
/// (<see cref="RestorationBudget"/>), stores every answer (not found included, which is final) and patches the rows
/// that wait for it. One replica at a time does this, since the budget belongs to the token.
/// </summary>
public sealed partial class PayloadRestorer(
    RestorationStore store,
    RestorationClient client,
    RestorationBudget budget,
    RestorationMetrics metrics,
    IOptions<RestorationOptions> options,
    IOptions<GitHubApiOptions> github,
    LeaderElection election,
    ILogger<PayloadRestorer> logger) : LeaderService(election, "the payload restorations", AdvisoryLocks.Restorations, logger)
{
    // Batches asked for in one pass, and rows patched in one statement.
    private const int BatchesPerPass = 10;
    private const int PatchRows = 5_000;

    protected override TimeSpan AcquireInterval => options.Value.IdleInterval;

    protected override void OnLeadTaken()
    {
        if (github.Value.HasToken)
        {
            LogStarting(client.GraphQLUrl);
        }
        else
        {
            LogNoToken();
        }
    }

    protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        if (!github.Value.HasToken)
        {
            return options.Value.IdleInterval;
        }

        var since = Time.GetUtcNow() - options.Value.Window;
        // Rows whose commit or pull request an earlier answer covers (a push of a commit asked for before, say).
        await PatchAsync(since, cancellationToken);
        var limit = options.Value.BatchSize * BatchesPerPass;
        var pending = await store.PendingAsync(since, limit, cancellationToken);
        foreach (var batch in pending.Chunk(options.Value.BatchSize))
        {
            if (!await AskAsync(batch, cancellationToken))
            {
                return budget.AfterFailure();
            }
        }

        await PatchAsync(since, cancellationToken);
        return pending.Count < limit ? options.Value.IdleInterval : TimeSpan.Zero;
    }

    protected override TimeSpan BackOff(int failures) => budget.AfterFailure();

    /// <returns>False when GitHub could not answer: the batch waits for the next pass.</returns>
    private async Task<bool> AskAsync(RestoreTarget[] batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = budget.WaitBefore();
            if (wait > TimeSpan.Zero)
            {
                LogBudgetSpent(budget.Spent, wait);
                await Task.Delay(wait, Time, cancellationToken);
            }

            var (answer, answered) = await client.FetchAsync(batch, cancellationToken);
            switch (answer.Kind)
            {
                case AnswerKind.Answered when answered is not null:
                    budget.Spend(answer.RateLimit, answered.RateLimit?.Cost);
                    await store.SaveAsync(answered.Objects, Time.GetUtcNow(), cancellationToken);
                    metrics.Answered(answered.Objects);
                    LogAnswered(batch.Length, answered.Objects.Count(o => o.Value is null), batch.Length - answered.Objects.Count);
                    return true;
                case AnswerKind.RateLimited:
                    // Nothing left: the next WaitBefore sleeps until the reset.
                    budget.Spend(answer.RateLimit, cost: null);
                    if (answer.RateLimit is not { } spent || spent.Reset <= Time.GetUtcNow())
                    {
                        return false;
                    }

                    break;
                case AnswerKind.SecondaryRateLimited:
                    var pause = budget.AfterFailure(answer.RetryAfter);
                    LogSecondaryLimit(answer.RetryAfter, pause);
                    await Task.Delay(pause, Time, cancellationToken);
                    break;
                default:
                    LogFailed(answer.Failure ?? answer.Kind.ToString());
                    return false;
            }
        }
    }

    private async Task PatchAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        while (true)
        {
            var answered = await store.AnsweredAsync(since, PatchRows, cancellationToken);
            var rows = answered.Select(pair => pair.Value is { } value
                ? PayloadRestoration.Restore(pair.Row, value)
                : new RestoredRow(pair.Row.Time, pair.Row.EventId, Payload: null, Paths: [], Detail: null)).ToList();
            var written = await store.PatchAsync(rows, cancellationToken);
            metrics.Rows(rows);
            if (rows.Count > 0)
            {
                LogPatched(written, rows.Count(row => row.Paths.Count == 0));
            }

            if (answered.Count < PatchRows)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Restoring the watched repositories' trimmed payloads through {Url}")]
    private partial void LogStarting(Uri url);

    [LoggerMessage(LogLevel.Warning, "No GitHub:Token: GitHub answers GraphQL only with one, so trimmed payloads are not restored")]
    private partial void LogNoToken();

    [LoggerMessage(LogLevel.Debug, "GitHub answered about {Count} commits and pull requests ({NotFound} not found, {Unsettled} left for later)")]
    private partial void LogAnswered(int count, int notFound, int unsettled);

    [LoggerMessage(LogLevel.Debug, "Restored {Rows} rows ({NotFound} marked as not found)")]
    private partial void LogPatched(int rows, int notFound);

    [LoggerMessage(LogLevel.Information, "The restorations' share of the GraphQL budget is spent ({Spent} points); waiting {Wait} until it resets")]
    private partial void LogBudgetSpent(int spent, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "GitHub's secondary rate limit answered a restoration query (Retry-After: {RetryAfter}); waiting {Wait}")]
    private partial void LogSecondaryLimit(TimeSpan? retryAfter, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "A restoration query failed ({Failure}); its commits and pull requests wait for the next pass")]
    private partial void LogFailed(string failure);
}
