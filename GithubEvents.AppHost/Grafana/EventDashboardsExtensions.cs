using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class EventDashboardsExtensions
{
    /// <summary>
    /// Grafana with the pipeline's dashboards wherever containers run, reading the services' database however it is
    /// placed (<see cref="DatasourceLogin"/>), once <paramref name="schemaOwner"/> has set up its schema. Without a
    /// container runtime it is left out, and the start-up log says so: docs/grafana.md shows how to point a Grafana at the
    /// database with the same provisioning files.
    /// </summary>
    public static void AddEventDashboards(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        PlacementPlan plan,
        ServiceDatabase database,
        IResourceBuilder<IResource> schemaOwner)
    {
        if (!plan.ContainersRun)
        {
            Log(builder, logger => logger.LogInformation(
                "Grafana is left out: it needs its container, and {Reason}. To see the dashboards, point a Grafana at the database " +
                "with GithubEvents.AppHost/Grafana/provisioning (docs/grafana.md).", plan.ContainersReason));
            return;
        }

        var login = DatasourceLogin.For(builder, name, database);
        var provisioning = Path.Combine(builder.AppHostDirectory, "Grafana", "provisioning");
        var adminPassword = builder.AddParameter($"{name}-admin-password", Passwords.Generated(), secret: true, persist: true);
        var grafana = builder.AddGrafana(name, adminPassword, provisioning)
            .WithDatasource(login, database)
            .WithDatasourceFileFor(login, database, schemaOwner, provisioning)
            .WithAlertContactPoints()
            .WithAlertRuleThresholds(provisioning);
        if (login.ExistingServerPort is { } port)
        {
            grafana.WithEgressOutsideCluster(port);
        }

        if (login.NeedsHostGateway)
        {
            // Docker Desktop knows the name by itself; Docker Engine on Linux learns it from this.
            grafana.WithContainerRuntimeArgs($"--add-host={KnownHostNames.DockerDesktopHostBridge}:host-gateway");
        }

        if (login.IsServicesLogin)
        {
            Log(builder, logger => logger.LogWarning(
                "Grafana reads the database as '{User}', the services' login, as {Setting} allows: set ConnectionStrings:{Name}-reader to a read-only role's connection string.",
                login.User, DatasourceLogin.AllowServiceLoginSetting, database.Resource.Resource.Name));
        }
    }

    private static void Log(IDistributedApplicationBuilder builder, Action<ILogger> log) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            log(@event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.AppHost"));
            return Task.CompletedTask;
        });
}
