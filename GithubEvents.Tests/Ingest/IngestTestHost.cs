using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Ingest;

/// <summary>Hosts with Ingest's registrations, writing to topics of their own on the Kafka mock cluster.</summary>
internal static class IngestTestHost
{
    public static HostApplicationBuilder Builder(
        string bootstrapServers,
        TimeProvider time,
        LogCapture logs,
        IDictionary<string, string?>? settings = null)
    {
        var topic = KafkaMockCluster.NewTopicName();
        var builder = KafkaClientHost.Builder(bootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = topic,
            ["Kafka:Topics:DeadLetters"] = $"{topic}-dlq",
            ["Kafka:Topics:Polls"] = $"{topic}-polls",
            // The mock cluster has no controller to create topics: do not wait long for it.
            ["Kafka:Topics:CreateTimeout"] = "00:00:00.200",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(time);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        return builder;
    }

    public static string RawTopic(this IHost host) => host.Services.GetRequiredService<IConfiguration>()["Kafka:Topics:Raw"]!;

    public static string DeadLetterTopic(this IHost host) => host.Services.GetRequiredService<IConfiguration>()["Kafka:Topics:DeadLetters"]!;

    public static string PollsTopic(this IHost host) => host.Services.GetRequiredService<IConfiguration>()["Kafka:Topics:Polls"]!;
}
