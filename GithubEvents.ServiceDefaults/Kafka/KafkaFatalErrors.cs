using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// The liveness check of the process's Kafka clients (tagged <c>live</c>): unhealthy for good once a client reported a
/// fatal error, which librdkafka never recovers from (an idempotent producer's broken sequence, say), so that the
/// orchestrator restarts the process instead of leaving it alive and sending nothing.
/// </summary>
public sealed class KafkaFatalErrors : IHealthCheck
{
    public const string HealthCheckName = "kafka-fatal";

    private string? _firstFatal;

    /// <summary>An error a client of the <paramref name="role"/> (producer, consumer) reported; only a fatal one counts.</summary>
    public void Report(string role, Error error)
    {
        if (error.IsFatal)
        {
            Interlocked.CompareExchange(ref _firstFatal, $"The Kafka {role} hit a fatal error ({error.Code}: {error.Reason}); it cannot recover: restart the process", null);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref _firstFatal) is { } fatal
            ? HealthCheckResult.Unhealthy(fatal)
            : HealthCheckResult.Healthy("No Kafka client hit a fatal error"));
}
