using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Kafka;

public sealed class KafkaClientRegistrationTests(KafkaMockCluster kafka)
{
    [Fact]
    public void A_missing_connection_string_stops_start_up_naming_the_setting()
    {
        var builder = KafkaClientHost.Builder(bootstrapServers: null);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddKafkaProducer<string, byte[]>("kafka"));

        Assert.Contains("ConnectionStrings:kafka", error.Message);
    }

    [Fact]
    public void A_consumer_without_a_group_id_stops_start_up_naming_the_setting()
    {
        var builder = KafkaClientHost.Builder(kafka.BootstrapServers);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddKafkaConsumer<string, byte[]>("kafka"));

        Assert.Contains("Kafka:Consumer:Config:group.id", error.Message);
    }

    [Fact]
    public async Task The_health_check_is_healthy_while_a_broker_answers()
    {
        var builder = KafkaClientHost.Builder(kafka.BootstrapServers);
        builder.AddKafkaProducer<string, byte[]>("kafka");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Entries["kafka-kafka"].Status);
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_when_no_broker_answers()
    {
        using var check = new KafkaHealthCheck($"127.0.0.1:{FreePort.Next()}");
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("kafka", check, HealthStatus.Unhealthy, tags: null),
        };

        var result = await check.CheckHealthAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }
}
