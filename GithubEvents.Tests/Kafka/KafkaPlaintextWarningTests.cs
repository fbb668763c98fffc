using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Kafka;

/// <summary>A service on a PLAINTEXT broker beyond this machine says so at start, naming the setting (issue 28, item 4).</summary>
public sealed class KafkaPlaintextWarningTests
{
    [Theory]
    [InlineData("kafka:9092", null, true)]
    [InlineData("PLAINTEXT://broker.example.org:9092", "PLAINTEXT", true)]
    [InlineData("localhost:9092,kafka:9092", "plaintext", true)]
    [InlineData("localhost:9092,127.0.0.1:9093,[::1]:9094", null, false)]
    [InlineData("kafka:9093", "SASL_SSL", false)]
    [InlineData("kafka:9093", "ssl", false)]
    public void Plaintext_is_named_for_a_broker_beyond_loopback_only(string bootstrapServers, string? protocol, bool warned)
    {
        var config = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrapServers };
        if (protocol is not null)
        {
            config["security.protocol"] = protocol;
        }

        Assert.Equal(warned, GithubEvents.ServiceDefaults.Kafka.KafkaPlaintextWarning.IsPlaintextBeyondThisMachine(config));
    }

    [Fact]
    public async Task A_producer_and_a_consumer_on_a_plaintext_broker_each_name_their_setting_once_at_start()
    {
        var log = await StartAsync(new Dictionary<string, string?>());

        var warnings = log.Entries.Where(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("PLAINTEXT", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Single(warnings, warning => warning.Message.Contains("Kafka:Producer:Config:security.protocol", StringComparison.Ordinal));
        Assert.Single(warnings, warning => warning.Message.Contains("Kafka:Consumer:Config:security.protocol", StringComparison.Ordinal));
        Assert.All(warnings, warning => Assert.Contains("broker.example.org:9092", warning.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clients_configured_for_SASL_over_TLS_start_without_the_warning()
    {
        var log = await StartAsync(new Dictionary<string, string?>
        {
            ["Kafka:Producer:Config:security.protocol"] = "SASL_SSL",
            ["Kafka:Producer:Config:sasl.mechanism"] = "SCRAM-SHA-512",
            ["Kafka:Consumer:Config:security.protocol"] = "SASL_SSL",
            ["Kafka:Consumer:Config:sasl.mechanism"] = "SCRAM-SHA-512",
        });

        Assert.DoesNotContain(log.Entries, entry => entry.Message.Contains("PLAINTEXT", StringComparison.Ordinal));
    }

    [Fact]
    public void The_security_settings_reach_the_producer_and_the_consumer()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "broker.example.org:9093",
            ["Kafka:Consumer:Config:group.id"] = "plaintext-warning-test",
        };
        foreach (var section in new[] { "Kafka:Producer", "Kafka:Consumer" })
        {
            settings[$"{section}:Config:security.protocol"] = "SSL";
            settings[$"{section}:Config:ssl.ca.location"] = "/no/such/ca.pem";
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        using var host = builder.Build();

        // librdkafka reads the CA file as it makes the client: a file it cannot read shows the setting reached it.
        Assert.Contains("ssl.ca.location", Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<Confluent.Kafka.IProducer<string, byte[]>>()).ToString(), StringComparison.Ordinal);
        Assert.Contains("ssl.ca.location", Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<Confluent.Kafka.IConsumer<string, byte[]>>()).ToString(), StringComparison.Ordinal);
    }

    // Two producers and a consumer, as Ingest and Enrich register theirs; the clients themselves are built only when used.
    private static async Task<LogCapture> StartAsync(Dictionary<string, string?> settings)
    {
        var log = new LogCapture();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:kafka"] = "broker.example.org:9092",
            ["Kafka:Consumer:Config:group.id"] = "plaintext-warning-test",
        });
        builder.Logging.ClearProviders().AddProvider(log);
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaProducer<string, string>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
        return log;
    }
}
