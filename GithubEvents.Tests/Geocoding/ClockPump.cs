namespace GithubEvents.Tests.Geocoding;

/// <summary>
/// Ends every wait on a <see cref="StepTimeProvider"/> as soon as it starts, until disposed: for a test about what
/// background services do in turn, not about how long they wait.
/// </summary>
internal sealed class ClockPump : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public ClockPump(StepTimeProvider time) => _ = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await time.CompleteNextWaitAsync();
            }
            catch (TimeoutException)
            {
                // No wait started for a while; keep watching.
            }
        }
    });

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
