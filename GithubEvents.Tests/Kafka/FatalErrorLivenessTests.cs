using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using GithubEvents.Tests.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Kafka;

public sealed class FatalErrorLivenessTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task A_fatal_producer_error_fails_the_liveness_check_with_its_reason()
    {
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, new LogCapture());
        builder.AddEventPublishing();
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Task<HealthReport> AliveAsync() => health.CheckHealthAsync(check => check.Tags.Contains("live"), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await AliveAsync()).Status);

        TriggerFatalError(host.Services.GetRequiredService<IProducer<string, byte[]>>(), ErrorCode.OutOfOrderSequenceNumber);

        await EnrichPipeline.EventuallyAsync(async () => (await AliveAsync()).Status == HealthStatus.Unhealthy, "liveness failing");
        var fatal = (await AliveAsync()).Entries[KafkaFatalErrors.HealthCheckName];
        Assert.StartsWith("The Kafka producer hit a fatal error (OutOfOrderSequenceNumber", fatal.Description);
    }

    [Fact]
    public async Task An_error_librdkafka_recovers_from_leaves_the_process_alive()
    {
        var logs = new LogCapture();
        var builder = IngestTestHost.Builder($"127.0.0.1:{FreePort.Next()}", TimeProvider.System, logs);
        builder.AddEventPublishing();
        using var host = builder.Build();
        // Nothing listens there: librdkafka reports its brokers down, and goes on trying.
        host.Services.GetRequiredService<IProducer<string, byte[]>>().Produce("any", new Message<string, byte[]> { Key = "1", Value = [1] });
        await EnrichPipeline.EventuallyAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Message.StartsWith("Kafka client error", StringComparison.Ordinal))), "a client error reported");

        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("live"), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains(KafkaFatalErrors.HealthCheckName, report.Entries.Keys);
    }

    // librdkafka's own way to fabricate a fatal error, for tests: a real one needs a broker that breaks the idempotent
    // producer's sequence. Confluent.Kafka keeps the client's rd_kafka_t in an internal property of its handle.
    private static void TriggerFatalError(IClient client, ErrorCode code)
    {
        var handle = (SafeHandle)typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(client.Handle)!;
        Assert.Equal(0, rd_kafka_test_fatal_error(handle.DangerousGetHandle(), (int)code, "fabricated by the test"));
    }

    [DllImport("librdkafka.so.1", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int rd_kafka_test_fatal_error(IntPtr client, int code, string reason);
}
