using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>Grafana wherever a container runtime answers, on the database the services use however it is placed.</summary>
public sealed class GrafanaPlacementTests
{
    private const string ExistingDatabase = "--ConnectionStrings:github-events=Host=localhost;Port=6543;Database=events;Username=pipeline;Password=ServicesSecret1";
    private const string ServicesLoginAllowed = "--Grafana:AllowServiceLogin=true";

    [Fact]
    public async Task With_the_database_on_this_machine_Grafana_reads_it_as_the_reader_role_through_its_endpoint()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            ["--AppHost:Mode=Local", AnsweringContainerRuntime.Argument], TestContext.Current.CancellationToken);

        Assert.IsType<LocalPostgresServerResource>(Resource(builder, "postgres"));
        var grafana = await PublishedEnvironment(Assert.IsType<GrafanaResource>(Resource(builder, "grafana")));

        // The endpoint, not 127.0.0.1: Aspire resolves it for the container's network.
        Assert.Equal("{postgres.bindings.tcp.host}:{postgres.bindings.tcp.port}", grafana["GITHUB_EVENTS_DB_HOST"]);
        Assert.Equal("github-events", grafana["GITHUB_EVENTS_DB_NAME"]);
        Assert.Equal("grafana_reader", grafana["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Equal("{postgres-reader-password.value}", grafana["GITHUB_EVENTS_DB_READER_PASSWORD"]);
        // Enrich makes the schema (and the TimescaleDB extension the datasource's flag follows) before Grafana starts.
        Assert.Equal(["enrich", "github-events", "postgres"], WaitsFor(builder, "grafana"));
    }

    [Fact]
    public async Task With_an_existing_database_on_loopback_Grafana_reaches_it_on_the_container_host_with_the_services_login_where_allowed()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [ExistingDatabase, ServicesLoginAllowed, AnsweringContainerRuntime.Argument], TestContext.Current.CancellationToken);

        Assert.DoesNotContain(builder.Resources, r => r.Name is "timescaledb" or "postgres");
        var grafana = await PublishedEnvironment(Resource(builder, "grafana"));

        Assert.Equal("host.docker.internal:6543", grafana["GITHUB_EVENTS_DB_HOST"]);
        var runtimeArgs = Resource(builder, "grafana").Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>().ToList();
        var args = new List<object>();
        foreach (var annotation in runtimeArgs)
        {
            await annotation.Callback(new ContainerRuntimeArgsCallbackContext(args, TestContext.Current.CancellationToken));
        }

        Assert.Contains("--add-host=host.docker.internal:host-gateway", args);
        Assert.Equal("events", grafana["GITHUB_EVENTS_DB_NAME"]);
        Assert.Equal("pipeline", grafana["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Equal("{grafana-database-password.value}", grafana["GITHUB_EVENTS_DB_READER_PASSWORD"]);
        Assert.True(Resource(builder, "grafana-database-password") is ParameterResource { Secret: true });
        Assert.Equal(["enrich", "github-events"], WaitsFor(builder, "grafana"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task With_an_existing_database_and_no_readers_login_start_up_stops_naming_the_setting_and_the_opt_in(string? allowed)
    {
        string[] args = allowed is null
            ? [ExistingDatabase, AnsweringContainerRuntime.Argument]
            : [ExistingDatabase, $"--Grafana:AllowServiceLogin={allowed}", AnsweringContainerRuntime.Argument];

        var exception = await Assert.ThrowsAsync<DistributedApplicationException>(async () =>
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(args, TestContext.Current.CancellationToken);
        });

        Assert.Contains("ConnectionStrings:github-events-reader is not set", exception.Message);
        Assert.Contains("Grafana:AllowServiceLogin=true", exception.Message);
        Assert.DoesNotContain("ServicesSecret1", exception.Message);
    }

    [Fact]
    public async Task Without_a_readers_login_the_AppHost_exits_with_the_message_alone_and_a_value_that_is_no_boolean_is_named()
    {
        var existing = new Dictionary<string, string>
        {
            ["ConnectionStrings__kafka"] = "127.0.0.1:9",
            ["ConnectionStrings__github-events"] = "Host=db.example.test;Database=events;Username=pipeline;Password=ServicesSecret1",
            ["ASPIRE_CONTAINER_RUNTIME"] = AnsweringContainerRuntime.Argument.Split('=', 2)[1],
        };

        var (exitCode, log) = await AppHostProcess.RunAsync(AppHostProcess.RunEnvironment(existing));

        Assert.Equal(1, exitCode);
        Assert.Contains("GithubEvents.AppHost cannot start: ConnectionStrings:github-events-reader is not set", log);
        Assert.DoesNotContain("   at ", log);
        Assert.DoesNotContain("ServicesSecret1", log);

        existing["Grafana__AllowServiceLogin"] = "yes";
        (exitCode, log) = await AppHostProcess.RunAsync(AppHostProcess.RunEnvironment(existing));

        Assert.Equal(1, exitCode);
        Assert.Contains("Grafana:AllowServiceLogin must be true or false, not 'yes'.", log);
        Assert.DoesNotContain("   at ", log);
    }

    [Fact]
    public async Task With_a_reader_connection_string_Grafana_reads_an_existing_database_as_that_login()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                ExistingDatabase,
                "--ConnectionStrings:github-events-reader=Host=db.example.org;Database=events;Username=dashboards;Password=ReaderSecret1",
                AnsweringContainerRuntime.Argument,
            ],
            TestContext.Current.CancellationToken);

        var grafana = await PublishedEnvironment(Resource(builder, "grafana"));

        Assert.Equal("db.example.org:5432", grafana["GITHUB_EVENTS_DB_HOST"]);
        Assert.Equal("dashboards", grafana["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Empty(Resource(builder, "grafana").Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>());
        Assert.Equal("ReaderSecret1", await ((ParameterResource)Resource(builder, "grafana-database-password")).GetValueAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Require", "require")]
    [InlineData("VerifyFull", "verify-full")]
    [InlineData("Prefer", "disable")]
    public void Grafana_asks_an_existing_server_for_TLS_as_its_connection_string_does(string npgsqlMode, string grafanaMode)
    {
        var builder = DistributedApplication.CreateBuilder([$"--ConnectionStrings:events=Host=db.example.org;Database=events;Username=u;SSL Mode={npgsqlMode}", ServicesLoginAllowed]);

        var login = DatasourceLogin.For(builder, "grafana", new ServiceDatabase(builder.AddConnectionString("events"), managed: null));

        Assert.Equal(grafanaMode, login.SslMode);
    }

    [Fact]
    public async Task Grafana_checks_an_existing_server_against_the_readers_root_certificate_mounted_in_its_container()
    {
        var rootCertificate = Path.Combine(Path.GetTempPath(), $"root-{Guid.NewGuid():N}.crt");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                ExistingDatabase,
                $"--ConnectionStrings:github-events-reader=Host=db.example.org;Database=events;Username=dashboards;Password=ReaderSecret1;SSL Mode=VerifyFull;Root Certificate={rootCertificate}",
                AnsweringContainerRuntime.Argument,
            ],
            TestContext.Current.CancellationToken);

        var grafana = await PublishedEnvironment(Resource(builder, "grafana"));

        Assert.Equal(GrafanaResource.RootCertificatePath, grafana["GITHUB_EVENTS_DB_ROOT_CERT"]);
        var mount = Assert.Single(Resource(builder, "grafana").Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == GrafanaResource.RootCertificatePath);
        Assert.Equal(rootCertificate, mount.Source);
        Assert.True(mount.IsReadOnly);
    }

    [Fact]
    public async Task Without_a_root_certificate_Grafana_uses_the_systems()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [ExistingDatabase, ServicesLoginAllowed, AnsweringContainerRuntime.Argument], TestContext.Current.CancellationToken);

        Assert.Equal("", (await PublishedEnvironment(Resource(builder, "grafana")))["GITHUB_EVENTS_DB_ROOT_CERT"]);
        Assert.DoesNotContain(Resource(builder, "grafana").Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == GrafanaResource.RootCertificatePath);
    }

    [Fact]
    public async Task Without_a_container_runtime_and_with_the_database_on_this_machine_Grafana_is_left_out()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            ["--ASPIRE_CONTAINER_RUNTIME=no-such-container-runtime", StandInGrafana.NoneOnPath], TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        Assert.DoesNotContain(builder.Resources, r => r.Name.StartsWith("grafana", StringComparison.Ordinal));
    }
}
