using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// Ingest's pollers in a host against the fake GitHub, with a token, on a test clock: what the live poller's run and
/// the watch's run share (<see cref="LivePollerRun"/>, <see cref="Watch.WatchRun"/>).
/// </summary>
internal abstract class PollingRun<TTime>(FakeGitHub gitHub, TTime time, LogCapture logs, IHost host) : IAsyncDisposable
    where TTime : TimeProvider
{
    public const string Token = "test-token-not-a-real-one";

    public FakeGitHub GitHub { get; } = gitHub;

    public TTime Time { get; } = time;

    public LogCapture Logs { get; } = logs;

    public IHost Host { get; } = host;

    public virtual async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await GitHub.DisposeAsync();
    }

    /// <summary>
    /// Starts <paramref name="gitHub"/>, lets <paramref name="arrange"/> set it up, and builds (without starting it) a host
    /// that publishes and polls it with <see cref="Token"/> on <paramref name="time"/>; <paramref name="settings"/> come
    /// on top, <paramref name="configure"/> runs before the registrations.
    /// </summary>
    protected static async Task<(LogCapture Logs, IHost Host)> BuildAsync(
        KafkaMockCluster kafka,
        TTime time,
        FakeGitHub gitHub,
        Action<FakeGitHub>? arrange,
        IDictionary<string, string?>? settings,
        Action<HostApplicationBuilder>? configure = null)
    {
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
        configure?.Invoke(builder);
        builder.AddEventPublishing();
        builder.AddLivePolling();
        return (logs, builder.Build());
    }
}
