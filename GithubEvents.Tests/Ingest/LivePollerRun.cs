using GithubEvents.Tests.Fakes;
using GithubEvents.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// The live poller in a host against the fake GitHub and the Kafka mock cluster, on step time: each
/// <see cref="StepTimeProvider.NextWaitAsync"/> returns when a poll has finished and its wait has begun.
/// </summary>
internal sealed class LivePollerRun : IAsyncDisposable
{
    public const string Token = "test-token-not-a-real-one";

    private LivePollerRun(FakeGitHub gitHub, StepTimeProvider time, LogCapture logs, IHost host, IngestMetrics metrics)
    {
        GitHub = gitHub;
        Time = time;
        Logs = logs;
        Host = host;
        Metrics = metrics;
    }

    public FakeGitHub GitHub { get; }

    public StepTimeProvider Time { get; }

    public LogCapture Logs { get; }

    public IHost Host { get; }

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
        await gitHub.InitializeAsync();
        arrange?.Invoke(gitHub);

        var logs = new LogCapture();
        var configuration = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = gitHub.BaseAddress.ToString(),
            ["GitHub:Token"] = Token,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = IngestTestHost.Builder(kafka.BootstrapServers, time, logs, configuration);
        builder.AddEventPublishing();
        builder.AddLivePolling();
        var host = builder.Build();
        var metrics = new IngestMetrics(host.Services);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new LivePollerRun(gitHub, time, logs, host, metrics);
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

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        Metrics.Dispose();
        await GitHub.DisposeAsync();
    }
}
