#pragma warning disable ASPIREPROBES001 // Probes are experimental in Aspire 13.6.

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
    /// Points the provisioned datasource at a database through a read-only role. The provisioning file
    /// reads these variables, so the password never sits in a file.
    /// </summary>
    public static IResourceBuilder<GrafanaResource> WithDatasource(
        this IResourceBuilder<GrafanaResource> builder,
        IResourceBuilder<PostgresDatabaseResource> database,
        IResourceBuilder<ParameterResource> readerPassword)
    {
        var server = database.Resource.Parent;
        var endpoint = server.PrimaryEndpoint;

        return builder
            .WithEnvironment(context =>
            {
                // In run mode containers reach each other by resource name on Aspire's container network.
                context.EnvironmentVariables["GITHUB_EVENTS_DB_HOST"] = context.ExecutionContext.IsRunMode
                    ? ReferenceExpression.Create($"{server.Name}:{endpoint.Property(EndpointProperty.TargetPort)}")
                    : ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}");
            })
            .WithEnvironment("GITHUB_EVENTS_DB_NAME", database.Resource.DatabaseName)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_USER", GrafanaResource.ReaderRole)
            .WithEnvironment("GITHUB_EVENTS_DB_READER_PASSWORD", readerPassword)
            .WaitFor(database);
    }
}
