using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// The restorations' share of the GraphQL points, with no I/O. The profile lookups spend the same budget, so the
/// restorations count the points their own queries cost in each window (as GitHub's <c>rateLimit.cost</c> says) and stop
/// until the reset before the next query could take them past <c>Restoration:GraphQLBudgetShare</c> of the limit, or
/// past what GitHub says is left. Counted by this process: a new leader may spend a second share in the same window.
/// </summary>
public sealed class RestorationBudget(RestorationOptions options, TimeProvider time)
{
    private RateLimitStatus? _status;
    private int _spent;
    private int _lastCost = 1;
    private int _failures;

    /// <summary>The points the restorations spent in the current window.</summary>
    public int Spent => _spent;

    /// <summary>After an answer: GitHub's budget as it now stands, and what the query cost.</summary>
    public void Spend(RateLimitStatus? status, int? cost)
    {
        if (status is not { } known)
        {
            return;
        }

        if (_status is not { } previous || (previous.Reset - known.Reset).Duration() >= TimeSpan.FromMinutes(1))
        {
            _spent = 0;
        }

        _status = known;
        if (cost is { } points)
        {
            _spent += points;
            _lastCost = Math.Max(points, 1);
        }

        _failures = 0;
    }

    /// <summary>Zero while a query as costly as the last one fits in the share; else the time to the reset.</summary>
    public TimeSpan WaitBefore()
    {
        var now = time.GetUtcNow();
        if (_status is not { } status || now >= status.Reset)
        {
            return TimeSpan.Zero;
        }

        var spendable = Math.Min((status.Limit * options.GraphQLBudgetShare) - _spent, status.Remaining);
        return spendable >= _lastCost ? TimeSpan.Zero : status.Reset - now + GitHubApi.ResetMargin;
    }

    /// <summary>After a failure or a secondary limit: Retry-After when given, else from a second, doubling to five minutes.</summary>
    public TimeSpan AfterFailure(TimeSpan? retryAfter = null) =>
        retryAfter ?? Retries.Exponential(GitHubApi.FailureMinimum, GitHubApi.FailureMaximum, ++_failures);
}
