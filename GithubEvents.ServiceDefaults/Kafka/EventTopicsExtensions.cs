using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class EventTopicsExtensions
{
    /// <summary>
    /// The pipeline's topics (<see cref="TopicOptions"/>, from <c>Kafka:Topics</c>), validated at start-up; a setting under
    /// a key that moved (<see cref="RenamedSettings"/>) stops start-up with the new key's name.
    /// </summary>
    public static IHostApplicationBuilder AddEventTopics(this IHostApplicationBuilder builder)
    {
        var renamed = RenamedSettings.Problems(builder.Configuration);
        builder.Services.AddOptions<TopicOptions>()
            .BindConfiguration(TopicOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(_ => renamed.Count == 0, string.Join(" ", renamed))
            .ValidateOnStart();
        return builder;
    }
}
