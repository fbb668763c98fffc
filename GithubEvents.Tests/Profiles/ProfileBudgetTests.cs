using GithubEvents.Enrich.Profiles;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Tests.Profiles;

public sealed class ProfileBudgetTests : RateLimitClockTests
{
    [Fact]
    public void Each_budget_waits_for_its_own_reset_once_its_share_or_what_is_left_is_spent()
    {
        var budget = new ProfileBudget(new ProfileOptions { GraphQLBudgetShare = 0.9, RestBudgetShare = 0.2 }, Time);
        var reset = Time.GetUtcNow().AddMinutes(20);

        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        budget.Update(ProfileBudget.GraphQL, new RateLimitStatus(5000, 501, reset, "graphql"));
        budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 1, reset.AddMinutes(30), "core"));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.Core));

        budget.Update(ProfileBudget.GraphQL, new RateLimitStatus(5000, 500, reset, "graphql"));
        budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 0, reset.AddMinutes(30), "core"));
        Assert.Equal(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1), budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(TimeSpan.FromMinutes(50) + TimeSpan.FromSeconds(1), budget.WaitBefore(ProfileBudget.Core));

        Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(500, budget.Budgets["graphql"].Remaining);
    }

    [Fact]
    public void The_core_share_is_counted_by_the_lookups_themselves_because_Ingest_spends_the_same_budget()
    {
        var budget = new ProfileBudget(new ProfileOptions { RestBudgetShare = 0.2 }, Time);

        // GitHub says plenty is left in both windows; the lookups stop at their own 20% of the limit all the same.
        Assert.InRange(GrantedUntilReset(budget, Time.GetUtcNow().AddMinutes(30)), 990, 1000);
        Assert.InRange(GrantedUntilReset(budget, Time.GetUtcNow().AddHours(1)), 990, 1000);
    }

    // Requests at their turns until the wait is the one until the reset; the last turn may fall a moment after it.
    private int GrantedUntilReset(ProfileBudget budget, DateTimeOffset reset)
    {
        var granted = 0;
        budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 5000, reset, "core"));
        while (Time.GetUtcNow() < reset && budget.WaitBefore(ProfileBudget.Core) is var wait && wait < reset - Time.GetUtcNow())
        {
            Time.Advance(wait);
            granted++;
            budget.Update(ProfileBudget.Core, new RateLimitStatus(5000, 5000 - granted, reset, "core"));
        }

        Time.Advance(reset - Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        return granted;
    }

    [Fact]
    public void The_share_left_is_spread_evenly_over_the_time_to_the_reset_after_a_first_burst()
    {
        var budget = new ProfileBudget(new ProfileOptions { GraphQLBudgetShare = 0.9 }, Time);
        // 4,500 of the 5,000 points may be spent in the hour left: one every 0.8 s.
        budget.Update(ProfileBudget.GraphQL, new RateLimitStatus(5000, 5000, Time.GetUtcNow().AddHours(1), "graphql"));
        var interval = TimeSpan.FromSeconds(0.8);

        for (var i = 0; i < ProfileBudget.Burst; i++)
        {
            Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        }

        // Each call takes its turn: asked at once, the next ones are one interval apart.
        Assert.Equal(interval, budget.WaitBefore(ProfileBudget.GraphQL));
        Assert.Equal(2 * interval, budget.WaitBefore(ProfileBudget.GraphQL));
        // Two intervals later, the two reserved turns are taken and the next comes about one interval on (the
        // interval is worked out again from what is left, over a slightly shorter time to the reset).
        Time.Advance(2 * interval);
        Assert.InRange(budget.WaitBefore(ProfileBudget.GraphQL), interval - TimeSpan.FromMilliseconds(10), interval + TimeSpan.FromMilliseconds(10));

        // Idle for long enough, the burst is there again; the other budget was never paced by this one.
        Time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < ProfileBudget.Burst; i++)
        {
            Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.GraphQL));
        }

        Assert.Equal(TimeSpan.Zero, budget.WaitBefore(ProfileBudget.Core));
    }

    [Fact]
    public void Secondary_limits_wait_Retry_After_or_double_from_a_minute_until_an_answer()
    {
        var budget = new ProfileBudget(new ProfileOptions(), Time);

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
