using System.Text.Json;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// The poller's default pace with a token against a feed that moves at a steady rate and says
/// <c>X-Poll-Interval: 60</c>, as api.github.com does: it spends its budget share rather than the header's minute.
/// </summary>
public sealed class BudgetPaceTests(KafkaMockCluster kafka)
{
    private const double BudgetShare = 0.8;
    private const int TokenLimit = 5000;

    [Fact]
    public async Task At_40_events_a_second_the_defaults_capture_at_least_99_percent_of_the_events_exactly_once()
    {
        await using var run = await StartAsync(eventsPerSecond: 40);
        await PollForAsync(run, await run.Time.NextWaitAsync(), TimeSpan.FromMinutes(2));

        // Everything released until the last poll could have been captured.
        var released = run.GitHub.ReleasedEvents;
        var ids = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: (int)released)
            .Select(message => JsonDocument.Parse(message.Message.Value).RootElement.GetProperty("id").GetString())
            .ToList();

        Assert.Equal(60, run.GitHub.PollIntervalSeconds);
        Assert.True(ids.Count >= 0.99 * released, $"{ids.Count} of {released} events captured");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(run.FeedRequests.Count > 100, $"{run.FeedRequests.Count} requests in two minutes: the header's pace would be 2");
        // Events per request, beside the gap counter: every answered request brought its new events.
        Assert.Equal(run.Metrics["github.events.published"], run.Metrics["github.events.per_request"]);
        Assert.Equal(run.FeedRequests.Count, run.Metrics["github.events.per_request#count"]);
        Assert.Equal(0, run.Metrics["github.events.gaps"]);
    }

    [Fact]
    public async Task At_200_events_a_second_the_capture_reaches_95_percent_of_the_budget_s_ceiling_and_no_request_meets_a_spent_budget()
    {
        await using var run = await StartAsync(eventsPerSecond: 200);
        var start = run.Time.GetUtcNow();
        var wait = await PollForAsync(run, await run.Time.NextWaitAsync(), TimeSpan.FromMinutes(10));

        // The ceiling: the share of the hourly limit, at 100 events a request.
        var ceiling = BudgetShare * TokenLimit * 100 / 3600;
        var perSecond = run.Metrics["github.events.published"] / (run.Time.GetUtcNow() - start).TotalSeconds;
        Assert.True(perSecond >= 0.95 * ceiling, $"{perSecond:F1} events/s captured; the ceiling is {ceiling:F1}");
        Assert.True(run.Metrics["github.events.gaps"] > 0, "at 200 events/s the budget cannot keep up, and the gap counter says so");

        // Late in the hour, with Enrich's lookups having spent the rest: ten requests above the reserve are left.
        run.GitHub.SetRateLimitRemaining(TokenLimit - (int)(BudgetShare * TokenLimit) + 10, LivePollerRun.Token);
        var reset = run.RateLimitReset();
        var requestsBefore = run.FeedRequests.Count;
        while (run.Time.GetUtcNow() < reset + TimeSpan.FromMinutes(2))
        {
            wait = await run.PollAgainAsync(wait);
            if (run.Time.GetUtcNow() < reset)
            {
                // A poll of three pages may take the last of the share into the reserve, never to the end of it.
                Assert.InRange(run.FeedRequests.Count - requestsBefore, 0, 10 + 2);
            }
        }

        Assert.Equal(0, run.GitHub.SpentBudgetRefusals);
        Assert.True(run.FeedRequests.Count - requestsBefore > 20, "after the reset the poller is back at the budget's pace");
    }

    private Task<LivePollerRun> StartAsync(double eventsPerSecond) =>
        LivePollerRun.StartAsync(kafka, github =>
        {
            github.SetEvents([]);
            github.ReleaseEvents(eventsPerSecond, i => SyntheticEvents.Event((int)i));
        });

    // Polls, each after the wait before it, until the time is up; returns the wait after the last poll.
    private static async Task<TimeSpan> PollForAsync(LivePollerRun run, TimeSpan wait, TimeSpan duration)
    {
        var end = run.Time.GetUtcNow() + duration;
        while (run.Time.GetUtcNow() < end)
        {
            wait = await run.PollAgainAsync(wait);
        }

        return wait;
    }
}
