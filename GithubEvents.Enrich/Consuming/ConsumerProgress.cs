using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Whether the consumer makes progress, for <c>/alive</c> (the <c>consumer-progress</c> check, tagged <c>live</c>): it
/// fails once messages have waited (a batch in hand, or assigned partitions with lag) for <c>Enrich:StallTimeout</c>
/// without a batch finished, so that Kubernetes restarts a stuck replica. Idle is progress: nothing waits. A database
/// that is down or full stalls it too, which is right: a restart costs nothing, and the timeout keeps a short outage
/// from causing one.
/// </summary>
public sealed class ConsumerProgress(IOptions<EnrichOptions> options, TimeProvider time) : IHealthCheck
{
    private long _since = time.GetTimestamp();
    private volatile bool _waiting;

    /// <summary>A batch was finished, or nothing waits: the stall clock starts again.</summary>
    public void Progressed()
    {
        Interlocked.Exchange(ref _since, time.GetTimestamp());
        _waiting = false;
    }

    /// <summary>Messages wait (a batch in hand, or lag): the stall clock runs from the last progress.</summary>
    public void Waiting() => _waiting = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stalled = TimeSpan.FromSeconds(Math.Floor(time.GetElapsedTime(Interlocked.Read(ref _since)).TotalSeconds));
        var timeout = options.Value.StallTimeout;
        return Task.FromResult(_waiting && stalled >= timeout
            ? new HealthCheckResult(context.Registration.FailureStatus,
                $"No batch finished for {stalled:c} while messages wait (Enrich:StallTimeout {timeout:c}); /health and the log say what holds it")
            : HealthCheckResult.Healthy(_waiting ? "Consuming" : "Idle"));
    }
}
