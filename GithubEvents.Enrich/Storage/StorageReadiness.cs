using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Tells the writers when the schema is ready, and which flavour it is: chosen once by <see cref="DatabaseSetup"/>
/// and read here by everything that writes SQL of one flavour or the other. Healthy from then on.
/// </summary>
public sealed class StorageReadiness : IHealthCheck
{
    private readonly TaskCompletionSource<SchemaFlavor> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SchemaFlavor> WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>The schema's flavour, for code that runs only after <see cref="WaitAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The schema is not set up yet.</exception>
    public SchemaFlavor Flavor => _ready.Task.IsCompletedSuccessfully
        ? _ready.Task.Result
        : throw new InvalidOperationException("The schema is not set up yet: wait for StorageReadiness.WaitAsync first.");

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    public void Ready(SchemaFlavor flavor) => _ready.TrySetResult(flavor);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready.Task.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy($"Schema ready ({_ready.Task.Result})")
            : HealthCheckResult.Unhealthy("The schema is not set up yet"));
}
