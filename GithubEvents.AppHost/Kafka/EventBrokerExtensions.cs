using System.ComponentModel.DataAnnotations;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class EventBrokerExtensions
{
    /// <summary>
    /// The Kafka broker the services share, where <paramref name="plan"/> places it: the existing one of
    /// <c>ConnectionStrings:{name}</c>; a one-node Kafka container with Kafka UI, whose default retention is the
    /// topics' (<c>Kafka:Topics</c>) and whose claim in a deployment holds the raw topic at its byte limit; or the
    /// development broker inside the AppHost.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddEventBroker(this IDistributedApplicationBuilder builder, [ResourceName] string name, PlacementPlan plan)
    {
        switch (plan[name])
        {
            case PiecePlacement.Existing:
                return builder.AddConnectionString(name).WithKafkaHealthCheck();
            case PiecePlacement.Local:
                return builder.AddDevelopmentKafka(name);
            default:
                var topics = builder.Configuration.GetSection(TopicOptions.SectionName).Get<TopicOptions>() ?? new TopicOptions();
                var problems = new List<ValidationResult>();
                if (!Validator.TryValidateObject(topics, new ValidationContext(topics), problems, validateAllProperties: true))
                {
                    throw new DistributedApplicationException(string.Join(" ", problems.Select(problem => problem.ErrorMessage)));
                }

                return builder.AddKafkaServer(name)
                    .WithRetention(topics.Retention, topics.RetentionBytes)
                    .WithDataVolume(claimSize: KafkaDisk.ClaimSize(topics))
                    .WithComputeResources(cpuRequest: "250m", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "2Gi")
                    .WithKafkaUI();
        }
    }
}
