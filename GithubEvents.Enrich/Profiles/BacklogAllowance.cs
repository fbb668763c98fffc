using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// How many of the backlog's actors (<c>actor_backlog</c>) the resolver may look up now: at most
/// <see cref="ProfileOptions.BacklogBudgetShare"/> of the lookups' share of the budget GitHub last reported, per window
/// up to its reset (a GraphQL request takes a batch, a REST request one actor). Until GitHub has said what the budget
/// is, one batch an hour. No I/O.
/// </summary>
public sealed class BacklogAllowance(ProfileBudget budget, IOptions<ProfileOptions> options, TimeProvider time)
{
    private (DateTimeOffset Reset, int Granted) _window;

    /// <summary>Grants up to <paramref name="wanted"/> actors and counts them against the window.</summary>
    public int Grant(int wanted, bool throughGraphQL)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        int allowed;
        DateTimeOffset reset;
        if (budget.Budgets.TryGetValue(throughGraphQL ? ProfileBudget.GraphQL : ProfileBudget.Core, out var status) && status.Limit > 0 && status.Reset > now)
        {
            var requests = (int)(settings.BacklogBudgetShare * (throughGraphQL ? settings.GraphQLBudgetShare : settings.RestBudgetShare) * status.Limit);
            allowed = throughGraphQL ? requests * settings.BatchSize : requests;
            reset = status.Reset;
        }
        else
        {
            allowed = settings.BacklogBudgetShare > 0 ? settings.BatchSize : 0;
            reset = _window.Reset > now ? _window.Reset : now + TimeSpan.FromHours(1);
        }

        // GitHub's reset time of one window can differ by a second from answer to answer.
        var granted = (_window.Reset - reset).Duration() < TimeSpan.FromMinutes(1) ? _window.Granted : 0;
        var grant = Math.Clamp(allowed - granted, 0, wanted);
        _window = (reset, granted + grant);
        return grant;
    }
}
