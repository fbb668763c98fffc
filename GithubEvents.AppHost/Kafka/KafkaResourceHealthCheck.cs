using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// The services' Kafka health check, for a resource whose bootstrap servers are known only once the
/// application runs (an allocated container port, or a connection string from configuration).
/// </summary>
internal sealed class KafkaResourceHealthCheck(IResourceWithConnectionString resource) : IHealthCheck, IDisposable
{
    private KafkaHealthCheck? _check;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var check = Volatile.Read(ref _check);
        if (check is null)
        {
            var bootstrapServers = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            if (string.IsNullOrEmpty(bootstrapServers))
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"The connection string of '{resource.Name}' is not available yet.");
            }

            // Two probes may race here: one check wins, the other's admin client is released.
            var created = new KafkaHealthCheck(bootstrapServers);
            check = Interlocked.CompareExchange(ref _check, created, null) ?? created;
            if (check != created)
            {
                created.Dispose();
            }
        }

        return await check.CheckHealthAsync(context, cancellationToken);
    }

    public void Dispose() => _check?.Dispose();
}
