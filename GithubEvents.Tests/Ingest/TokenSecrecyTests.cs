
namespace GithubEvents.Tests.Ingest;

public sealed class TokenSecrecyTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task The_token_never_appears_in_a_log_line_a_trace_or_an_exception()
    {
        using var spans = new ActivityCapture(_ => true);
        await using var run = await LivePollerRun.StartAsync(kafka, github =>
            {
                github.Fail("/events", new Fault(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"""));
                github.Fail("/events", FakeGitHub.ServerError(503));
                github.Fail("/events", new Fault(200, "[]") { Delay = TimeSpan.FromSeconds(10) });
                github.Fail("/events", FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 5));
            },
            new Dictionary<string, string?> { ["GitHub:RequestTimeout"] = "00:00:00.300" });

        var wait = await run.Time.NextWaitAsync();
        for (var poll = 0; poll < 4; poll++)
        {
            wait = await run.PollAgainAsync(wait);
        }

        Assert.All(run.FeedRequests, r => Assert.Equal($"Bearer {LivePollerRun.Token}", r.Header("Authorization")));
        Assert.NotEmpty(run.Logs.Entries);
        Assert.All(run.Logs.Entries, log => Assert.DoesNotContain(LivePollerRun.Token, log.ToString()));
        var activities = spans.Stopped;
        Assert.Contains(activities, a => a.Source.Name == "GithubEvents.Ingest");
        Assert.All(activities, activity =>
        {
            Assert.DoesNotContain(LivePollerRun.Token, activity.DisplayName);
            Assert.All(activity.TagObjects, tag => Assert.DoesNotContain(LivePollerRun.Token, $"{tag.Value}"));
            Assert.All(activity.Events, e => Assert.DoesNotContain(LivePollerRun.Token, $"{e.Name} {string.Join(" ", e.Tags)}"));
        });
    }
}
