using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class EventBrokerExtensions
{
    /// <summary>
    /// The Kafka broker the services share: the existing one of <c>ConnectionStrings:{name}</c> when that is set, else a
    /// one-node Kafka container with Kafka UI. The container's default retention is the topics' (<c>Kafka:Topics</c>).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddEventBroker(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name).WithKafkaHealthCheck();
        }

        var topics = builder.Configuration.GetSection(TopicOptions.SectionName).Get<TopicOptions>() ?? new TopicOptions();
        return builder.AddKafkaServer(name)
            .WithRetention(topics.Retention, topics.RetentionBytes)
            .WithDataVolume()
            .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "2Gi")
            .WithKafkaUI();
    }

    /// <summary>
    /// Passes the AppHost's <c>Kafka:Topics</c> settings on to a service, so that one setting names a topic (or sets its
    /// retention) for the whole pipeline.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTopicSettings(this IResourceBuilder<ProjectResource> builder)
    {
        var section = builder.ApplicationBuilder.Configuration.GetSection(TopicOptions.SectionName);
        foreach (var setting in section.GetChildren().Where(setting => setting.Value is not null))
        {
            builder.WithEnvironment($"Kafka__Topics__{setting.Key}", setting.Value);
        }

        return builder;
    }
}
