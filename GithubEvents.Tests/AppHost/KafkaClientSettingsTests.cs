using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>The broker's security settings in the AppHost's configuration reach both services' clients, secrets as secret parameters (issue 28, item 4).</summary>
public sealed class KafkaClientSettingsTests
{
    [Fact]
    public async Task SASL_and_TLS_settings_reach_Ingest_and_Enrich_with_the_password_a_secret_parameter()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                "--AppHost:Mode=Containers",
                "--Kafka:Producer:Config:security.protocol=SASL_SSL",
                "--Kafka:Producer:Config:sasl.mechanism=SCRAM-SHA-512",
                "--Kafka:Producer:Config:sasl.username=pipeline",
                "--Kafka:Producer:Config:sasl.password=KafkaSecret1",
                "--Kafka:Producer:Config:ssl.ca.location=/etc/kafka-ca/ca.crt",
                "--Kafka:Consumer:Config:security.protocol=SASL_SSL",
                "--Kafka:Consumer:Config:sasl.password=KafkaSecret1",
            ],
            TestContext.Current.CancellationToken);

        var ingest = await PublishedEnvironment(Resource(builder, "ingest"));
        var enrich = await PublishedEnvironment(Resource(builder, "enrich"));

        foreach (var service in new[] { ingest, enrich })
        {
            Assert.Equal("SASL_SSL", service["Kafka__Producer__Config__security.protocol"]);
            Assert.Equal("SCRAM-SHA-512", service["Kafka__Producer__Config__sasl.mechanism"]);
            Assert.Equal("pipeline", service["Kafka__Producer__Config__sasl.username"]);
            Assert.Equal("/etc/kafka-ca/ca.crt", service["Kafka__Producer__Config__ssl.ca.location"]);
            Assert.Equal("{kafka-producer-sasl-password.value}", service["Kafka__Producer__Config__sasl.password"]);
            Assert.DoesNotContain("KafkaSecret1", service.Values);
        }

        Assert.Equal("SASL_SSL", enrich["Kafka__Consumer__Config__security.protocol"]);
        Assert.Equal("{kafka-consumer-sasl-password.value}", enrich["Kafka__Consumer__Config__sasl.password"]);
        Assert.DoesNotContain(ingest.Keys, key => key.StartsWith("Kafka__Consumer__", StringComparison.Ordinal));
        foreach (var name in new[] { "kafka-producer-sasl-password", "kafka-consumer-sasl-password" })
        {
            var parameter = Assert.IsType<ParameterResource>(Resource(builder, name));
            Assert.True(parameter.Secret);
            Assert.Equal("KafkaSecret1", await parameter.GetValueAsync(TestContext.Current.CancellationToken));
        }
    }
}
