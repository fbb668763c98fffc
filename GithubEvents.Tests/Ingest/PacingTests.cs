
namespace GithubEvents.Tests.Ingest;

public sealed class PacingTests(KafkaMockCluster kafka)
{
    [Theory]
    [InlineData(60, "GitHub:Token", "")]
    [InlineData(90, "GitHub:ObeyPollInterval", "true")]
    public async Task Without_a_token_or_when_asked_polls_are_never_closer_than_X_Poll_Interval(int pollIntervalSeconds, string setting, string value)
    {
        await using var run = await LivePollerRun.StartAsync(
            kafka, github => github.PollIntervalSeconds = pollIntervalSeconds, new Dictionary<string, string?> { [setting] = value });

        var wait = await run.Time.NextWaitAsync();
        for (var poll = 0; poll < 4; poll++)
        {
            Assert.True(wait >= TimeSpan.FromSeconds(pollIntervalSeconds), $"waited {wait}");
            run.GitHub.Publish([SyntheticEvents.Event(poll)]);
            // Time runs to just before the end of the wait: no request may come early.
            run.Time.Advance(wait - TimeSpan.FromMilliseconds(1));
            Assert.Equal(poll + 1, run.FeedRequests.Count);
            wait = await run.PollAgainAsync(TimeSpan.FromMilliseconds(1));
        }

        var starts = run.FeedRequests.Select(r => r.At).ToList();
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(pollIntervalSeconds)));
    }

    [Fact]
    public async Task An_opted_in_interval_is_kept_while_the_budget_share_allows_it_and_stretched_when_it_does_not()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, settings: new Dictionary<string, string?>
        {
            ["GitHub:PollInterval"] = "00:00:02",
        });

        // 4,999 of 5,000 left for the hour: 80% of the budget allows a request every 0.9 s, so 2 s it is.
        var wait = await run.Time.NextWaitAsync();
        Assert.Equal(TimeSpan.FromSeconds(2), wait);

        // 1,099 left after the next poll: 99 above the 1,000 kept for profile lookups, spread evenly until the reset.
        run.GitHub.SetRateLimitRemaining(1100, LivePollerRun.Token);
        run.GitHub.Publish([SyntheticEvents.Event(1)]);
        wait = await run.PollAgainAsync(wait);
        var reset = run.RateLimitReset();
        var expected = (reset - run.Time.GetUtcNow()) / 99;
        Assert.InRange(wait, expected - TimeSpan.FromSeconds(1), expected + TimeSpan.FromSeconds(1));
        Assert.True(wait > TimeSpan.FromSeconds(30), $"waited {wait}");

        // Nothing left of the share: wait for the reset.
        run.GitHub.SetRateLimitRemaining(900, LivePollerRun.Token);
        run.GitHub.Publish([SyntheticEvents.Event(2)]);
        wait = await run.PollAgainAsync(wait);
        Assert.True(run.Time.GetUtcNow() + wait >= reset, $"waited {wait}, reset at {reset}");
    }
}
