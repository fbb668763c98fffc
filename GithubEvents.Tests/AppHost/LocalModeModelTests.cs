using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>The application model on a machine without a container runtime: every piece on this machine.</summary>
public sealed class LocalModeModelTests
{
    [Fact]
    public async Task Without_a_container_runtime_the_broker_runs_in_the_AppHost_and_PostgreSQL_from_the_local_binaries()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            ["--ASPIRE_CONTAINER_RUNTIME=no-such-container-runtime", StandInGrafana.NoneOnPath], TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        Assert.IsType<DevelopmentKafkaResource>(Resource(builder, "kafka"));
        var server = Assert.IsType<LocalPostgresServerResource>(Resource(builder, "postgres"));
        var database = Assert.IsType<LocalPostgresDatabaseResource>(Resource(builder, "github-events"));
        Assert.Same(server, database.Parent);
        Assert.Equal("github-events", database.DatabaseName);
        Assert.NotEmpty(server.Annotations.OfType<HealthCheckAnnotation>());
        Assert.NotEmpty(database.Annotations.OfType<HealthCheckAnnotation>());
        Assert.DoesNotContain(builder.Resources, r => r.Name is "grafana" or "kafka-ui" or "timescaledb");

#pragma warning disable CS0618 // The arguments as a manifest writes them.
        var args = await ((IResourceWithArgs)server).GetArgumentValuesAsync();
#pragma warning restore CS0618
        Assert.Contains("listen_addresses=127.0.0.1", args);
        // Waiting for the database waits for its server too.
        Assert.Equal(["github-events", "kafka", "postgres"], WaitsFor(builder, "enrich"));
    }

    [Fact]
    public async Task Local_mode_manages_the_reader_and_writer_roles_as_the_container_path_does()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            ["--AppHost:Mode=Local"], TestContext.Current.CancellationToken);

        var enrich = await PublishedEnvironment(Resource(builder, "enrich"));

        Assert.Equal("{postgres-reader-password.value}", enrich["Database__ReaderPassword"]);
        Assert.Equal("{postgres-writer-password.value}", enrich["Database__WriterPassword"]);
        Assert.Equal("grafana_reader", enrich["Database__ReaderRole"]);
        Assert.True(Resource(builder, "postgres-password") is ParameterResource { Secret: true });
    }

    [Fact]
    public async Task An_unknown_mode_stops_start_up_naming_the_setting()
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(AppHostProcess.RunEnvironment(), "--AppHost:Mode=Cloud");

        Assert.Equal(1, exitCode);
        Assert.Contains("AppHost:Mode must be Containers or Local", log);
        Assert.DoesNotContain("   at ", log);
    }

    [Fact]
    public async Task Without_a_container_runtime_or_server_binaries_the_AppHost_exits_with_the_ways_out_and_no_stack_trace()
    {
        var (exitCode, log) = await AppHostProcess.RunWithoutContainerRuntimeAsync("--Local:PostgresBin=/no/such/folder");

        Assert.Equal(1, exitCode);
        Assert.Contains("Local:PostgresBin ('/no/such/folder') holds no PostgreSQL server binaries", log);
        Assert.Contains("start Docker or Podman", log);
        Assert.Contains("sudo apt-get install postgresql", log);
        Assert.Contains("ConnectionStrings:kafka and ConnectionStrings:github-events", log);
        Assert.DoesNotContain("   at ", log);
    }
}
