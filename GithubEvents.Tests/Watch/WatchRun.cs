using GithubEvents.Tests.Ingest;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// Ingest's live and watch pollers in one host against the fake GitHub, on simulated time: <see cref="RunAsync"/>
/// runs a stretch of it in a moment of real time, both pollers asleep on the clock between their turns.
/// </summary>
internal sealed class WatchRun : PollingRun<SimulatedTime>
{
    private WatchRun(FakeGitHub gitHub, SimulatedTime time, LogCapture logs, IHost host)
        : base(gitHub, time, logs, host)
    {
    }

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
        var (logs, host) = await BuildAsync(kafka, time, gitHub, arrange, settings, configure);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new WatchRun(gitHub, time, logs, host);
    }

    /// <summary>Both pollers for <paramref name="duration"/> of simulated time.</summary>
    /// <param name="catchUp">A service beside them on the clock (<see cref="SimulatedTime.RunAsync"/>).</param>
    public Task RunAsync(TimeSpan duration, Func<DateTimeOffset, Task<DateTimeOffset>>? catchUp = null) => Time.RunAsync(duration, sleepers: 2, catchUp);
}
