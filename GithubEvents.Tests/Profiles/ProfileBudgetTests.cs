using GithubEvents.Enrich.Profiles;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Time.Testing;

namespace GithubEvents.Tests.Profiles;

public sealed class ProfileBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Each_budget_is_spent_down_to_its_share_and_then_waits_for_its_own_reset()
    {
        var budget = new ProfileBudget(new ProfileOptions { GraphQLBudgetShare = 0.9, RestBudgetShare = 0.2 }, _time);
        var reset = _time.GetUtcNow().AddMinutes(20);

        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        budget.Update(ProfileBudget.GraphQL, new RateLimitStatus(5000, 501, reset, "graphql"));
        budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 4001, reset.AddMinutes(30), "core"));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.Core));

        budget.Update(ProfileBudget.GraphQL, new RateLimitStatus(5000, 500, reset, "graphql"));
        budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 4000, reset.AddMinutes(30), "core"));
        Assert.Equal(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1), budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(TimeSpan.FromMinutes(50) + TimeSpan.FromSeconds(1), budget.WaitBefore(ProfileBudget.Core));

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(500, budget.Budgets["graphql"].Remaining);
    }

    [Fact]
    public void Secondary_limits_wait_Retry_After_or_double_from_a_minute_until_an_answer()
    {
        var budget = new ProfileBudget(new ProfileOptions(), _time);

        Assert.Equal(TimeSpan.FromSeconds(30), budget.AfterSecondaryLimit(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(1), budget.AfterSecondaryLimit(null));
        Assert.Equal(TimeSpan.FromMinutes(2), budget.AfterSecondaryLimit(null));
        Assert.Equal(TimeSpan.FromSeconds(1), budget.AfterFailure());
        Assert.Equal(TimeSpan.FromSeconds(2), budget.AfterFailure());
        for (var i = 0; i < 10; i++)
        {
            budget.AfterSecondaryLimit(null);
            budget.AfterFailure();
        }

        Assert.Equal(TimeSpan.FromMinutes(30), budget.AfterSecondaryLimit(null));
        Assert.Equal(TimeSpan.FromMinutes(5), budget.AfterFailure());

        budget.Answered();
        Assert.Equal(TimeSpan.FromMinutes(1), budget.AfterSecondaryLimit(null));
        Assert.Equal(TimeSpan.FromSeconds(1), budget.AfterFailure());
    }
}
