using GithubEvents.Ingest.Watch;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.GitHub;

/// <summary>
/// How long the poller waits before its next request: the rate-limit arithmetic and the back-off after errors, with no
/// I/O. With a token the pace is the budget: <see cref="GitHubOptions.BudgetShare"/> of the hourly limit, spread evenly
/// until the reset, a poll at most every <see cref="MinimumPollInterval"/>. The feed is a sample of about 100 events a
/// request, so what a poller captures grows with the requests it makes, and <c>X-Poll-Interval</c> would leave most of
/// the budget unspent. That header stays the floor without a token (60 requests an hour), where
/// <see cref="GitHubOptions.ObeyPollInterval"/> asks for it, and while no budget is known;
/// <see cref="GitHubOptions.PollInterval"/> sets a fixed floor instead. No poll ever spends beyond the share, nor what
/// the watched feeds may still spend of theirs (<see cref="WatchBudget"/>), which is taken from it.
/// </summary>
public sealed class FeedPacing(GitHubOptions options, WatchBudget watch, TimeProvider time, Random jitter)
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The closest two polls come at the budget's pace: near a reset with budget left the even spread would otherwise
    /// turn into a burst, which GitHub's secondary rate limits punish.
    /// </summary>
    public static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan BudgetWindow = TimeSpan.FromHours(1);

    private int _secondaryLimits;
    private int _failures;

    /// <summary>After a poll that made <paramref name="requests"/> requests and got answers.</summary>
    public TimeSpan AfterPoll(TimeSpan? serverPollInterval, RateLimitStatus? rateLimit, int requests)
    {
        _secondaryLimits = 0;
        _failures = 0;
        return Max(Floor(serverPollInterval, rateLimit), BudgetWait(rateLimit, requests));
    }

    private TimeSpan Floor(TimeSpan? serverPollInterval, RateLimitStatus? rateLimit)
    {
        if (options.PollInterval is { } fixedPace)
        {
            return fixedPace;
        }

        var paceIsTheBudget = options.HasToken && !options.ObeyPollInterval && rateLimit is { Limit: > 0 };
        return paceIsTheBudget ? MinimumPollInterval : serverPollInterval ?? DefaultPollInterval;
    }

    /// <summary>After 403/429 with no requests left: until the budget resets.</summary>
    public TimeSpan AfterRateLimit(RateLimitStatus rateLimit) => UntilReset(rateLimit) + GitHubApi.ResetMargin;

    /// <summary>After a secondary rate limit: Retry-After when given, else a minute, doubling each time in a row.</summary>
    public TimeSpan AfterSecondaryLimit(TimeSpan? retryAfter)
    {
        _secondaryLimits++;
        return retryAfter ?? Retries.Exponential(GitHubApi.SecondaryLimitMinimum, GitHubApi.SecondaryLimitMaximum, _secondaryLimits);
    }

    /// <summary>After a failure worth retrying: exponential from a second to five minutes, with jitter.</summary>
    public TimeSpan AfterFailure()
    {
        _failures++;
        var ceiling = Retries.Exponential(GitHubApi.FailureMinimum, GitHubApi.FailureMaximum, _failures);
        // Between half and all of the ceiling, so that many pollers do not retry in step.
        return Max(GitHubApi.FailureMinimum, ceiling * (0.5 + (jitter.NextDouble() * 0.5)));
    }

    private TimeSpan BudgetWait(RateLimitStatus? rateLimit, int requests)
    {
        if (rateLimit is not { Limit: > 0 } status)
        {
            return TimeSpan.Zero;
        }

        var reserved = (status.Limit * (1 - options.BudgetShare)) + watch.Unspent(status);
        var spendable = status.Remaining - reserved;
        var untilReset = UntilReset(status);
        return spendable < 1
            ? untilReset + GitHubApi.ResetMargin
            : untilReset / spendable * Math.Max(1, requests);
    }

    // GitHub's budgets reset every hour: a reset further off (a wrong clock, a proxy's header) is not waited for.
    private TimeSpan UntilReset(RateLimitStatus status) => Min(Max(TimeSpan.Zero, status.Reset - time.GetUtcNow()), BudgetWindow);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
