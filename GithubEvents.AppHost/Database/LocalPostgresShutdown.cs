using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>Stops the local server cleanly when the AppHost stops (<see cref="LocalPostgresCluster.StopAsync"/>).</summary>
internal sealed class LocalPostgresShutdown(LocalPostgresCluster cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync(cancellationToken);
}
