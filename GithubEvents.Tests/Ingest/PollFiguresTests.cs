using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

/// <summary>The live poller's own figures, published to the polls topic after every poll for Enrich to store.</summary>
public sealed class PollFiguresTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task Each_poll_publishes_its_minute_s_figures_so_far_counting_200s_304s_failures_and_missed_events()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.SetEvents(SyntheticEvents.NewestFirst(1, 40)));
        // 40 events (a 200); nothing new (a 304); a failed request; then 300 new events on all three pages.
        var wait = await run.Time.NextWaitAsync();
        wait = await run.PollAgainAsync(wait);
        run.GitHub.Fail("/events", FakeGitHub.ServerError());
        wait = await run.PollAgainAsync(wait);
        run.GitHub.Publish(SyntheticEvents.NewestFirst(1_000, FakeGitHub.FeedLimit));
        await run.PollAgainAsync(wait);

        var messages = TopicContents.Read(kafka.BootstrapServers, run.Host.PollsTopic(), expected: 4);
        var figures = messages.Select(message => PollFigures.TryParse(message.Message.Value, out var f, out var rejection) ? f : throw new InvalidOperationException(rejection)).ToList();

        Assert.Equal(4, figures.Count);
        Assert.Single(figures.Select(f => f.Poller).Distinct());
        Assert.All(messages, message => Assert.Equal(figures[0].Poller, message.Message.Key));
        Assert.Equal(run.FeedRequests.Count, figures.GroupBy(f => f.Minute).Sum(minute => minute.Last().Requests));
        var totals = figures.GroupBy(f => f.Minute).Select(minute => minute.Last()).Aggregate(
            (Polls: 0, Ok: 0, NotModified: 0, Failed: 0, Returned: 0, New: 0, Missed: 0),
            (sum, f) => (sum.Polls + f.Polls, sum.Ok + f.Ok, sum.NotModified + f.NotModified, sum.Failed + f.Failed, sum.Returned + f.EventsReturned, sum.New + f.NewEvents, sum.Missed + f.MissedPolls));
        Assert.Equal((4, 4, 1, 1, 340, 340, 1), totals);
        Assert.All(figures, f => Assert.Equal(0, f.Minute.Second));
    }
}
