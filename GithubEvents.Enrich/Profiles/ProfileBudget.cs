using System.Collections.Concurrent;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// The rate-limit arithmetic of the lookups, with no I/O: what each budget (GraphQL points, REST core requests) has left
/// as GitHub last said, how long to wait before spending more of it (nothing within the share, until the reset once it is
/// spent), and the back-off after secondary limits and failures.
/// </summary>
public sealed class ProfileBudget(ProfileOptions options, TimeProvider time)
{
    public const string GraphQL = "graphql";
    public const string Core = "core";

    public static readonly TimeSpan SecondaryLimitMinimum = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan SecondaryLimitMaximum = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan FailureMinimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FailureMaximum = TimeSpan.FromMinutes(5);

    // A reset given in whole seconds by a clock that is not ours: wait a little past it.
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RateLimitStatus> _budgets = new();
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

    /// <summary>Zero while spending <paramref name="cost"/> more stays within the share; else until the budget resets.</summary>
    public TimeSpan WaitBefore(string resource, int cost = 1)
    {
        if (!_budgets.TryGetValue(resource, out var status) || status.Limit <= 0 || time.GetUtcNow() >= status.Reset)
        {
            return TimeSpan.Zero;
        }

        var share = resource == GraphQL ? options.GraphQLBudgetShare : options.RestBudgetShare;
        var spendable = status.Remaining - (status.Limit * (1 - share));
        return spendable >= cost ? TimeSpan.Zero : status.Reset - time.GetUtcNow() + ResetMargin;
    }

    /// <summary>After an answer: the back-offs start again from their minimum.</summary>
    public void Answered()
    {
        _secondaryLimits = 0;
        _failures = 0;
    }

    /// <summary>After a secondary rate limit: Retry-After when given, else a minute, doubling each time in a row.</summary>
    public TimeSpan AfterSecondaryLimit(TimeSpan? retryAfter) =>
        retryAfter ?? Retries.Exponential(SecondaryLimitMinimum, SecondaryLimitMaximum, ++_secondaryLimits);

    /// <summary>After a failure worth retrying: from a second, doubling to five minutes.</summary>
    public TimeSpan AfterFailure() => Retries.Exponential(FailureMinimum, FailureMaximum, ++_failures);
}
