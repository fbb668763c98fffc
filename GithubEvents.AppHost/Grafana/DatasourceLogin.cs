using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// Where and as whom Grafana's datasource logs in to the services' database: the reader role on the AppHost's own
/// databases; on an existing server the read-only login of <c>ConnectionStrings:{name}-reader</c>, or the services' own
/// login where the operator allows it (<see cref="AllowServiceLoginSetting"/>), with the TLS mode and root certificate
/// of that connection string. Without either, start-up stops.
/// </summary>
public sealed record DatasourceLogin(ReferenceExpression HostAndPort, string DatabaseName, string User, IResourceBuilder<ParameterResource> Password)
{
    /// <summary>
    /// The setting that lets Grafana read an existing database with the services' own login, which may write and
    /// delete, when no reader's connection string is set.
    /// </summary>
    public const string AllowServiceLoginSetting = "Grafana:AllowServiceLogin";

    /// <summary>Whether the login is the services' own, for want of a reader's connection string.</summary>
    public bool IsServicesLogin { get; private init; }

    /// <summary>Grafana's <c>sslmode</c>: <c>disable</c> on the AppHost's own databases.</summary>
    public string SslMode { get; private init; } = "disable";

    /// <summary>
    /// The CA certificate file the server's certificate is checked against (the connection string's <c>Root Certificate</c>),
    /// on this machine; null: the system's.
    /// </summary>
    public string? RootCertificate { get; private init; }

    /// <summary>Whether the host is this machine's, as containers name it (an existing server on loopback).</summary>
    public bool NeedsHostGateway { get; private init; }

    /// <summary>The port of an existing server, which a deployed Grafana connects to out of the cluster.</summary>
    public int? ExistingServerPort { get; private init; }

    /// <summary>
    /// The login for <paramref name="database"/>; on an existing server this adds the parameter that carries its
    /// password, <c>{grafanaName}-database-password</c>.
    /// </summary>
    public static DatasourceLogin For(IDistributedApplicationBuilder builder, string grafanaName, ServiceDatabase database)
    {
        var run = builder.ExecutionContext.IsRunMode;
        switch (database.Resource.Resource, database.Managed)
        {
            case (PostgresDatabaseResource container, { } managed):
                var endpoint = container.Parent.PrimaryEndpoint;
                // In a run, containers reach each other by resource name on Aspire's container network.
                var host = run
                    ? ReferenceExpression.Create($"{container.Parent.Name}:{endpoint.Property(EndpointProperty.TargetPort)}")
                    : ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}");
                return new DatasourceLogin(host, container.DatabaseName, GrafanaResource.ReaderRole, managed.ReaderPassword);

            case (LocalPostgresDatabaseResource local, { } managed):
                // Resolved for the container's network: Aspire's container tunnel (or the container host name) carries it
                // to the server's loopback port.
                return new DatasourceLogin(
                    ReferenceExpression.Create($"{local.Parent.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}"),
                    local.DatabaseName, GrafanaResource.ReaderRole, managed.ReaderPassword);

            default:
                return Existing(builder, grafanaName, database.Resource.Resource.Name);
        }
    }

    private static DatasourceLogin Existing(IDistributedApplicationBuilder builder, string grafanaName, string name)
    {
        var readerName = $"{name}-reader";
        var reader = builder.Configuration.GetConnectionString(readerName);
        if (reader is not { Length: > 0 } && !AllowsServiceLogin(builder.Configuration))
        {
            throw new DistributedApplicationException(
                $"ConnectionStrings:{readerName} is not set: Grafana would read the existing database with the services' own login " +
                $"(ConnectionStrings:{name}), which may write and delete. Set ConnectionStrings:{readerName} to the connection string of a " +
                $"read-only role, or accept that risk with {AllowServiceLoginSetting}=true.");
        }

        var setting = reader is { Length: > 0 } ? readerName : name;
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString(setting));
        }
        catch (ArgumentException ex)
        {
            throw new DistributedApplicationException($"ConnectionStrings:{setting} is not an Npgsql connection string: {ex.Message}");
        }

        if (connection.Host is not { Length: > 0 } host || connection.Database is not { Length: > 0 } database || connection.Username is not { Length: > 0 } user)
        {
            throw new DistributedApplicationException($"ConnectionStrings:{setting} needs Host, Database and Username for Grafana's datasource.");
        }

        // A server on this machine's loopback is, from a container, on the container host (it must listen there too).
        var onLoopback = builder.ExecutionContext.IsRunMode && host is "localhost" or "127.0.0.1" or "::1";
        if (onLoopback)
        {
            host = KnownHostNames.DockerDesktopHostBridge;
        }

        var password = builder.AddParameter($"{grafanaName}-database-password", () => connection.Password ?? "", secret: true)
            .WithDescription($"The password of Grafana's datasource, from ConnectionStrings:{setting}.");
        var hostAndPort = $"{host}:{connection.Port.ToString(CultureInfo.InvariantCulture)}";
        return new DatasourceLogin(ReferenceExpression.Create($"{hostAndPort}"), database, user, password)
        {
            IsServicesLogin = setting == name,
            NeedsHostGateway = onLoopback,
            ExistingServerPort = connection.Port,
            RootCertificate = connection.RootCertificate is { Length: > 0 } rootCertificate ? Path.GetFullPath(rootCertificate) : null,
            SslMode = connection.SslMode switch
            {
                Npgsql.SslMode.Require => "require",
                Npgsql.SslMode.VerifyCA => "verify-ca",
                Npgsql.SslMode.VerifyFull => "verify-full",
                // Grafana has no "prefer" or "allow": it either asks for TLS or does not.
                _ => "disable",
            },
        };
    }

    private static bool AllowsServiceLogin(IConfiguration configuration) =>
        configuration[AllowServiceLoginSetting] switch
        {
            null or "" => false,
            var value when bool.TryParse(value, out var allowed) => allowed,
            var value => throw new DistributedApplicationException($"{AllowServiceLoginSetting} must be true or false, not '{value}'."),
        };
}
