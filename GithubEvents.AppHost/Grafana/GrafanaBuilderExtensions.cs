#pragma warning disable ASPIREPROBES001 // Probes are experimental in Aspire 13.6.

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class GrafanaBuilderExtensions
{
    private const string Image = "grafana/grafana";
    private const string Tag = "12.2.1";
    private const string Registry = "docker.io";
    private const int GrafanaPort = 3000;

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
            .WithBindMount(provisioningPath, "/etc/grafana/provisioning", isReadOnly: true)
            .WithEnvironment("GF_SECURITY_ADMIN_USER", "admin")
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_CHECK_FOR_UPDATES", "false")
            .WithHttpProbe(ProbeType.Readiness, "/api/health");
    }

    /// <summary>
    /// Points the provisioned datasource at the services' database (<see cref="DatasourceLogin"/>). The provisioning file
    /// reads these variables, so the password never sits in a file.
    /// </summary>
    public static IResourceBuilder<GrafanaResource> WithDatasource(this IResourceBuilder<GrafanaResource> builder, DatasourceLogin login, ServiceDatabase database) =>
        builder
            .WithEnvironment("GITHUB_EVENTS_DB_HOST", login.HostAndPort)
            .WithEnvironment("GITHUB_EVENTS_DB_NAME", login.DatabaseName)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_USER", login.User)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_PASSWORD", login.Password)
            .WaitFor(database.Resource);

    /// <summary>
    /// In a run, Grafana starts once <paramref name="schemaOwner"/> (Enrich, which creates the schema and the TimescaleDB
    /// extension) is healthy, with a datasource file whose PostgreSQL version and TimescaleDB flag are the database's
    /// (<see cref="GrafanaDatasourceFile"/>), mounted over the committed one. A deployment keeps the committed file.
    /// </summary>
    public static IResourceBuilder<GrafanaResource> WithDatasourceFlagsOf(
        this IResourceBuilder<GrafanaResource> builder,
        ServiceDatabase database,
        IResourceBuilder<IResource> schemaOwner,
        string provisioningPath)
    {
        builder.WaitFor(schemaOwner);
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        var target = $"/etc/grafana/provisioning/{GrafanaDatasourceFile.RelativePath}";
        builder.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resource, async (@event, cancellationToken) =>
        {
            // This handler runs before the one that carries out WaitFor, so it waits itself.
            await @event.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync(schemaOwner.Resource.Name, cancellationToken);
            var connectionString = await database.Resource.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "";
            var (version, timescaleDb) = await GrafanaDatasourceFile.ReadFlagsAsync(connectionString, cancellationToken);
            var committed = await File.ReadAllTextAsync(Path.Combine(provisioningPath, GrafanaDatasourceFile.RelativePath), cancellationToken);

            using var content = new MemoryStream(Encoding.UTF8.GetBytes(GrafanaDatasourceFile.Render(committed, version, timescaleDb)));
            var path = @event.Services.GetRequiredService<IAspireStore>().GetFileNameWithContent($"{builder.Resource.Name}-datasource.yaml", content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            // A restart from the dashboard writes it again.
            foreach (var earlier in builder.Resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Target == target).ToList())
            {
                builder.Resource.Annotations.Remove(earlier);
            }

            builder.WithBindMount(path, target, isReadOnly: true);
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.AppHost").LogInformation(
                "Grafana's datasource: PostgreSQL {PostgresVersion}, TimescaleDB {TimescaleDb}", version, timescaleDb);
        });

        return builder;
    }
}
