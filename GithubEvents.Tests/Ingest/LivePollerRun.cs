using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// The live poller in a host against the fake GitHub and the Kafka mock cluster, on step time: each
/// <see cref="StepTimeProvider.NextWaitAsync"/> returns when a poll has finished and its wait has begun.
/// </summary>
internal sealed class LivePollerRun : PollingRun<StepTimeProvider>
{
    private LivePollerRun(FakeGitHub gitHub, StepTimeProvider time, LogCapture logs, IHost host, IngestMetrics metrics)
        : base(gitHub, time, logs, host) => Metrics = metrics;

    public IngestMetrics Metrics { get; }

    public IReadOnlyList<RecordedRequest> FeedRequests => GitHub.Requests.Where(r => r.Path == "/events").ToList();

    /// <summary>Starts polling with a token unless the settings say otherwise; <paramref name="arrange"/> runs before the first poll.</summary>
    public static async Task<LivePollerRun> StartAsync(
        KafkaMockCluster kafka,
        Action<FakeGitHub>? arrange = null,
        IDictionary<string, string?>? settings = null)
    {
        var time = new StepTimeProvider();
        var gitHub = FakeGitHub.WithRecordedFixtures(time);
        var (logs, host) = await BuildAsync(kafka, time, gitHub, arrange, settings);
        var metrics = new IngestMetrics(host.Services);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new LivePollerRun(gitHub, time, logs, host, metrics);
    }

    /// <summary>
    /// Polls <paramref name="oldestFirst"/> into the topics <paramref name="pipeline"/> consumes: shows them on the fake
    /// feed a few at a time, a poll after each step, and checks that each was published.
    /// </summary>
    /// <returns>The feed requests the poller sent.</returns>
    public static async Task<int> PollIntoAsync(KafkaMockCluster kafka, EnrichPipeline pipeline, IReadOnlyList<string> oldestFirst)
    {
        await using var poller = await StartAsync(kafka, github => github.SetEvents([]), new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = pipeline.Topic,
            ["Kafka:Topics:Polls"] = pipeline.PollsTopic,
        });
        var wait = await poller.Time.NextWaitAsync();
        foreach (var step in oldestFirst.Chunk(60))
        {
            poller.GitHub.Publish(step.Reverse());
            wait = await poller.PollAgainAsync(wait);
        }

        Assert.Equal(oldestFirst.Count, poller.Metrics["github.events.published"]);
        return poller.FeedRequests.Count;
    }

    /// <summary>Ends the current wait and returns the one after the next poll.</summary>
    public async Task<TimeSpan> PollAgainAsync(TimeSpan currentWait)
    {
        Time.Advance(currentWait);
        return await Time.NextWaitAsync();
    }

    /// <summary>When the token's hourly budget resets, as the fake says in X-RateLimit-Reset.</summary>
    public DateTimeOffset RateLimitReset()
    {
        using var client = GitHub.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "user/583231");
        request.Headers.Authorization = new("Bearer", Token);
        using var response = client.Send(request);
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Metrics.Dispose();
    }
}
