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
}
