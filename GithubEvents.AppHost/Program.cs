try
{
    var builder = DistributedApplication.CreateBuilder(args);

    builder.RejectRenamedSettings();
    builder.AddKubernetesPublishing();

    var githubToken = builder.AddParameter("github-token", () => builder.Configuration["Parameters:github-token"] ?? "", secret: true)
        .WithDescription("Optional GitHub token: raises the API budget from 60 to 5,000 requests an hour.");

    var geocodingUserAgent = builder.AddParameter("geocoding-user-agent", () => builder.Configuration["Parameters:geocoding-user-agent"] ?? "")
        .WithDescription("The User-Agent Enrich sends to Nominatim, with a contact, e.g. 'GithubEvents/1.0 (ops@example.org)'. Empty: offline geocoding only.");

    // The archive's object storage (Archive:S3:*): its credentials are secrets; unset, the SDK's default credentials.
    var archiveAccessKeyId = builder.AddParameter("archive-s3-access-key-id", () => builder.Configuration["Parameters:archive-s3-access-key-id"] ?? "", secret: true)
        .WithDescription("The access key id of the archive's S3-compatible store (Archive:S3:AccessKeyId).");
    var archiveSecretAccessKey = builder.AddParameter("archive-s3-secret-access-key", () => builder.Configuration["Parameters:archive-s3-secret-access-key"] ?? "", secret: true)
        .WithDescription("The secret access key of the archive's S3-compatible store (Archive:S3:SecretAccessKey).");

    // Each piece runs on an existing server where its connection string is configured (ConnectionStrings:kafka,
    // ConnectionStrings:github-events), else in a container where a container runtime answers, else on this machine.
    var plan = await PlacementPlan.DecideAsync(builder, "kafka", "github-events");
    builder.RequireContainerRuntimeForContainers(plan);
    var kafka = builder.AddEventBroker("kafka", plan);
    var database = builder.AddEventDatabase("github-events", plan);
    builder.ReportPlacement(plan, kafka, database);

    builder.AddProject<Projects.GithubEvents_Ingest>("ingest")
        .WithReference(kafka).WaitFor(kafka)
        .WithSettingsFrom("Kafka:Topics")
        // The broker's security (security.protocol, sasl.*, ssl.*), for every client of it.
        .WithKafkaClientSettingsFrom("Kafka:Producer:Config")
        .WithSettingsFrom("GitHub:ApiUrl")
        // The watched repositories and organisations (GitHub:Watch:Repositories:0=dotnet/aspire, ...); Ingest also reads
        // them again from its own configuration at every change, without a restart.
        .WithSettingsFrom("GitHub:Watch")
        .WithEnvironment("GitHub__Token", githubToken)
        // A backfill run in the pod (kubectl exec) reads the archive from there.
        .WithSettingsFrom("Archive:S3")
        .WithEnvironment("Archive__S3__AccessKeyId", archiveAccessKeyId)
        .WithEnvironment("Archive__S3__SecretAccessKey", archiveSecretAccessKey)
        .WithArchiveStorageEgress()
        .WithServiceDefaultsProbes()
        // GitHub's API and GH Archive: in a deployment the only way out of the cluster besides Enrich's.
        .WithEgressOutsideCluster(443, 80);

    var enrich = builder.AddProject<Projects.GithubEvents_Enrich>("enrich")
        // Enrich reads the connection strings only, not the server's host, port and URI variables (declared
        // before the references it applies to).
        .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
        .WithReference(kafka).WaitFor(kafka)
        .WithEventDatabase(database)
        .WithSettingsFrom("Kafka:Topics")
        .WithKafkaClientSettingsFrom("Kafka:Producer:Config")
        .WithKafkaClientSettingsFrom("Kafka:Consumer:Config")
        .WithSettingsFrom("GitHub:ApiUrl")
        .WithEnvironment("GitHub__Token", githubToken)
        .WithEnvironment("Geocoding__UserAgent", geocodingUserAgent)
        .WithServiceDefaultsProbes()
        // GitHub's API and Nominatim.
        .WithEgressOutsideCluster(443, 80)
        // Replicas share the consumer group github-events-enricher: more than the topic's partitions sit idle.
        .WithReplicasFrom("Enrich:Replicas")
        .WithEventArchive(archiveAccessKeyId, archiveSecretAccessKey)
        .WithComputeResources(cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi");

    // Grafana in its container wherever containers run, else from this machine's Grafana install, on the database Enrich writes.
    builder.AddEventDashboards("grafana", plan, database, enrich);

    await builder.Build().RunAsync();
    return 0;
}
catch (DistributedApplicationException ex) when (!StartupFailure.IsHostedByTests)
{
    // A start-up problem of the AppHost's own: its message says what to do; a stack trace would bury it.
    return StartupFailure.Report(ex);
}
