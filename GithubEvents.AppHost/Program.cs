var builder = DistributedApplication.CreateBuilder(args);

builder.RejectRenamedSettings();
builder.RequireContainerRuntimeForContainers();
builder.AddKubernetesPublishing();

var githubToken = builder.AddParameter("github-token", () => builder.Configuration["Parameters:github-token"] ?? "", secret: true)
    .WithDescription("Optional GitHub token: raises the API budget from 60 to 5,000 requests an hour.");

var geocodingUserAgent = builder.AddParameter("geocoding-user-agent", () => builder.Configuration["Parameters:geocoding-user-agent"] ?? "")
    .WithDescription("The User-Agent Enrich sends to Nominatim, with a contact, e.g. 'GithubEvents/1.0 (ops@example.org)'. Empty: offline geocoding only.");

// Each is an existing server where its connection string is configured (ConnectionStrings:kafka,
// ConnectionStrings:github-events), else a container.
var kafka = builder.AddEventBroker("kafka");
var database = builder.AddEventDatabase("github-events");

// Grafana reads the database the AppHost runs, as its reader role; the owner of an existing database points their
// own Grafana at it with the same provisioning files.
if (database.Managed is { } managed)
{
    var grafanaAdminPassword = builder.AddParameter("grafana-admin-password", Passwords.Generated(), secret: true, persist: true);
    builder.AddGrafana("grafana", grafanaAdminPassword, Path.Combine(builder.AppHostDirectory, "Grafana", "provisioning"))
        .WithDatasource(managed.Database, managed.ReaderPassword);
}

builder.AddProject<Projects.GithubEvents_Ingest>("ingest")
    .WithReference(kafka).WaitFor(kafka)
    .WithTopicSettings()
    .WithEnvironment("GitHub__Token", githubToken)
    .WithServiceDefaultsProbes();

builder.AddProject<Projects.GithubEvents_Enrich>("enrich")
    // Enrich reads the connection strings only, not the server's host, port and URI variables (declared
    // before the references it applies to).
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WithReference(kafka).WaitFor(kafka)
    .WithEventDatabase(database)
    .WithTopicSettings()
    .WithEnvironment("GitHub__Token", githubToken)
    .WithEnvironment("Geocoding__UserAgent", geocodingUserAgent)
    .WithServiceDefaultsProbes()
    // Replicas share the consumer group github-events-enricher: more than the topic's partitions sit idle.
    .WithReplicasFrom("Enrich:Replicas")
    .WithComputeResources(cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi");

builder.Build().Run();
