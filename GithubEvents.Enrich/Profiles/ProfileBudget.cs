using System.Collections.Concurrent;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// The rate-limit arithmetic of the lookups, with no I/O: what each budget (GraphQL points, REST core requests) has left
/// as GitHub last said, how long to wait before spending more of it, and the back-off after secondary limits and
/// failures. The share left is spread evenly over the time to the reset, after a first burst of <see cref="Burst"/>
/// requests, so that a backlog neither spends the hour's budget in its first minutes nor sends GitHub a flood; once the
/// share is spent, nothing until the reset.
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

        var share = resource == GraphQL ? options.GraphQLBudgetShare : options.RestBudgetShare;
        var spendable = status.Remaining - (status.Limit * (1 - share));
        if (spendable < 1)
        {
            return status.Reset - now + GitHubApi.ResetMargin;
        }

        // A request's turn comes one interval after the previous one's; up to Burst turns may be taken early.
        var interval = (status.Reset - now) / spendable;
        var due = _due.TryGetValue(resource, out var previous) && previous > now ? previous : now;
        _due[resource] = due + interval;
        var wait = due - now - (interval * (Burst - 1));
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

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
