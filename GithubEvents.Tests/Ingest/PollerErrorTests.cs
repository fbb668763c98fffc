using System.Globalization;
using System.Text;
using GithubEvents.ServiceDefaults.Kafka;

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
    public async Task Server_errors_and_timeouts_are_retried_with_growing_jittered_waits()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, github =>
            {
                github.Fail("/events", FakeGitHub.ServerError(502));
                github.Fail("/events", new Fault(200, "[]") { Delay = TimeSpan.FromSeconds(10) });
            },
            new Dictionary<string, string?> { ["GitHub:RequestTimeout"] = "00:00:00.300" });

        var afterServerError = await run.Time.NextWaitAsync();
        var afterTimeout = await run.PollAgainAsync(afterServerError);
        await run.PollAgainAsync(afterTimeout);

        Assert.Equal(TimeSpan.FromSeconds(1), afterServerError);
        Assert.InRange(afterTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(1, run.Metrics["github.poll.failures/http_502"]);
        Assert.Equal(1, run.Metrics["github.poll.failures/timeout"]);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }

    [Fact]
    public async Task A_cut_off_page_is_dead_lettered_with_its_place_and_counted_and_polling_goes_on()
    {
        const string body = """[{"id":"1","type":"PushEvent","actor":{"id":""";
        await using var run = await LivePollerRun.StartAsync(kafka, github => github.Fail("/events", new Fault(200, body)));

        var wait = await run.Time.NextWaitAsync();
        await run.PollAgainAsync(wait);

        var letter = Assert.Single(TopicContents.Read(kafka.BootstrapServers, run.Host.DeadLetterTopic(), expected: 1));
        Assert.Equal(body[1..], Encoding.UTF8.GetString(letter.Message.Value));
        Assert.StartsWith("not an element of the page's JSON array (malformed JSON", Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));
        Assert.Equal($"events page 1, polled {run.FeedRequests[0].At:O}", Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceFile)));
        Assert.Equal("1", Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceByte)));
        Assert.Equal(0, run.Metrics["github.poll.failures"]);
        var figures = TopicContents.Read(kafka.BootstrapServers, run.Host.PollsTopic(), expected: 2)
            .Select(message => PollFigures.TryParse(message.Message.Value, out var parsed, out _) ? parsed : null).ToList();
        Assert.Equal(1, figures[0]!.DeadLetters);
        Assert.Equal(30, TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30).Count);
    }
}
