using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class EventDatabaseExtensions
{
    private const string ServerName = "timescaledb";

    /// <summary>
    /// The events database: the existing one of <c>ConnectionStrings:{name}</c> when that is set, else database
    /// <paramref name="name"/> on a TimescaleDB container, with generated passwords for its superuser and its reader and
    /// writer roles (kept in the user secrets).
    /// </summary>
    public static EventDatabase AddEventDatabase(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return new EventDatabase(builder.AddConnectionString(name), managed: null);
        }

        var superuserPassword = builder.AddParameter($"{ServerName}-password", Passwords.Generated(), secret: true, persist: true);
        var readerPassword = builder.AddParameter($"{ServerName}-reader-password", Passwords.Generated(), secret: true, persist: true);
        var writerPassword = builder.AddParameter($"{ServerName}-writer-password", Passwords.Generated(), secret: true, persist: true);

        var server = builder.AddPostgres(ServerName, password: superuserPassword)
            .WithImage("timescale/timescaledb", "2.27.1-pg17")
            .WithImageRegistry("docker.io")
            .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "2Gi");
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithDataVolume();
        }
        else
        {
            // A new volume's lost+found makes its root unusable as PGDATA: the cluster lives in a folder of it.
            server.WithPersistentStorage("/var/lib/postgresql/data", "50Gi")
                .WithEnvironment("PGDATA", "/var/lib/postgresql/data/pgdata");
        }

        var database = server.AddDatabase(name);
        return new EventDatabase(database, new ManagedDatabase(database, readerPassword, writerPassword));
    }

    /// <summary>
    /// References the database and waits for it; on the AppHost's own database, Enrich also keeps its reader and writer
    /// roles in step with their passwords (on an existing one, their owner does).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEventDatabase(this IResourceBuilder<ProjectResource> builder, EventDatabase database)
    {
        builder.WithReference(database.Resource).WaitFor(database.Resource);
        if (database.Managed is { } managed)
        {
            builder.WithEnvironment("Database__ReaderRole", GrafanaResource.ReaderRole)
                .WithEnvironment("Database__ReaderPassword", managed.ReaderPassword)
                .WithEnvironment("Database__WriterPassword", managed.WriterPassword);
        }

        return builder;
    }
}
