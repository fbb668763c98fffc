using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// The AppHost run by Aspire without a container runtime, against the test PostgreSQL cluster and the Kafka mock cluster,
/// with a stand-in for an installed Grafana server (no real Grafana runs here).
/// </summary>
public sealed class LocalGrafanaRunTests(PostgresServer postgres, KafkaMockCluster kafka) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _dataFolder = Directory.CreateTempSubdirectory("local-grafana-run-");

    [Fact]
    public async Task Installed_Grafana_is_started_with_the_containers_provisioning_and_its_address_is_logged()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var adminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var webhook = $"https://hooks.example.test/{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}";
        var database = await postgres.CreateDatabaseAsync();
        using var standIn = StandInGrafana.Create();
        var logs = new LogCapture();
        var appHost = await CreateAsync(database, logs, standIn.AsGrafanaHome, StandInGrafana.NoneOnPath,
            $"--Parameters:grafana-admin-password={adminPassword}", $"--Parameters:grafana-alert-webhook-url={webhook}");

        await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("grafana", cancellationToken).WaitAsync(Timeout, cancellationToken);
        var (arguments, environment) = await standIn.StartedAsync(Timeout);

        var folder = Path.Combine(_dataFolder.FullName, "grafana");
        var provisioning = Path.Combine(folder, "provisioning");
        Assert.Equal(["server", "--homepath", standIn.HomePath, "--config", Path.Combine(folder, "grafana.ini")], arguments);
        Assert.True(File.Exists(Path.Combine(folder, "grafana.ini")));
        Assert.Equal(Path.Combine(folder, "data"), environment["GF_PATHS_DATA"]);
        Assert.Equal(Path.Combine(folder, "logs"), environment["GF_PATHS_LOGS"]);
        Assert.Equal(Path.Combine(folder, "plugins"), environment["GF_PATHS_PLUGINS"]);
        Assert.Equal(provisioning, environment["GF_PATHS_PROVISIONING"]);
        Assert.Equal(adminPassword, environment["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Equal(webhook, environment["GITHUB_EVENTS_ALERT_WEBHOOK_URL"]);
        Assert.Equal($"localhost:{postgres.Port}", environment["GITHUB_EVENTS_DB_HOST"]);

        // The address a browser uses: Aspire's proxy in front of the port Grafana was given, which answered the health check.
        var address = app.GetEndpoint("grafana", "http");
        Assert.Equal($"{address.ToString().TrimEnd('/')}/", environment["GF_SERVER_ROOT_URL"]);
        Assert.Matches("^[0-9]+$", environment["GF_SERVER_HTTP_PORT"]);
        await EventuallyAsync(() => logs.Entries.Any(e => e.Message.StartsWith($"Grafana listens at {address.ToString().TrimEnd('/')}", StringComparison.Ordinal)),
            "the start-up log naming Grafana's address");
        Assert.Contains(logs.Entries, e => e.Message.StartsWith($"Grafana runs from this machine's install ({standIn.Executable})", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(adminPassword, StringComparison.Ordinal) || e.Message.Contains(webhook, StringComparison.Ordinal));

        // The committed provisioning, the dashboards' path pointing into the copy, and the files the run writes for the container.
        var committed = Path.Combine(AppHostProcess.RepositoryRoot(), "GithubEvents.AppHost", "Grafana", "provisioning");
        foreach (var unchanged in new[] { "alerting/github-events-rules.yaml", "dashboards/github-events/github-events-live.json" })
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(committed, unchanged), cancellationToken), await File.ReadAllTextAsync(Path.Combine(provisioning, unchanged), cancellationToken));
        }

        Assert.Contains($"path: {provisioning}/dashboards/github-events", await File.ReadAllTextAsync(Path.Combine(provisioning, "dashboards", "github-events.yaml"), cancellationToken));
        var datasource = await File.ReadAllTextAsync(Path.Combine(provisioning, GrafanaDatasourceFile.RelativePath), cancellationToken);
        var hasTimescaleDb = (bool)(await Sql.ScalarAsync(database, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"))!;
        Assert.StartsWith("# Written by the AppHost for this run", datasource);
        Assert.Contains($"timescaledb: {(hasTimescaleDb ? "true" : "false")}", datasource);
        Assert.Contains("url: ${GITHUB_EVENTS_DB_HOST}", datasource);
        var contactPoints = await File.ReadAllTextAsync(Path.Combine(provisioning, AlertContactPoints.RelativePath), cancellationToken);
        Assert.Contains("url: ${GITHUB_EVENTS_ALERT_WEBHOOK_URL}", contactPoints);
        Assert.DoesNotContain(webhook, contactPoints);
    }

    [Fact]
    public async Task Without_a_container_runtime_or_Grafana_the_start_up_log_names_the_ways_to_install_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var logs = new LogCapture();
        var appHost = await CreateAsync(await postgres.CreateDatabaseAsync(), logs, StandInGrafana.NoneOnPath);

        await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);

        Assert.DoesNotContain(app.Services.GetRequiredService<DistributedApplicationModel>().Resources, r => r.Name == "grafana");
        var leftOut = Assert.Single(logs.Entries, e => e.Message.StartsWith("Grafana is left out: no container runtime answers", StringComparison.Ordinal));
        Assert.Contains("https://apt.grafana.com", leftOut.Message);
        Assert.Contains("'brew install grafana'", leftOut.Message);
        Assert.Contains("https://grafana.com/grafana/download", leftOut.Message);
        Assert.Contains("Local:GrafanaHome", leftOut.Message);
    }

    public void Dispose() => _dataFolder.Delete(recursive: true);

    private async Task<IDistributedApplicationTestingBuilder> CreateAsync(string database, LogCapture logs, params string[] arguments)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                // No ASPIRE_CONTAINER_RUNTIME here: Aspire's orchestrator refuses to start with one it does not know. Like
                // the other run tests, these rely on this machine having no container runtime.
                $"--ConnectionStrings:kafka={kafka.BootstrapServers}",
                $"--ConnectionStrings:github-events={database}",
                "--Grafana:AllowServiceLogin=true",
                $"--Local:DataDirectory={Path.Combine(_dataFolder.FullName, "postgres")}",
                .. arguments,
            ],
            TestContext.Current.CancellationToken);
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        return appHost;
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
