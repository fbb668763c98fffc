using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.Enrich.Storage;

/// <summary>Tells the writers when the schema is ready, and on which path; healthy from then on.</summary>
public sealed class StorageReadiness : IHealthCheck
{
    private readonly TaskCompletionSource<StoragePath> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<StoragePath> WaitAsync(CancellationToken cancellationToken) => ready.Task.WaitAsync(cancellationToken);

    public void Ready(StoragePath path) => ready.TrySetResult(path);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ready.Task.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy($"Schema ready ({ready.Task.Result})")
            : HealthCheckResult.Unhealthy("The schema is not set up yet"));
}
