using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// Healthy when a broker answers a metadata request. One admin client is kept for the life of the check.
/// </summary>
public sealed class KafkaHealthCheck(ClientConfig config) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    private readonly Lazy<IAdminClient> _adminClient = new(() => new AdminClientBuilder(config)
        // librdkafka logs every refused connection; the health status already says it.
        .SetLogHandler((_, _) => { })
        .SetErrorHandler((_, _) => { })
        .Build());

    public KafkaHealthCheck(string bootstrapServers)
        : this(new ClientConfig { BootstrapServers = bootstrapServers })
    {
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks its thread for up to the timeout. (DescribeCluster would skip the topic list, but
            // librdkafka's mock cluster, which the tests run against, does not answer it.)
            var metadata = await Task.Run(() => _adminClient.Value.GetMetadata(MetadataTimeout), cancellationToken);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) answered")
                : new HealthCheckResult(context.Registration.FailureStatus, "The cluster reported no brokers");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "No broker answered a metadata request", ex);
        }
    }

    public void Dispose()
    {
        if (_adminClient.IsValueCreated)
        {
            _adminClient.Value.Dispose();
        }
    }
}
