using GithubEvents.Ingest.Watch;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Tests.Watch;

public sealed class WatchBudgetTests : RateLimitClockTests
{
    [Fact]
    public void The_share_is_never_spent_beyond_and_304s_cost_nothing()
    {
        var budget = new WatchBudget(Time);
        budget.Configure(0.01);
        var reset = Time.GetUtcNow().AddHours(1);

        var spent = 0;
        for (var i = 0; i < 200 && budget.CanSpend(); i++)
        {
            var notModified = i % 4 == 0;
            budget.Answered(new RateLimitStatus(5000, 5000 - spent, reset), costly: !notModified);
            spent += notModified ? 0 : 1;
        }

        Assert.Equal(50, spent);
        Assert.False(budget.CanSpend());
        Assert.Equal(reset + GitHubApi.ResetMargin, budget.NotBefore);

        // The next window starts with nothing spent.
        Time.Advance(TimeSpan.FromHours(1));
        Assert.True(budget.CanSpend());
        Assert.Equal(0, budget.Spent);
    }

    [Fact]
    public void What_is_left_is_spread_evenly_until_the_reset()
    {
        var budget = new WatchBudget(Time);
        budget.Configure(0.1);
        var reset = Time.GetUtcNow().AddMinutes(30);

        budget.Answered(new RateLimitStatus(5000, 4999, reset), costly: true);

        // 499 of the 500 left for 30 minutes.
        Assert.Equal(Time.GetUtcNow() + (TimeSpan.FromMinutes(30) / 499), budget.NotBefore);
        Assert.Equal(499, budget.Unspent(new RateLimitStatus(5000, 4999, reset)));
        // A window this budget has not seen yet is all unspent.
        Assert.Equal(500, budget.Unspent(new RateLimitStatus(5000, 5000, reset.AddHours(1))));
    }

    [Fact]
    public void Nothing_watched_spends_nothing_and_reserves_nothing()
    {
        var budget = new WatchBudget(Time);
        budget.Configure(0);

        Assert.False(budget.CanSpend());
        Assert.Equal(0, budget.Unspent(new RateLimitStatus(5000, 5000, Time.GetUtcNow().AddHours(1))));
    }
}
