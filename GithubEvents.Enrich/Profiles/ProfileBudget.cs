using System.Collections.Concurrent;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// The rate-limit arithmetic of the lookups, with no I/O: what each budget (GraphQL points, REST core requests) has left
/// as GitHub last said, how long to wait before spending more of it, and the back-off after secondary limits and
/// failures. The share left is spread evenly over the time to the reset, after a first burst of <see cref="Burst"/>
/// requests, so that a backlog neither spends the hour's budget in its first minutes nor sends GitHub a flood; once the
/// share is spent, nothing until the reset. The GraphQL share is what GitHub says is left above the rest of the limit. The
/// core budget is shared with Ingest's poller, which spends its own share of it down to what it leaves (by default the
/// last 1,000 requests an hour), so the lookups count their own core requests in each window instead, and spend up to
/// their share of the limit from whatever is left.
/// </summary>
public sealed class ProfileBudget(ProfileOptions options, TimeProvider time)
{
    public const string GraphQL = "graphql";
    public const string Core = "core";

    /// <summary>How many requests may go at once before the even pace applies.</summary>
    public const int Burst = 10;

    private readonly ConcurrentDictionary<string, RateLimitStatus> _budgets = new();

    // By resource, when the next request is due at the even pace; Burst requests may go ahead of it.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _due = new();

    // Core requests granted in the window that ends at Reset. Counted by this process: after a restart or a new leader
    // the lookups may spend a second share in the same window, out of what GitHub says is left (never past it).
    private (DateTimeOffset Reset, int Granted) _coreWindow;
    private int _secondaryLimits;
    private int _failures;

    /// <summary>The budgets as GitHub last reported them, by resource.</summary>
    public IReadOnlyDictionary<string, RateLimitStatus> Budgets => _budgets;

    public void Update(string resource, RateLimitStatus? status)
    {
        if (status is { } known)
        {
            _budgets[known.Resource ?? resource] = known;
        }
    }

    /// <summary>
    /// How long to wait before the next request (a point, or a request, of the budget): until the reset once the share
    /// is spent, else until the request's turn at the even pace, which this call takes. Zero while the budget is unknown.
    /// </summary>
    public TimeSpan WaitBefore(string resource)
    {
        var now = time.GetUtcNow();
        if (!_budgets.TryGetValue(resource, out var status) || status.Limit <= 0 || now >= status.Reset)
        {
            return TimeSpan.Zero;
        }

        var spendable = resource == GraphQL
            ? status.Remaining - (status.Limit * (1 - options.GraphQLBudgetShare))
            : Math.Min((status.Limit * options.RestBudgetShare) - CoreGranted(status.Reset), status.Remaining);
        if (spendable < 1)
        {
            return status.Reset - now + GitHubApi.ResetMargin;
        }

        // A request's turn comes one interval after the previous one's; up to Burst turns may be taken early.
        var interval = (status.Reset - now) / spendable;
        var due = _due.TryGetValue(resource, out var previous) && previous > now ? previous : now;
        _due[resource] = due + interval;
        var wait = due - now - (interval * (Burst - 1));
        if (resource != GraphQL)
        {
            _coreWindow = (status.Reset, CoreGranted(status.Reset) + 1);
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    // GitHub's reset time of one window can differ by a second from answer to answer.
    private int CoreGranted(DateTimeOffset reset) =>
        (_coreWindow.Reset - reset).Duration() < TimeSpan.FromMinutes(1) ? _coreWindow.Granted : 0;

    /// <summary>After an answer: the back-offs start again from their minimum.</summary>
    public void Answered()
    {
        _secondaryLimits = 0;
        _failures = 0;
    }

    /// <summary>After a secondary rate limit: Retry-After when given, else a minute, doubling each time in a row.</summary>
    public TimeSpan AfterSecondaryLimit(TimeSpan? retryAfter) =>
        retryAfter ?? Retries.Exponential(GitHubApi.SecondaryLimitMinimum, GitHubApi.SecondaryLimitMaximum, ++_secondaryLimits);

    /// <summary>After a failure worth retrying: from a second, doubling to five minutes.</summary>
    public TimeSpan AfterFailure() => Retries.Exponential(GitHubApi.FailureMinimum, GitHubApi.FailureMaximum, ++_failures);
}
