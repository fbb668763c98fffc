using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>Grafana from this machine's install where no container runtime answers, in the model; nothing is started.</summary>
public sealed class LocalGrafanaModelTests : IDisposable
{
    private const string NoContainerRuntime = "--ASPIRE_CONTAINER_RUNTIME=no-such-container-runtime";

    private readonly DirectoryInfo _dataFolder = Directory.CreateTempSubdirectory("local-grafana-model-");

    private string LocalData => $"--Local:DataDirectory={Path.Combine(_dataFolder.FullName, "postgres")}";

    private string GrafanaFolder => Path.Combine(_dataFolder.FullName, "grafana");

    [Fact]
    public async Task With_grafana_on_PATH_the_AppHost_runs_it_with_the_provisioning_and_its_files_beside_the_local_cluster()
    {
        using var standIn = StandInGrafana.Create();
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [NoContainerRuntime, standIn.OnPath, LocalData], TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        var grafana = Assert.IsType<LocalGrafanaResource>(Resource(builder, "grafana"));
        Assert.Equal(standIn.Executable, grafana.Command);
        Assert.Equal(["server", "--homepath", standIn.HomePath, "--config", Path.Combine(GrafanaFolder, "grafana.ini")], await Arguments(grafana));

        var environment = await PublishedEnvironment(grafana);
        Assert.Equal("{grafana.bindings.http.targetPort}", environment["GF_SERVER_HTTP_PORT"]);
        Assert.Equal("127.0.0.1", environment["GF_SERVER_HTTP_ADDR"]);
        Assert.Equal("{grafana.bindings.http.url}/", environment["GF_SERVER_ROOT_URL"]);
        Assert.Equal(Path.Combine(GrafanaFolder, "data"), environment["GF_PATHS_DATA"]);
        Assert.Equal(Path.Combine(GrafanaFolder, "logs"), environment["GF_PATHS_LOGS"]);
        Assert.Equal(Path.Combine(GrafanaFolder, "plugins"), environment["GF_PATHS_PLUGINS"]);
        Assert.Equal(Path.Combine(GrafanaFolder, "provisioning"), environment["GF_PATHS_PROVISIONING"]);
        Assert.Equal("{grafana-admin-password.value}", environment["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.True(Resource(builder, "grafana-admin-password") is ParameterResource { Secret: true });
        // The same datasource as the container's, on the database on this machine.
        Assert.Equal("{postgres.bindings.tcp.host}:{postgres.bindings.tcp.port}", environment["GITHUB_EVENTS_DB_HOST"]);
        Assert.Equal("grafana_reader", environment["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Equal("{postgres-reader-password.value}", environment["GITHUB_EVENTS_DB_READER_PASSWORD"]);
        Assert.Equal(["enrich", "github-events", "postgres"], WaitsFor(builder, "grafana"));
        Assert.NotEmpty(grafana.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Contains(grafana.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.UriScheme == "http" && e.IsProxied);
    }

    [Fact]
    public async Task The_older_grafana_server_in_Local_GrafanaHome_is_started_without_the_server_command()
    {
        using var standIn = StandInGrafana.Create("grafana-server");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [NoContainerRuntime, StandInGrafana.NoneOnPath, standIn.AsGrafanaHome, LocalData], TestContext.Current.CancellationToken);

        var grafana = Assert.IsType<LocalGrafanaResource>(Resource(builder, "grafana"));

        Assert.Equal(standIn.Executable, grafana.Command);
        Assert.Equal(["--homepath", standIn.HomePath, "--config", Path.Combine(GrafanaFolder, "grafana.ini")], await Arguments(grafana));
    }

    [Fact]
    public async Task Installed_Grafana_reaches_an_existing_database_on_loopback_on_loopback()
    {
        using var standIn = StandInGrafana.Create();
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                NoContainerRuntime, standIn.OnPath, LocalData,
                "--ConnectionStrings:github-events=Host=localhost;Port=6543;Database=events;Username=pipeline;Password=ServicesSecret1",
                "--Grafana:AllowServiceLogin=true",
            ],
            TestContext.Current.CancellationToken);

        var environment = await PublishedEnvironment(Resource(builder, "grafana"));

        Assert.Equal("localhost:6543", environment["GITHUB_EVENTS_DB_HOST"]);
        Assert.Equal("pipeline", environment["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Equal(["enrich", "github-events"], WaitsFor(builder, "grafana"));
    }

    [Fact]
    public async Task Where_a_container_runtime_answers_Grafana_runs_in_its_container_even_when_installed()
    {
        using var standIn = StandInGrafana.Create();
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [AnsweringContainerRuntime.Argument, standIn.OnPath, LocalData], TestContext.Current.CancellationToken);

        Assert.IsType<GrafanaResource>(Resource(builder, "grafana"));
    }

    [Fact]
    public async Task A_Local_GrafanaHome_without_a_Grafana_server_ends_the_AppHost_with_a_message_naming_the_setting()
    {
        var (exitCode, log) = await AppHostProcess.RunWithoutContainerRuntimeAsync("--Local:GrafanaHome=/no/such/grafana", LocalData);

        Assert.Equal(1, exitCode);
        Assert.Contains("GithubEvents.AppHost cannot start: Local:GrafanaHome ('/no/such/grafana') holds no Grafana server (bin/grafana or bin/grafana-server)", log);
        Assert.DoesNotContain("   at ", log);
    }

    public void Dispose() => _dataFolder.Delete(recursive: true);

    private static async Task<string[]> Arguments(IResource resource)
    {
#pragma warning disable CS0618 // The arguments as a manifest writes them.
        return [.. await ((IResourceWithArgs)resource).GetArgumentValuesAsync()];
#pragma warning restore CS0618
    }
}
