using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds a PostgreSQL server run from this machine's binaries: its cluster initialised once in
    /// <see cref="LocalPostgresOptions.EffectiveDataDirectory"/> before the application starts, then started as a
    /// process on loopback (as the <c>postgres</c> account when the AppHost runs as root), with TimescaleDB preloaded
    /// when the server has it. Stopping the AppHost stops the server; the next start reuses the data.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<ParameterResource> password,
        PostgresBinaries binaries,
        LocalPostgresOptions options)
    {
        var dataDirectory = options.EffectiveDataDirectory;
        var port = options.PostgresPort ?? FreePort();
        string[] settings =
        [
            "-D", dataDirectory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
            .. binaries.HasTimescaleDb ? ["-c", "shared_preload_libraries=timescaledb", "-c", "timescaledb.telemetry_level=off"] : Array.Empty<string>(),
        ];
        var (command, arguments) = LocalAccount.AsServerAccount(binaries.Postgres, settings);
        var server = new LocalPostgresServerResource(name, command, Path.GetDirectoryName(dataDirectory)!, password.Resource);

        var cluster = new LocalPostgresCluster(binaries, dataDirectory);
        builder.Services.AddHostedService(_ => new LocalPostgresShutdown(cluster));
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
            await cluster.InitializeAsync(await password.Resource.GetValueAsync(cancellationToken) ?? "", cancellationToken));

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new PostgresResourceHealthCheck(server), failureStatus: null, tags: null));
        return builder.AddResource(server)
            .WithArgs(arguments)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>A database on the local server, created once the server answers; healthy once it accepts connections.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        var builder = server.ApplicationBuilder;
        server.OnResourceReady(async (resource, @event, cancellationToken) =>
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "";
            await LocalPostgresCluster.EnsureDatabaseAsync(connectionString, database.DatabaseName, cancellationToken);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.PublishUpdateAsync(database, state => state with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        });

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new PostgresResourceHealthCheck(database), failureStatus: null, tags: null));
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL database",
                State = KnownResourceStates.Waiting,
                Properties = [new ResourcePropertySnapshot(CustomResourceKnownProperties.Source, server.Resource.Name)],
            })
            .WithParentRelationship(server)
            .WithHealthCheck(healthCheck);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
