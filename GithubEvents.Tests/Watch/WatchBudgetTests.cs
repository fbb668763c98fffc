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
    public void Spending_waits_only_when_it_runs_five_minutes_of_the_share_ahead_of_an_even_spread()
    {
        var budget = new WatchBudget(Time);
        budget.Configure(0.1);
        // Half-way through the window: an even spread of the 500 would have spent 250, and five minutes' share is 41.7 more.
        var reset = Time.GetUtcNow().AddMinutes(30);
        for (var i = 0; i < 290; i++)
        {
            budget.Answered(new RateLimitStatus(5000, 4999 - i, reset), costly: true);
            Assert.True(budget.NotBefore <= Time.GetUtcNow(), $"request {i + 2} held back");
        }

        // The 291st answer runs ahead of the line; 304s cost nothing and move nothing.
        budget.Answered(new RateLimitStatus(5000, 4709, reset), costly: true);
        budget.Answered(new RateLimitStatus(5000, 4709, reset), costly: false);

        // The 292nd request waits until the line reaches it: 292 - 41.7 of 500 through the hour, 30 min 2.4 s from its start.
        Assert.Equal(Time.GetUtcNow().AddSeconds(2.4), budget.NotBefore, TimeSpan.FromMilliseconds(1));
        Assert.True(budget.CanSpend());
        Assert.Equal(209, budget.Unspent(new RateLimitStatus(5000, 4709, reset)));
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
