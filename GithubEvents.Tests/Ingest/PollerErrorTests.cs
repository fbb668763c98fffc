using System.Globalization;

namespace GithubEvents.Tests.Ingest;

public sealed class PollerErrorTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task A_spent_budget_answered_403_waits_until_the_reset_and_then_polls_again()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.ExhaustRateLimit(LivePollerRun.Token));

        var wait = await run.Time.NextWaitAsync();
        var reset = run.RateLimitReset();
        Assert.InRange(run.Time.GetUtcNow() + wait, reset, reset + TimeSpan.FromSeconds(2));

        await run.PollAgainAsync(wait);
        Assert.True(run.FeedRequests[^1].At >= reset);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }

    [Fact]
    public async Task A_spent_budget_answered_429_waits_until_its_reset()
    {
        var reset = StepTimeProvider.DefaultStart.AddMinutes(10);
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.Fail("/events", new Fault(429, """{"message":"API rate limit exceeded"}""")
        {
            Headers = new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = "5000",
                ["X-RateLimit-Remaining"] = "0",
                ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            },
        }));

        var wait = await run.Time.NextWaitAsync();

        Assert.InRange(run.Time.GetUtcNow() + wait, reset, reset + TimeSpan.FromSeconds(2));
        Assert.Equal(1, run.Metrics["github.poll.failures/rate_limited"]);
    }

    [Fact]
    public async Task A_secondary_limit_is_waited_out_for_its_Retry_After()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.Fail("/events", FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 42)));

        var wait = await run.Time.NextWaitAsync();

        Assert.Equal(TimeSpan.FromSeconds(42), wait);
        await run.PollAgainAsync(wait);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }

    [Fact]
    public async Task A_secondary_limit_without_Retry_After_waits_a_minute_then_twice_as_long()
    {
        var limited = FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 1) with { Headers = new Dictionary<string, string>() };
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.Fail("/events", limited, times: 2));

        var first = await run.Time.NextWaitAsync();
        var second = await run.PollAgainAsync(first);

        Assert.Equal(TimeSpan.FromMinutes(1), first);
        Assert.Equal(TimeSpan.FromMinutes(2), second);
        await run.PollAgainAsync(second);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }

    [Fact]
    public async Task Server_errors_timeouts_and_malformed_bodies_are_retried_with_growing_jittered_waits()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github =>
            {
                github.Fail("/events", FakeGitHub.ServerError(502));
                github.Fail("/events", new Fault(200, """[{"id":"1","type":"PushEvent","actor":{"id":"""));
                github.Fail("/events", new Fault(200, "[]") { Delay = TimeSpan.FromSeconds(10) });
            },
            new Dictionary<string, string?> { ["GitHub:RequestTimeout"] = "00:00:00.300" });

        var afterServerError = await run.Time.NextWaitAsync();
        var afterMalformedBody = await run.PollAgainAsync(afterServerError);
        var afterTimeout = await run.PollAgainAsync(afterMalformedBody);
        await run.PollAgainAsync(afterTimeout);

        Assert.Equal(TimeSpan.FromSeconds(1), afterServerError);
        Assert.InRange(afterMalformedBody, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(afterTimeout, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(1, run.Metrics["github.poll.failures/http_502"]);
        Assert.Equal(1, run.Metrics["github.poll.failures/malformed_body"]);
        Assert.Equal(1, run.Metrics["github.poll.failures/timeout"]);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }
}
