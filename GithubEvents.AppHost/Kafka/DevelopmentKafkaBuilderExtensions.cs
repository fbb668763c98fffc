using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class DevelopmentKafkaBuilderExtensions
{
    /// <summary>
    /// Adds the development broker (<see cref="DevelopmentKafkaResource"/>): started with the application, shown in the
    /// dashboard with its bootstrap address and its limits, healthy once it answers a metadata request.
    /// </summary>
    public static IResourceBuilder<DevelopmentKafkaResource> AddDevelopmentKafka(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var kafka = new DevelopmentKafkaResource(name);
        builder.Services.AddHostedService(_ => new DevelopmentKafkaLifetime(kafka.Cluster));
        return builder.AddResource(kafka)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Kafka (development)",
                State = KnownResourceStates.NotStarted,
                Properties = [new ResourcePropertySnapshot("limits", DevelopmentKafkaResource.Limits)],
            })
            .OnInitializeResource(async (resource, @event, cancellationToken) =>
            {
                await @event.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, @event.Services), cancellationToken);
                var bootstrap = resource.Cluster.Start();
                @event.Logger.LogInformation("Development Kafka broker at {BootstrapServers}. {Limits}", bootstrap, DevelopmentKafkaResource.Limits);
                await @event.Notifications.PublishUpdateAsync(resource, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                    Properties = state.Properties.Add(new ResourcePropertySnapshot("bootstrap.servers", bootstrap)),
                });
                await @event.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, @event.Services), cancellationToken);
            })
            .WithKafkaHealthCheck();
    }

    // The mock cluster lives in the AppHost process: it ends with the application.
    private sealed class DevelopmentKafkaLifetime(MockKafkaCluster cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            cluster.Dispose();
            return Task.CompletedTask;
        }
    }
}
