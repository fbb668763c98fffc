using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// Kafka and the database are containers by default. Where both connection strings are configured
// (ConnectionStrings:kafka, ConnectionStrings:github-events) the AppHost uses those servers instead and
// runs no container at all: that is how it runs without Docker and against managed services.
var existingKafka = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("kafka"));
var existingDatabase = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("github-events"));

builder.RequireContainerRuntimeForContainers();
builder.AddKubernetesPublishing();

var githubToken = builder.AddParameter("github-token", () => builder.Configuration["Parameters:github-token"] ?? "", secret: true)
    .WithDescription("Optional GitHub token: raises the API budget from 60 to 5,000 requests an hour.");

var geocodingUserAgent = builder.AddParameter("geocoding-user-agent", () => builder.Configuration["Parameters:geocoding-user-agent"] ?? "")
    .WithDescription("The User-Agent Enrich sends to Nominatim, with a contact, e.g. 'GithubEvents/1.0 (ops@example.org)'. Empty: offline geocoding only.");

IResourceBuilder<IResourceWithConnectionString> kafka = existingKafka
    ? builder.AddConnectionString("kafka").WithKafkaHealthCheck()
    : builder.AddKafkaServer("kafka")
        .WithRetention(
            builder.Configuration.GetValue("Kafka:Retention", TimeSpan.FromHours(48)),
            builder.Configuration.GetValue("Kafka:RetentionBytes", 512L * 1024 * 1024))
        .WithDataVolume()
        .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "2Gi")
        .WithKafkaUI();

IResourceBuilder<IResourceWithConnectionString> database;
IResourceBuilder<ParameterResource>? readerPassword = null;
IResourceBuilder<ParameterResource>? writerPassword = null;
if (existingDatabase)
{
    database = builder.AddConnectionString("github-events");
}
else
{
    var databasePassword = builder.AddParameter("timescaledb-password", Passwords.Generated(), secret: true, persist: true);
    readerPassword = builder.AddParameter("timescaledb-reader-password", Passwords.Generated(), secret: true, persist: true);
    writerPassword = builder.AddParameter("timescaledb-writer-password", Passwords.Generated(), secret: true, persist: true);

    var timescaledb = builder.AddPostgres("timescaledb", password: databasePassword)
        .WithImage("timescale/timescaledb", "2.27.1-pg17")
        .WithImageRegistry("docker.io")
        .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "2Gi");
    if (builder.ExecutionContext.IsRunMode)
    {
        timescaledb.WithDataVolume();
    }
    else
    {
        // A new volume's lost+found makes its root unusable as PGDATA: the cluster lives in a folder of it.
        timescaledb.WithPersistentStorage("/var/lib/postgresql/data", "50Gi")
            .WithEnvironment("PGDATA", "/var/lib/postgresql/data/pgdata");
    }

    var githubEventsDb = timescaledb.AddDatabase("github-events");
    database = githubEventsDb;

    var grafanaAdminPassword = builder.AddParameter("grafana-admin-password", Passwords.Generated(), secret: true, persist: true);
    builder.AddGrafana("grafana", grafanaAdminPassword, Path.Combine(builder.AppHostDirectory, "Grafana", "provisioning"))
        .WithDatasource(githubEventsDb, readerPassword);
}

builder.AddProject<Projects.GithubEvents_Ingest>("ingest")
    .WithReference(kafka).WaitFor(kafka)
    .WithEnvironment("GitHub__Token", githubToken)
    .WithServiceDefaultsProbes();

var enrich = builder.AddProject<Projects.GithubEvents_Enrich>("enrich")
    // Enrich reads the connection strings only, not the server's host, port and URI variables (declared
    // before the references it applies to).
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(database).WaitFor(database)
    .WithEnvironment("GitHub__Token", githubToken)
    .WithEnvironment("Geocoding__UserAgent", geocodingUserAgent)
    .WithServiceDefaultsProbes()
    // Replicas share the consumer group github-events-enricher: more than the topic's partitions sit idle.
    .WithReplicasFrom("Enrich:Replicas")
    .WithComputeResources(cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi");
// Enrich manages the roles of the database the AppHost runs; on an existing database, their owner does.
if (readerPassword is not null && writerPassword is not null)
{
    enrich.WithEnvironment("Database__ReaderRole", GrafanaResource.ReaderRole)
        .WithEnvironment("Database__ReaderPassword", readerPassword)
        .WithEnvironment("Database__WriterPassword", writerPassword);
}

builder.Build().Run();
