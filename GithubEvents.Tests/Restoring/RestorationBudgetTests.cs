using GithubEvents.Enrich.Restoring;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Tests.Restoring;

public sealed class RestorationBudgetTests : RateLimitClockTests
{
    [Fact]
    public void The_restorations_stop_at_their_own_share_whatever_GitHub_says_is_left_and_start_again_at_the_reset()
    {
        var budget = new RestorationBudget(new RestorationOptions { GraphQLBudgetShare = 0.1 }, Time);
        var reset = Time.GetUtcNow().AddMinutes(40);
        var remaining = 5000;
        var queries = 0;

        // Queries of 2 points while the profile lookups spend 10 points between each: GitHub always has plenty left.
        while (budget.WaitBefore() == TimeSpan.Zero)
        {
            remaining -= 2 + 10;
            budget.Spend(new RateLimitStatus(5000, remaining, reset, "graphql"), cost: 2);
            queries++;
        }

        Assert.Equal(250, queries);
        Assert.Equal(500, budget.Spent);
        Assert.Equal(TimeSpan.FromMinutes(40) + TimeSpan.FromSeconds(1), budget.WaitBefore());

        Time.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(TimeSpan.Zero, budget.WaitBefore());
        budget.Spend(new RateLimitStatus(5000, 4998, reset.AddHours(1), "graphql"), cost: 2);
        Assert.Equal(2, budget.Spent);
    }

    [Fact]
    public void Nothing_left_at_GitHub_waits_for_the_reset_within_the_share()
    {
        var budget = new RestorationBudget(new RestorationOptions { GraphQLBudgetShare = 0.1 }, Time);
        var reset = Time.GetUtcNow().AddMinutes(5);

        budget.Spend(new RateLimitStatus(5000, 0, reset, "graphql"), cost: 1);

        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1), budget.WaitBefore());
    }
}
