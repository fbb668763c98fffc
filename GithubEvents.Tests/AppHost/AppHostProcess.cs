using System.Diagnostics;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// Runs the built AppHost as a user runs it (<c>dotnet run --no-build</c>), for the publishers, which
/// write files and exit.
/// </summary>
internal static class AppHostProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<(int ExitCode, string Log)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var project = Path.Combine(RepositoryRoot(), "GithubEvents.AppHost");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var startInfo = new ProcessStartInfo("dotnet", ["run", "--project", project, "--no-build", "-c", configuration, "--no-launch-profile", "--", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost did not finish within {Timeout.TotalMinutes} minutes.");
        }
    }

    /// <summary>
    /// What the <c>http</c> launch profile gives a run (an HTTP dashboard), on free ports: without it the dashboard
    /// wants a development certificate before anything else starts.
    /// </summary>
    public static Dictionary<string, string> RunEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>A run (<see cref="RunEnvironment"/>) on a machine where no container runtime answers.</summary>
    public static Task<(int ExitCode, string Log)> RunWithoutContainerRuntimeAsync(params string[] arguments) =>
        RunAsync(RunEnvironment(new Dictionary<string, string> { ["ASPIRE_CONTAINER_RUNTIME"] = "no-such-container-runtime" }), arguments);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GithubEvents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"GithubEvents.sln not found above {AppContext.BaseDirectory}.");
    }
}
