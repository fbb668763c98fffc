using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Kafka;

/// <summary>A host with the ServiceDefaults Kafka registrations, configured as a service would be.</summary>
internal static class KafkaClientHost
{
    public static HostApplicationBuilder Builder(string? bootstrapServers, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = bootstrapServers,
            ["Kafka:Consumer:Config:auto.offset.reset"] = "earliest",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return builder;
    }

    /// <summary>The next message, polling with a deadline.</summary>
    public static ConsumeResult<string, byte[]> ConsumeOne(IConsumer<string, byte[]> consumer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                return result;
            }
        }

        throw new TimeoutException("No message arrived within 30 s.");
    }
}
