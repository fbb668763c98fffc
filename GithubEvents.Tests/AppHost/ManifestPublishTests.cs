using System.Text.Json;

namespace GithubEvents.Tests.AppHost;

public sealed class ManifestPublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("github-events-manifest-").FullName;

    [Fact]
    public async Task The_manifest_publisher_writes_every_resource_and_no_secret_value()
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(new Dictionary<string, string>(), "--publisher", "manifest", "--output-path", _output);

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

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
