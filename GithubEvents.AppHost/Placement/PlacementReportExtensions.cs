using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aspire.Hosting;

public static class PlacementReportExtensions
{
    private const string Category = "GithubEvents.AppHost";

    /// <summary>
    /// Logs at start where each piece runs and why, and once each is ready where it listens: the broker's bootstrap
    /// address and the database's connection string without its password, for kcat and psql.
    /// </summary>
    public static void ReportPlacement(
        this IDistributedApplicationBuilder builder,
        PlacementPlan plan,
        IResourceBuilder<IResourceWithConnectionString> broker,
        ServiceDatabase database)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = Logger(@event.Services);
            foreach (var line in plan.Describe())
            {
                logger.LogInformation("{Placement}", line);
            }

            return Task.CompletedTask;
        });

        broker.OnResourceReady(async (resource, @event, cancellationToken) =>
        {
            var bootstrapServers = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            Logger(@event.Services).LogInformation("Kafka listens at {BootstrapServers} (kcat -b {BootstrapServers} -L)", bootstrapServers, bootstrapServers);
        });

        database.Resource.OnResourceReady(async (resource, @event, cancellationToken) =>
        {
            var connection = new NpgsqlConnectionStringBuilder(await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
            var password = connection.Password is { Length: > 0 } ? " (the password is the AppHost parameter's; see the dashboard)" : "";
            connection.Remove("Password");
            Logger(@event.Services).LogInformation("The database listens at {ConnectionString}{Password}", connection.ConnectionString, password);
        });
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
}
