#pragma warning disable ASPIREPROBES001 // Probes are experimental in Aspire 13.6.

using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class GrafanaBuilderExtensions
{
    private const string Image = "grafana/grafana";
    private const string Tag = "12.2.1";
    private const string Registry = "docker.io";
    private const int GrafanaPort = 3000;

    // The image's grafana user (uid 472). It writes its database and plugins to /var/lib/grafana (an emptyDir in a
    // deployment: the dashboards and datasource are provisioned again at every start), its log files to
    // /var/log/grafana, and temporary files to /tmp.
    private const long GrafanaUser = 472;
    private static readonly string[] WritablePaths = ["/var/lib/grafana", "/var/log/grafana", "/tmp"];

    /// <summary>
    /// Adds Grafana with the admin password from a secret parameter and the provisioning folder
    /// (datasources, dashboard providers, dashboards) mounted read-only.
    /// </summary>
    public static IResourceBuilder<GrafanaResource> AddGrafana(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<ParameterResource> adminPassword,
        string provisioningPath,
        int? port = GrafanaPort)
    {
        return builder.AddResource(new GrafanaResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(port: port, targetPort: GrafanaPort, name: GrafanaResource.PrimaryEndpointName)
            .WithPodSecurity(GrafanaUser, GrafanaUser, WritablePaths)
            .WithIngressFromAnywhere()
            .WithBindMount(provisioningPath, ProvisioningCopy.ContainerPath, isReadOnly: true)
            .WithGrafanaSettings(adminPassword)
            .WithHttpProbe(ProbeType.Readiness, "/api/health");
    }

    /// <summary>The admin login from the secret parameter, no anonymous access, and no calls home: every Grafana the AppHost runs.</summary>
    internal static IResourceBuilder<T> WithGrafanaSettings<T>(this IResourceBuilder<T> builder, IResourceBuilder<ParameterResource> adminPassword)
        where T : IGrafanaResource =>
        builder
            .WithEnvironment("GF_SECURITY_ADMIN_USER", "admin")
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_CHECK_FOR_UPDATES", "false");

    /// <summary>
    /// Points the provisioned datasource at the services' database (<see cref="DatasourceLogin"/>). The provisioning file
    /// reads these variables, so the password never sits in a file. In a run, the connection string's root certificate is
    /// mounted at <see cref="GrafanaResource.RootCertificatePath"/> for Grafana's container to check the server's against
    /// (a deployment mounts it there itself, docs/deployment.md); Grafana on this machine reads it where it is.
    /// </summary>
    public static IResourceBuilder<T> WithDatasource<T>(this IResourceBuilder<T> builder, DatasourceLogin login, ServiceDatabase database)
        where T : IGrafanaResource
    {
        var rootCertificate = login.RootCertificate;
        if (rootCertificate is not null && builder.Resource is GrafanaResource container)
        {
            if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
            {
                builder.ApplicationBuilder.CreateResourceBuilder(container).WithBindMount(rootCertificate, GrafanaResource.RootCertificatePath, isReadOnly: true);
            }

            rootCertificate = GrafanaResource.RootCertificatePath;
        }

        return builder
            .WithEnvironment("GITHUB_EVENTS_DB_HOST", login.HostAndPort)
            .WithEnvironment("GITHUB_EVENTS_DB_NAME", login.DatabaseName)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_USER", login.User)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_PASSWORD", login.Password)
            .WithEnvironment("GITHUB_EVENTS_DB_ROOT_CERT", rootCertificate ?? "")
            .WaitFor(database.Resource);
    }

    /// <summary>
    /// In a run, Grafana starts once <paramref name="schemaOwner"/> (Enrich, which creates the schema and the TimescaleDB
    /// extension) is healthy, with a datasource file whose PostgreSQL version, TimescaleDB flag and TLS mode are the
    /// database's (<see cref="GrafanaDatasourceFile"/>), put over the committed one (<see cref="ProvisioningFileOverride"/>).
    /// A deployment keeps the committed file, and so does a run whose AppHost cannot read the database itself (a warning
    /// says so).
    /// </summary>
    public static IResourceBuilder<T> WithDatasourceFileFor<T>(
        this IResourceBuilder<T> builder,
        DatasourceLogin login,
        ServiceDatabase database,
        IResourceBuilder<IResource> schemaOwner,
        string provisioningPath)
        where T : IGrafanaResource
    {
        builder.WaitFor(schemaOwner);
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resource, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.AppHost");
            // This handler runs before the one that carries out WaitFor, so it waits for the same dependencies itself.
            await @event.Services.GetRequiredService<ResourceNotificationService>().WaitForDependenciesAsync(builder.Resource, cancellationToken);
            (int PostgresVersion, bool TimescaleDb) flags;
            try
            {
                var connectionString = await database.Resource.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "";
                flags = await GrafanaDatasourceFile.ReadFlagsAsync(connectionString, cancellationToken);
            }
            catch (Exception ex) when (ex is DbException or TimeoutException)
            {
                logger.LogWarning("Grafana keeps the committed datasource file (PostgreSQL 17, TimescaleDB): the AppHost could not read the database's version ({Message})", ex.Message);
                return;
            }

            var committed = await File.ReadAllTextAsync(Path.Combine(provisioningPath, GrafanaDatasourceFile.RelativePath), cancellationToken);
            ProvisioningFileOverride.Apply(builder, @event.Services, GrafanaDatasourceFile.RelativePath, "datasource.yaml",
                GrafanaDatasourceFile.Render(committed, flags.PostgresVersion, flags.TimescaleDb, login.SslMode));
            logger.LogInformation(
                "Grafana's datasource: PostgreSQL {PostgresVersion}, TimescaleDB {TimescaleDb}, sslmode {SslMode}", flags.PostgresVersion, flags.TimescaleDb, login.SslMode);
        });

        return builder;
    }
}
