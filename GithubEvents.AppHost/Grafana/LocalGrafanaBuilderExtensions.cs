namespace Aspire.Hosting;

public static class LocalGrafanaBuilderExtensions
{
    /// <summary>
    /// Adds the Grafana server of <paramref name="install"/>, run as a process that keeps everything it writes in
    /// <paramref name="folder"/> (<see cref="LocalGrafanaResource"/>), with the provisioning folder copied there at every
    /// start. It listens on loopback at a port Aspire picks, behind Aspire's proxy on another (the address a browser
    /// uses, kept while Grafana restarts, and the one Grafana's links name).
    /// </summary>
    public static IResourceBuilder<LocalGrafanaResource> AddLocalGrafana(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<ParameterResource> adminPassword,
        GrafanaInstall install,
        string folder,
        string provisioningPath)
    {
        var grafana = new LocalGrafanaResource(name, install.Executable, folder);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(grafana, (_, _) =>
        {
            Directory.CreateDirectory(folder);
            ProvisioningCopy.Write(provisioningPath, grafana.ProvisioningDirectory);
            File.WriteAllText(grafana.ConfigFile, "; Written by the AppHost at every start: Grafana's settings come from its environment (GF_*).\n");
            return Task.CompletedTask;
        });

        return builder.AddResource(grafana)
            .WithArgs(install.Arguments(grafana.ConfigFile))
            .WithHttpEndpoint(name: LocalGrafanaResource.PrimaryEndpointName, env: "GF_SERVER_HTTP_PORT")
            .WithEnvironment("GF_SERVER_HTTP_ADDR", "127.0.0.1")
            .WithEnvironment("GF_SERVER_ROOT_URL", ReferenceExpression.Create($"{grafana.PrimaryEndpoint.Property(EndpointProperty.Url)}/"))
            .WithEnvironment("GF_PATHS_DATA", grafana.DataDirectory)
            .WithEnvironment("GF_PATHS_LOGS", grafana.LogsDirectory)
            .WithEnvironment("GF_PATHS_PLUGINS", grafana.PluginsDirectory)
            .WithEnvironment("GF_PATHS_PROVISIONING", grafana.ProvisioningDirectory)
            .WithGrafanaSettings(adminPassword)
            .WithHttpHealthCheck("/api/health", endpointName: LocalGrafanaResource.PrimaryEndpointName);
    }
}
