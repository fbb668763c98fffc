namespace Aspire.Hosting;

public static class EventDatabaseExtensions
{
    private const string ContainerServerName = "timescaledb";
    private const string LocalServerName = "postgres";

    /// <summary>Enrich's writer role (its <c>Database:WriterRole</c>).</summary>
    public const string WriterRole = "github_events_writer";

    /// <summary>The init container of Enrich's pod that applies the schema.</summary>
    public const string SchemaMigrationsContainer = "schema-migrations";

    // Enrich's command that applies the schema and exits (SchemaMigrationCommand).
    private const string SchemaMigrationsCommand = "migrate";

    /// <summary>
    /// The events database, where <paramref name="plan"/> places it: the existing one of <c>ConnectionStrings:{name}</c>;
    /// database <paramref name="name"/> on a TimescaleDB container; or on a PostgreSQL server run from this machine's
    /// binaries (<c>Local:*</c>). The AppHost's own servers get generated passwords for their superuser and the reader and
    /// writer roles, kept in the user secrets.
    /// </summary>
    public static ServiceDatabase AddEventDatabase(this IDistributedApplicationBuilder builder, [ResourceName] string name, PlacementPlan plan) =>
        plan[name] switch
        {
            PiecePlacement.Existing => new ServiceDatabase(builder.AddConnectionString(name), managed: null),
            PiecePlacement.Container => builder.AddContainerDatabase(name),
            _ => builder.AddLocalDatabase(name),
        };

    /// <summary>
    /// References the database and waits for it; on the AppHost's own database, Enrich also keeps its reader and writer
    /// roles in step with their passwords (on an existing one, their owner does). In a run Enrich applies the schema with
    /// the owner's login at start, then writes as the writer; in a deployment the owner's login is an init container's
    /// alone (<see cref="WithSchemaMigrationsFirst"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEventDatabase(this IResourceBuilder<ProjectResource> builder, ServiceDatabase database)
    {
        builder.WithReference(database.Resource).WaitFor(database.Resource);
        if (database.Managed is not { } managed)
        {
            return builder;
        }

        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode && database.Resource.Resource is PostgresDatabaseResource container)
        {
            return builder.WithSchemaMigrationsFirst(container, managed);
        }

        return builder.WithEnvironment("Database__ReaderRole", GrafanaResource.ReaderRole)
            .WithEnvironment("Database__ReaderPassword", managed.ReaderPassword)
            .WithEnvironment("Database__WriterPassword", managed.WriterPassword);
    }

    /// <summary>
    /// The deployed pod's init container applies the schema and sets the roles up with the owner's login
    /// (<c>GithubEvents.Enrich migrate</c>); Enrich then logs in as the writer, holds neither the owner's nor the reader's
    /// password, and only checks that the schema is current (<c>Database:ApplySchema=false</c>).
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithSchemaMigrationsFirst(this IResourceBuilder<ProjectResource> builder, PostgresDatabaseResource database, ManagedDatabase managed)
    {
        var connectionVariable = $"ConnectionStrings__{database.Name}";
        var endpoint = database.Parent.PrimaryEndpoint;
        var writer = ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={WriterRole};Password={managed.WriterPassword};Database={database.DatabaseName}");

        return builder
            .WithInitContainer(SchemaMigrationsContainer, [SchemaMigrationsCommand], new Dictionary<string, object>
            {
                [connectionVariable] = database,
                ["Database__ReaderRole"] = GrafanaResource.ReaderRole,
                ["Database__ReaderPassword"] = managed.ReaderPassword.Resource,
                ["Database__WriterPassword"] = managed.WriterPassword.Resource,
                ["Database__ApplySchema"] = "true",
            })
            .WithEnvironment(context =>
            {
                // Every variable the reference wrote the owner's connection string to (Aspire writes ConnectionStrings__github_events too).
                foreach (var name in context.EnvironmentVariables.Where(variable => variable.Value is ConnectionStringReference reference && reference.Resource == database)
                             .Select(variable => variable.Key).ToList())
                {
                    context.EnvironmentVariables[name] = writer;
                }

                context.EnvironmentVariables["Database__ApplySchema"] = "false";
            });
    }

    private static ServiceDatabase AddContainerDatabase(this IDistributedApplicationBuilder builder, string name)
    {
        var (superuser, reader, writer) = Passwords(builder, ContainerServerName);
        var server = builder.AddPostgres(ContainerServerName, password: superuser)
            .WithImage("timescale/timescaledb", "2.27.1-pg17")
            .WithImageRegistry("docker.io")
            // The image is built on postgres' Alpine image, whose postgres user is uid 70 (not Debian's 999). The server
            // writes its socket and lock file to /var/run/postgresql, and the data to the claim.
            .WithPodSecurity(70, 70, "/var/run/postgresql", "/tmp")
            .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "2Gi");
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithDataVolume();
        }
        else
        {
            // A new volume's lost+found makes its root unusable as PGDATA: the cluster lives in a folder of it. 50 GiB holds
            // what Enrich's default retention keeps at the budget's rate with 30% to spare (docs/storage.md#retention).
            server.WithPersistentStorage("/var/lib/postgresql/data", "50Gi")
                .WithEnvironment("PGDATA", "/var/lib/postgresql/data/pgdata");
        }

        var database = server.AddDatabase(name);
        return new ServiceDatabase(database, new ManagedDatabase(reader, writer));
    }

    private static ServiceDatabase AddLocalDatabase(this IDistributedApplicationBuilder builder, string name)
    {
        var options = LocalPostgresOptions.From(builder.Configuration);
        var binaries = PostgresBinaries.Find(options.PostgresBin) ?? throw NoServerFound(options);
        if (LocalAccount.IsRoot && !LocalAccount.ServerAccountExists)
        {
            throw new DistributedApplicationException(
                $"Run as root, the AppHost runs PostgreSQL as the '{LocalAccount.ServerAccount}' account (initdb refuses root), and this machine has " +
                $"none: create it ('sudo useradd --system --home-dir /var/lib/postgresql {LocalAccount.ServerAccount}'), or run the AppHost as another user.");
        }

        var (superuser, reader, writer) = Passwords(builder, LocalServerName);
        var database = builder.AddLocalPostgres(LocalServerName, superuser, binaries, options).AddDatabase(name);
        return new ServiceDatabase(database, new ManagedDatabase(reader, writer));
    }

    private static (IResourceBuilder<ParameterResource> Superuser, IResourceBuilder<ParameterResource> Reader, IResourceBuilder<ParameterResource> Writer) Passwords(
        IDistributedApplicationBuilder builder, string server) =>
        (builder.AddParameter($"{server}-password", Hosting.Passwords.Generated(), secret: true, persist: true),
         builder.AddParameter($"{server}-reader-password", Hosting.Passwords.Generated(), secret: true, persist: true),
         builder.AddParameter($"{server}-writer-password", Hosting.Passwords.Generated(), secret: true, persist: true));

    private static DistributedApplicationException NoServerFound(LocalPostgresOptions options) => new(
        (options.PostgresBin is { Length: > 0 } configured
            ? $"Local:PostgresBin ('{configured}') holds no PostgreSQL server binaries (initdb and postgres), and no container runtime answers. "
            : "No container runtime answers, and no PostgreSQL server binaries were found (initdb and postgres on PATH, through pg_config, or under /usr/lib/postgresql/*/bin). ") +
        "Any of these gets the pipeline running: start Docker or Podman; " +
        "install the PostgreSQL server ('sudo apt-get install postgresql' on Debian and Ubuntu, 'brew install postgresql' on macOS; or set Local:PostgresBin to its bin folder); " +
        "or set both ConnectionStrings:kafka and ConnectionStrings:github-events to existing servers.");
}
