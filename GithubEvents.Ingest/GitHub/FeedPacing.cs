using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.GitHub;

/// <summary>
/// How long the poller waits before its next request: the rate-limit arithmetic and the back-off after
/// errors, with no I/O. Polls are never closer than <c>X-Poll-Interval</c> unless <see cref="GitHubOptions.PollInterval"/>
/// opts in, and never spend more than <see cref="GitHubOptions.BudgetShare"/> of the hourly budget, spread
/// evenly until the reset.
/// </summary>
public sealed class FeedPacing(GitHubOptions options, TimeProvider time, Random jitter)
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(60);

    private int _secondaryLimits;
    private int _failures;

    /// <summary>After a poll that made <paramref name="requests"/> requests and got answers.</summary>
    public TimeSpan AfterPoll(TimeSpan? serverPollInterval, RateLimitStatus? rateLimit, int requests)
    {
        _secondaryLimits = 0;
        _failures = 0;
        var floor = options.PollInterval ?? serverPollInterval ?? DefaultPollInterval;
        return Max(floor, BudgetWait(rateLimit, requests));
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

        var reserved = status.Limit * (1 - options.BudgetShare);
        var spendable = status.Remaining - reserved;
        var untilReset = UntilReset(status);
        return spendable < 1
            ? untilReset + GitHubApi.ResetMargin
            : untilReset / spendable * Math.Max(1, requests);
    }

    private TimeSpan UntilReset(RateLimitStatus status) => Max(TimeSpan.Zero, status.Reset - time.GetUtcNow());

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
