using GithubEvents.Ingest.GitHub;
using GithubEvents.Ingest.Watch;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Tests.Ingest;

public sealed class FeedPacingTests : RateLimitClockTests
{
    [Fact]
    public void With_a_token_the_pace_is_the_budget_share_spread_until_the_reset_and_at_most_a_poll_a_second()
    {
        var pacing = Pacing(new GitHubOptions { Token = "t" });

        // 5,000 left, 1,000 kept back: 4,000 requests for the hour is one every 0.9 s; a poll of three pages spent three.
        Assert.Equal(TimeSpan.FromSeconds(2.7), pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 5000, TimeSpan.FromHours(1)), 3));
        Assert.Equal(FeedPacing.MinimumPollInterval, pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 5000, TimeSpan.FromHours(1)), 1));
        // Budget left near the reset is spread, not spent in a burst.
        Assert.Equal(FeedPacing.MinimumPollInterval, pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 3000, TimeSpan.FromSeconds(10)), 1));
        // 1,100 left: 100 above the reserve for 50 minutes.
        Assert.Equal(TimeSpan.FromSeconds(30), pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 1100, TimeSpan.FromMinutes(50)), 1));
    }

    [Fact]
    public void Without_a_token_when_asked_or_while_no_budget_is_known_X_Poll_Interval_is_the_floor()
    {
        var budget = Budget(5000, 5000, TimeSpan.FromHours(1));

        // Without a token, 48 of the 60 requests an hour is one every 75 s: the header's 90 s is the longer.
        Assert.Equal(TimeSpan.FromSeconds(90), Pacing(new GitHubOptions()).AfterPoll(TimeSpan.FromSeconds(90), Budget(60, 60, TimeSpan.FromHours(1)), 1));
        Assert.Equal(TimeSpan.FromSeconds(60), Pacing(new GitHubOptions { Token = "t", ObeyPollInterval = true }).AfterPoll(TimeSpan.FromSeconds(60), budget, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), Pacing(new GitHubOptions { Token = "t" }).AfterPoll(TimeSpan.FromSeconds(60), null, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), Pacing(new GitHubOptions { Token = "t" }).AfterPoll(null, null, 1));
    }

    [Fact]
    public void Opting_in_replaces_the_floor_but_never_spends_more_than_the_share_evenly_until_the_reset()
    {
        var pacing = Pacing(new GitHubOptions { Token = "t", PollInterval = TimeSpan.FromSeconds(2), BudgetShare = 0.5 });

        // 4,000 left, 2,500 kept back: 1,500 for 50 minutes is one request every 2 s; three requests were made.
        Assert.Equal(TimeSpan.FromSeconds(6), pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 4000, TimeSpan.FromMinutes(50)), 3));
        Assert.Equal(TimeSpan.FromSeconds(2), pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 5000, TimeSpan.FromMinutes(10)), 1));
        Assert.Equal(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1), pacing.AfterPoll(TimeSpan.FromSeconds(60), Budget(5000, 2500, TimeSpan.FromMinutes(10)), 1));
    }

    [Fact]
    public void A_spent_budget_waits_until_just_past_the_reset()
    {
        var pacing = Pacing(new GitHubOptions());

        Assert.Equal(TimeSpan.FromSeconds(601), pacing.AfterRateLimit(Budget(60, 0, TimeSpan.FromMinutes(10))));
    }

    [Fact]
    public void A_reset_further_off_than_GitHub_s_hour_is_waited_for_an_hour_at_most()
    {
        var farOff = new RateLimitStatus(60, 0, DateTimeOffset.FromUnixTimeSeconds(9_999_999_999), null);

        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), Pacing(new GitHubOptions()).AfterRateLimit(farOff));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), Pacing(new GitHubOptions { Token = "t" }).AfterPoll(null, farOff with { Limit = 5000 }, 1));
    }

    [Fact]
    public void Secondary_limits_honour_Retry_After_else_a_minute_doubling_until_a_poll_succeeds()
    {
        var pacing = Pacing(new GitHubOptions());

        Assert.Equal(TimeSpan.FromSeconds(5), pacing.AfterSecondaryLimit(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMinutes(2), pacing.AfterSecondaryLimit(null));
        Assert.Equal(TimeSpan.FromMinutes(4), pacing.AfterSecondaryLimit(null));
        pacing.AfterPoll(null, null, 1);
        Assert.Equal(TimeSpan.FromMinutes(1), pacing.AfterSecondaryLimit(null));
        for (var i = 0; i < 10; i++)
        {
            pacing.AfterSecondaryLimit(null);
        }

        Assert.Equal(GitHubApi.SecondaryLimitMaximum, pacing.AfterSecondaryLimit(null));
    }

    [Fact]
    public void Failures_back_off_exponentially_with_jitter_up_to_five_minutes()
    {
        var pacing = Pacing(new GitHubOptions());

        var waits = Enumerable.Range(0, 12).Select(_ => pacing.AfterFailure()).ToList();

        for (var i = 0; i < waits.Count; i++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(GitHubApi.FailureMaximum.Ticks, TimeSpan.FromSeconds(1).Ticks << i));
            Assert.InRange(waits[i], TimeSpan.FromTicks(Math.Max(ceiling.Ticks / 2, TimeSpan.TicksPerSecond)), ceiling);
        }

        Assert.True(waits.Distinct().Count() > 3, "the waits are jittered");
    }

    [Fact]
    public void The_live_poller_leaves_what_the_watched_feeds_may_still_spend_of_their_share_alone()
    {
        var watch = new WatchBudget(Time);
        watch.Configure(0.1);
        var pacing = Pacing(new GitHubOptions { Token = "t" }, watch);
        var reset = TimeSpan.FromHours(1);

        // 5,000 left, 1,000 kept back for others and 500 for the watch: 3,500 requests for the hour, three a poll.
        Assert.Equal(TimeSpan.FromHours(1) / 3500 * 3, pacing.AfterPoll(null, Budget(5000, 5000, reset), 3));

        // The watch spent 100 of its 500: they are gone from the remaining budget and from its reserve alike.
        for (var i = 0; i < 100; i++)
        {
            watch.Answered(Budget(5000, 4999 - i, reset), costly: true);
        }

        Assert.Equal(TimeSpan.FromHours(1) / 3500 * 3, pacing.AfterPoll(null, Budget(5000, 4900, reset), 3));
    }

    private FeedPacing Pacing(GitHubOptions options, WatchBudget? watch = null) => new(options, watch ?? new WatchBudget(Time), Time, new Random(7));

}
