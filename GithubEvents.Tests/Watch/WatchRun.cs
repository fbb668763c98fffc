using GithubEvents.Tests.Fakes;
using GithubEvents.Tests.Infrastructure;
using GithubEvents.Tests.Ingest;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// Ingest's live and watch pollers in one host against the fake GitHub, on simulated time: <see cref="RunAsync"/>
/// runs a stretch of it in a moment of real time, both pollers asleep on the clock between their turns.
/// </summary>
internal sealed class WatchRun : IAsyncDisposable
{
    public const string Token = "test-token-not-a-real-one";

    private WatchRun(FakeGitHub gitHub, SimulatedTime time, LogCapture logs, IHost host)
    {
        GitHub = gitHub;
        Time = time;
        Logs = logs;
        Host = host;
    }

    public FakeGitHub GitHub { get; }

    public SimulatedTime Time { get; }

    public LogCapture Logs { get; }

    public IHost Host { get; }

    /// <summary>The requests to watched feeds (repositories' and organisations').</summary>
    public IReadOnlyList<RecordedRequest> WatchRequests =>
        GitHub.Requests.Where(r => r.Path.StartsWith("/repos/", StringComparison.Ordinal) || r.Path.StartsWith("/orgs/", StringComparison.Ordinal)).ToList();

    public static async Task<WatchRun> StartAsync(
        KafkaMockCluster kafka,
        Action<FakeGitHub> arrange,
        IDictionary<string, string?> settings,
        Action<HostApplicationBuilder>? configure = null,
        DateTimeOffset? start = null)
    {
        var time = new SimulatedTime(start ?? StepTimeProvider.DefaultStart);
        var gitHub = new FakeGitHub(time);
        await gitHub.InitializeAsync();
        arrange(gitHub);

        var logs = new LogCapture();
        var configuration = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = gitHub.BaseAddress.ToString(),
            ["GitHub:Token"] = Token,
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var builder = IngestTestHost.Builder(kafka.BootstrapServers, time, logs, configuration);
        configure?.Invoke(builder);
        builder.AddEventPublishing();
        builder.AddLivePolling();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new WatchRun(gitHub, time, logs, host);
    }

    /// <summary>Both pollers for <paramref name="duration"/> of simulated time.</summary>
    public Task RunAsync(TimeSpan duration) => Time.RunAsync(duration, sleepers: 2);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await GitHub.DisposeAsync();
    }
}
