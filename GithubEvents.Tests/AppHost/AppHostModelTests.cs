using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>The application model as the AppHost builds it; nothing is started.</summary>
public sealed class AppHostModelTests
{
    // This machine has no container runtime: without the setting the AppHost would run the pieces on it.
    private static readonly string[] Containers = ["--AppHost:Mode=Containers"];

    private static readonly string[] ExistingInfrastructure =
    [
        "--ConnectionStrings:kafka=127.0.0.1:9092",
        "--ConnectionStrings:github-events=Host=127.0.0.1;Port=5432;Database=github_events;Username=app",
        // No Grafana install either: it would read the existing database, and ask for a reader's login.
        StandInGrafana.NoneOnPath,
    ];

    [Fact]
    public async Task Container_mode_models_every_resource_with_its_image_and_endpoints()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(Containers, TestContext.Current.CancellationToken);

        var kafka = Assert.IsType<KafkaServerResource>(Resource(builder, "kafka"));
        Assert.Equal("docker.io/confluentinc/confluent-local:8.1.1", Image(kafka));
        Assert.Equal([("tcp", 9092), ("internal", 9093)], Endpoints(kafka));
        Assert.Contains(kafka.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/var/lib/kafka/data" && m.Type == ContainerMountType.Volume);
        Assert.NotEmpty(kafka.Annotations.OfType<HealthCheckAnnotation>());

        var kafkaUi = Assert.IsType<KafkaUIResource>(Resource(builder, "kafka-ui"));
        Assert.StartsWith("docker.io/kafbat/kafka-ui:", Image(kafkaUi));
        Assert.Contains(kafkaUi.Annotations.OfType<EndpointAnnotation>(), e => e.Port == 8080 && e.TargetPort == 8080);

        var timescaledb = Assert.IsType<PostgresServerResource>(Resource(builder, "timescaledb"));
        Assert.Equal("docker.io/timescale/timescaledb:2.27.1-pg17", Image(timescaledb));
        Assert.Contains(timescaledb.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/var/lib/postgresql/data" && m.Type == ContainerMountType.Volume);
        Assert.Equal("github-events", Assert.IsType<PostgresDatabaseResource>(Resource(builder, "github-events")).DatabaseName);

        var grafana = Assert.IsType<GrafanaResource>(Resource(builder, "grafana"));
        Assert.StartsWith("docker.io/grafana/grafana:", Image(grafana));
        Assert.Contains(grafana.Annotations.OfType<EndpointAnnotation>(), e => e.Port == 3000 && e.TargetPort == 3000);
        Assert.Contains(grafana.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/etc/grafana/provisioning" && m.IsReadOnly
            && File.Exists(Path.Combine(m.Source!, "datasources", "timescaledb.yaml")));

        Assert.IsType<ProjectResource>(Resource(builder, "ingest"));
        Assert.IsType<ProjectResource>(Resource(builder, "enrich"));
    }

    [Fact]
    public async Task Kafka_is_one_KRaft_node_with_snappy_and_48_hours_or_8_GiB_retention()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(Containers, TestContext.Current.CancellationToken);

        var env = await PublishedEnvironment(Resource(builder, "kafka"));

        Assert.Equal("broker,controller", env["KAFKA_PROCESS_ROLES"]);
        Assert.Equal("snappy", env["KAFKA_COMPRESSION_TYPE"]);
        Assert.Equal("172800000", env["KAFKA_LOG_RETENTION_MS"]);
        Assert.Equal("8589934592", env["KAFKA_LOG_RETENTION_BYTES"]);
        Assert.Contains("PLAINTEXT_HOST://0.0.0.0:9092", env["KAFKA_LISTENERS"]);
        Assert.Contains("PLAINTEXT_INTERNAL://0.0.0.0:9093", env["KAFKA_LISTENERS"]);
        Assert.Equal(
            "PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port},PLAINTEXT_INTERNAL://{kafka.bindings.internal.host}:{kafka.bindings.internal.port}",
            env["KAFKA_ADVERTISED_LISTENERS"]);
    }

    [Fact]
    public async Task The_topic_settings_reach_the_broker_and_both_services_from_one_section()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [.. Containers, "--Kafka:Topics:Raw=custom.raw", "--Kafka:Topics:Retention=06:00:00", "--Kafka:Topics:RetentionBytes=1073741824"], TestContext.Current.CancellationToken);

        var kafka = await PublishedEnvironment(Resource(builder, "kafka"));
        var ingest = await PublishedEnvironment(Resource(builder, "ingest"));
        var enrich = await PublishedEnvironment(Resource(builder, "enrich"));

        Assert.Equal("21600000", kafka["KAFKA_LOG_RETENTION_MS"]);
        Assert.Equal("1073741824", kafka["KAFKA_LOG_RETENTION_BYTES"]);
        Assert.Equal(("custom.raw", "06:00:00"), (ingest["Kafka__Topics__Raw"], ingest["Kafka__Topics__Retention"]));
        Assert.Equal(("custom.raw", "06:00:00"), (enrich["Kafka__Topics__Raw"], enrich["Kafka__Topics__Retention"]));
    }

    [Fact]
    public async Task The_watch_list_reaches_Ingest_alone()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [.. Containers, "--GitHub:Watch:Repositories:0=dotnet/aspire,npgsql/npgsql", "--GitHub:Watch:Organizations:0=timescale", "--GitHub:Watch:BudgetShare=0.2"],
            TestContext.Current.CancellationToken);

        var ingest = await PublishedEnvironment(Resource(builder, "ingest"));
        var enrich = await PublishedEnvironment(Resource(builder, "enrich"));

        Assert.Equal(("dotnet/aspire,npgsql/npgsql", "timescale", "0.2"),
            (ingest["GitHub__Watch__Repositories__0"], ingest["GitHub__Watch__Organizations__0"], ingest["GitHub__Watch__BudgetShare"]));
        Assert.DoesNotContain(enrich.Keys, key => key.StartsWith("GitHub__Watch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Kafka:Retention=06:00:00", "Kafka:Topics:Retention")]
    [InlineData("--Kafka:RetentionBytes=1073741824", "Kafka:Topics:RetentionBytes")]
    public async Task A_setting_under_its_old_key_stops_start_up_naming_the_new_one(string setting, string newKey)
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(AppHostProcess.RunEnvironment(), setting);

        Assert.Equal(1, exitCode);
        Assert.Contains($"set {newKey} instead", log);
        Assert.DoesNotContain("   at ", log);
    }

    [Fact]
    public async Task Secrets_are_secret_parameters_and_reach_only_the_resources_that_use_them()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(Containers, TestContext.Current.CancellationToken);

        foreach (var name in new[] { "github-token", "timescaledb-password", "timescaledb-reader-password", "timescaledb-writer-password", "grafana-admin-password", "archive-s3-access-key-id", "archive-s3-secret-access-key" })
        {
            Assert.True(Assert.IsType<ParameterResource>(Resource(builder, name)).Secret, $"{name} is not secret");
        }

        var grafana = await PublishedEnvironment(Resource(builder, "grafana"));
        Assert.Equal("{grafana-admin-password.value}", grafana["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Equal("grafana_reader", grafana["GITHUB_EVENTS_DB_READER_USER"]);
        Assert.Equal("{timescaledb-reader-password.value}", grafana["GITHUB_EVENTS_DB_READER_PASSWORD"]);
        Assert.Equal("github-events", grafana["GITHUB_EVENTS_DB_NAME"]);
        // In a run, containers reach each other by resource name on Aspire's container network.
        Assert.Equal("timescaledb:{timescaledb.bindings.tcp.targetPort}", grafana["GITHUB_EVENTS_DB_HOST"]);

        var ingest = await PublishedEnvironment(Resource(builder, "ingest"));
        var enrich = await PublishedEnvironment(Resource(builder, "enrich"));
        Assert.Equal("{github-token.value}", ingest["GitHub__Token"]);
        Assert.Equal("{github-token.value}", enrich["GitHub__Token"]);
        Assert.Equal("{archive-s3-access-key-id.value}", ingest["Archive__S3__AccessKeyId"]);
        Assert.Equal("{archive-s3-secret-access-key.value}", ingest["Archive__S3__SecretAccessKey"]);
        Assert.Equal("{archive-s3-access-key-id.value}", enrich["Archive__S3__AccessKeyId"]);
        Assert.Equal("{archive-s3-secret-access-key.value}", enrich["Archive__S3__SecretAccessKey"]);
        Assert.Equal("{geocoding-user-agent.value}", enrich["Geocoding__UserAgent"]);
        Assert.Equal("{timescaledb-reader-password.value}", enrich["Database__ReaderPassword"]);
        Assert.Equal("{timescaledb-writer-password.value}", enrich["Database__WriterPassword"]);
        Assert.DoesNotContain(ingest, e => e.Value.Contains("timescaledb"));
    }

    [Fact]
    public async Task The_datasource_file_takes_every_connection_value_from_the_environment()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(Containers, TestContext.Current.CancellationToken);
        var provisioning = builder.Resources.OfType<GrafanaResource>().Single().Annotations.OfType<ContainerMountAnnotation>().Single().Source!;

        var datasource = await File.ReadAllTextAsync(Path.Combine(provisioning, "datasources", "timescaledb.yaml"), TestContext.Current.CancellationToken);

        Assert.Contains("uid: github-events-db", datasource);
        Assert.Contains("url: ${GITHUB_EVENTS_DB_HOST}", datasource);
        Assert.Contains("user: ${GITHUB_EVENTS_DB_READER_USER}", datasource);
        Assert.Contains("password: ${GITHUB_EVENTS_DB_READER_PASSWORD}", datasource);
        Assert.True(File.Exists(Path.Combine(provisioning, "dashboards", "github-events.yaml")));
    }

    [Fact]
    public async Task Services_reference_and_wait_for_what_they_use_and_declare_HTTP_health_checks()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(Containers, TestContext.Current.CancellationToken);

        Assert.Equal(["kafka"], WaitsFor(builder, "ingest"));
        // Waiting for the database waits for its server too.
        Assert.Equal(["github-events", "kafka", "timescaledb"], WaitsFor(builder, "enrich"));
        Assert.Equal(["kafka"], ConnectionStrings(builder, "ingest"));
        Assert.Equal(["github-events", "kafka"], ConnectionStrings(builder, "enrich"));
        Assert.NotEmpty(Resource(builder, "ingest").Annotations.OfType<HealthCheckAnnotation>());
        Assert.NotEmpty(Resource(builder, "enrich").Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal(["enrich", "github-events", "timescaledb"], WaitsFor(builder, "grafana"));
    }

    [Fact]
    public async Task With_both_connection_strings_the_model_has_no_container_at_all()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(ExistingInfrastructure, TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        Assert.DoesNotContain(builder.Resources, r => r.Name is "grafana" or "kafka-ui" or "timescaledb");
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "kafka"));
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "github-events"));
        Assert.NotEmpty(Resource(builder, "kafka").Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal(["github-events", "kafka"], WaitsFor(builder, "enrich"));
        Assert.Equal(["github-events", "kafka"], ConnectionStrings(builder, "enrich"));
    }

    [Fact]
    public async Task Forcing_containers_without_a_container_runtime_fails_naming_the_ways_out()
    {
        var (exitCode, log) = await AppHostProcess.RunWithoutContainerRuntimeAsync(Containers);

        Assert.Equal(1, exitCode);
        Assert.Contains("No container runtime answered", log);
        Assert.Contains("start Docker or Podman", log);
        Assert.Contains("set it to Local", log);
        Assert.Contains("ConnectionStrings:kafka", log);
        Assert.Contains("ConnectionStrings:github-events", log);
    }

    private static string Image(IResource resource) =>
        resource.TryGetContainerImageName(out var image) ? image : throw new Xunit.Sdk.XunitException($"{resource.Name} has no image.");

    private static (string Name, int? TargetPort)[] Endpoints(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().Select(e => (e.Name, e.TargetPort)).ToArray();

    private static string[] ConnectionStrings(IDistributedApplicationTestingBuilder builder, string name) =>
        Resource(builder, name).Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference" && r.Resource is IResourceWithConnectionString)
            .Select(r => r.Resource.Name).Distinct().Order().ToArray();
}
