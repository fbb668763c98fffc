using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class EventDashboardsExtensions
{
    /// <summary>
    /// Grafana with the pipeline's dashboards, reading the database the AppHost runs in its container as the reader
    /// role. Elsewhere (an existing database, or PostgreSQL on this machine) it is left out, and the start-up log says
    /// so: the README shows how to point a Grafana at the database with the same provisioning files.
    /// </summary>
    public static void AddEventDashboards(this IDistributedApplicationBuilder builder, [ResourceName] string name, ServiceDatabase database)
    {
        if (database.Managed is { InContainer: { } inContainer } managed)
        {
            var adminPassword = builder.AddParameter($"{name}-admin-password", Passwords.Generated(), secret: true, persist: true);
            builder.AddGrafana(name, adminPassword, Path.Combine(builder.AppHostDirectory, "Grafana", "provisioning"))
                .WithDatasource(inContainer, managed.ReaderPassword);
            return;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.AppHost").LogInformation(
                "Grafana is left out: it runs beside the database's container, and the database is {Where}. To see the dashboards, " +
                "point a Grafana at it with GithubEvents.AppHost/Grafana/provisioning (README, Grafana).",
                database.Managed is null ? "an existing server" : "on this machine");
            return Task.CompletedTask;
        });
    }
}
