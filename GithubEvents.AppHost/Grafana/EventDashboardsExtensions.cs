using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class EventDashboardsExtensions
{
    /// <summary>
    /// Grafana with the pipeline's dashboards and alert rules, reading the services' database however it is placed
    /// (<see cref="DatasourceLogin"/>), once <paramref name="schemaOwner"/> has set up its schema: in its container
    /// wherever containers run, else from this machine's Grafana install (<see cref="GrafanaInstall"/>) with the same
    /// provisioning. Without either it is left out, and the start-up log says how to install Grafana.
    /// </summary>
    public static void AddEventDashboards(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        PlacementPlan plan,
        ServiceDatabase database,
        IResourceBuilder<IResource> schemaOwner)
    {
        var install = plan.ContainersRun ? null : InstalledGrafana(builder);
        if (!plan.ContainersRun && install is null)
        {
            StartupLog.Write(builder, logger => GrafanaLog.LeftOut(logger, plan.ContainersReason));
            return;
        }

        var login = DatasourceLogin.For(builder, name, database);
        var provisioning = Path.Combine(builder.AppHostDirectory, "Grafana", "provisioning");
        var adminPassword = builder.AddParameter($"{name}-admin-password", Passwords.Generated(), secret: true, persist: true);
        if (install is null)
        {
            var grafana = builder.AddGrafana(name, adminPassword, provisioning);
            builder.Provision(grafana, login, database, schemaOwner, provisioning, adminPassword);
            if (login.ExistingServerPort is { } port)
            {
                grafana.WithEgressOutsideCluster(port);
            }

            if (login.NeedsHostGateway)
            {
                // Docker Desktop knows the name by itself; Docker Engine on Linux learns it from this.
                grafana.WithContainerRuntimeArgs($"--add-host={KnownHostNames.DockerDesktopHostBridge}:host-gateway");
            }
        }
        else
        {
            var folder = LocalPostgresOptions.From(builder.Configuration).FolderBeside("grafana");
            var grafana = builder.AddLocalGrafana(name, adminPassword, install, folder, provisioning);
            builder.Provision(grafana, login, database, schemaOwner, provisioning, adminPassword);
            if (login.NeedsHostGateway)
            {
                // The login names this machine as containers do; a process on it reaches the server on loopback.
                var hostAndPort = $"localhost:{login.ExistingServerPort}";
                grafana.WithEnvironment("GITHUB_EVENTS_DB_HOST", hostAndPort);
            }

            StartupLog.Write(builder, logger => GrafanaLog.RunsInstalled(logger, install.Executable, plan.ContainersReason, folder));
        }
    }

    private static GrafanaInstall? InstalledGrafana(IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LocalGrafanaOptions.SectionName).Get<LocalGrafanaOptions>() ?? new LocalGrafanaOptions();
        // The environment's PATH, read through configuration so that a test (--PATH=...) can give the AppHost its own.
        return GrafanaInstall.Find(options.GrafanaHome, builder.Configuration["PATH"]);
    }

    private static void Provision<T>(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<T> grafana,
        DatasourceLogin login,
        ServiceDatabase database,
        IResourceBuilder<IResource> schemaOwner,
        string provisioning,
        IResourceBuilder<ParameterResource> adminPassword)
        where T : IGrafanaResource
    {
        grafana.WithDatasource(login, database)
            .WithDatasourceFileFor(login, database, schemaOwner, provisioning)
            .WithAlertContactPoints()
            .WithAlertRuleThresholds(provisioning)
            .OnResourceReady((resource, @event, _) =>
            {
                GrafanaLog.Listens(StartupLog.Logger(@event.Services), resource.PrimaryEndpoint.Url, adminPassword.Resource.Name);
                return Task.CompletedTask;
            });
        if (login.IsServicesLogin)
        {
            StartupLog.Write(builder, logger => GrafanaLog.ReadsAsServicesLogin(logger, login.User, DatasourceLogin.AllowServiceLoginSetting, database.Resource.Resource.Name));
        }
    }
}
