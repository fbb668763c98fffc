using System.Diagnostics;
using System.Text.Json;

namespace GithubEvents.Tests.AppHost;

public sealed class ManifestPublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("github-events-manifest-").FullName;

    [Fact]
    public async Task The_manifest_publisher_writes_every_resource_and_no_secret_value()
    {
        var (exitCode, log) = await RunAppHostAsync("--publisher", "manifest", "--output-path", _output);

        Assert.True(exitCode == 0, log);
        var manifestText = await File.ReadAllTextAsync(Path.Combine(_output, "aspire-manifest.json"), TestContext.Current.CancellationToken);
        using var manifest = JsonDocument.Parse(manifestText);
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var name in new[] { "kafka", "timescaledb", "github-events", "grafana", "ingest", "enrich" })
        {
            Assert.True(resources.TryGetProperty(name, out _), $"The manifest has no '{name}'.");
        }

        Assert.False(resources.TryGetProperty("kafka-ui", out _), "Kafka UI is a run-mode debugging aid.");
        Assert.Equal("container.v0", resources.GetProperty("kafka").GetProperty("type").GetString());
        Assert.False(resources.GetProperty("kafka").TryGetProperty("volumes", out _), "Data volumes are for run mode; a deployment brings its own storage.");
        Assert.False(resources.GetProperty("timescaledb").TryGetProperty("volumes", out _), "Data volumes are for run mode; a deployment brings its own storage.");
        Assert.Equal("project.v0", resources.GetProperty("ingest").GetProperty("type").GetString());
        foreach (var secret in new[] { "github-token", "timescaledb-password", "timescaledb-reader-password", "timescaledb-writer-password", "grafana-admin-password" })
        {
            Assert.True(resources.GetProperty(secret).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), $"{secret} is not secret");
        }

        // Secrets appear only as references to their parameters.
        Assert.Equal("{github-token.value}", resources.GetProperty("ingest").GetProperty("env").GetProperty("GitHub__Token").GetString());
        Assert.Equal("{grafana-admin-password.value}", resources.GetProperty("grafana").GetProperty("env").GetProperty("GF_SECURITY_ADMIN_PASSWORD").GetString());
        Assert.Equal("{timescaledb-reader-password.value}", resources.GetProperty("grafana").GetProperty("env").GetProperty("GITHUB_EVENTS_DB_READER_PASSWORD").GetString());
        Assert.Contains("Password={timescaledb-password.value}", resources.GetProperty("timescaledb").GetProperty("connectionString").GetString());
    }

    private static async Task<(int ExitCode, string Log)> RunAppHostAsync(params string[] arguments)
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
        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
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
            throw new TimeoutException("The AppHost did not finish publishing within 3 minutes.");
        }
    }

    private static string RepositoryRoot()
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

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
