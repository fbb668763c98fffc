using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Ingest;

public sealed class DepthAndGapTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task Deeper_pages_are_read_only_while_every_event_is_new_and_an_all_new_page_3_counts_one_gap()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.SetEvents(SyntheticEvents.NewestFirst(0, 300)));

        var wait = await run.Time.NextWaitAsync();
        Assert.Equal([1, 2, 3], PagesOfLastPoll(run, 0));
        Assert.Equal(0, run.Metrics["github.events.gaps"]);

        run.GitHub.Publish(SyntheticEvents.NewestFirst(300, 50));
        wait = await run.PollAgainAsync(wait);
        Assert.Equal([1], PagesOfLastPoll(run, 3));

        run.GitHub.Publish(SyntheticEvents.NewestFirst(350, 150));
        wait = await run.PollAgainAsync(wait);
        Assert.Equal([1, 2], PagesOfLastPoll(run, 4));
        Assert.Equal(0, run.Metrics["github.events.gaps"]);

        run.GitHub.Publish(SyntheticEvents.NewestFirst(500, 300));
        await run.PollAgainAsync(wait);
        Assert.Equal([1, 2, 3], PagesOfLastPoll(run, 6));
        Assert.Equal(1, run.Metrics["github.events.gaps"]);
        Assert.Single(run.Logs.Entries, log => log.Level == LogLevel.Warning && log.Message.StartsWith("Events were missed", StringComparison.Ordinal));
        Assert.Equal(800, run.Metrics["github.events.published"]);
    }

    [Fact]
    public async Task A_page_that_repeats_the_last_events_of_the_page_before_it_as_the_feed_moves_is_still_all_new_and_page_3_counts_the_gap()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.SetEvents(SyntheticEvents.NewestFirst(0, 300)));
        var wait = await run.Time.NextWaitAsync();

        // 300 new events, and 20 more between page 1 and page 2: page 2 then starts with page 1's last 20.
        run.GitHub.Publish(SyntheticEvents.NewestFirst(300, 300));
        run.GitHub.PublishBeforePage(2, SyntheticEvents.NewestFirst(600, 20));
        await run.PollAgainAsync(wait);

        Assert.Equal([1, 2, 3], PagesOfLastPoll(run, 3));
        Assert.Equal(1, run.Metrics["github.events.gaps"]);
    }

    private static int[] PagesOfLastPoll(LivePollerRun run, int skip) =>
        run.FeedRequests.Skip(skip)
            .Select(r => System.Web.HttpUtility.ParseQueryString(r.Query)["page"] is { } page ? int.Parse(page, System.Globalization.CultureInfo.InvariantCulture) : 1)
            .ToArray();
}
