namespace GithubEvents.Enrich.Geocoding;

/// <summary>Tells <see cref="PlaceFilling"/> that profiles with locations were stored, so that it need not wait its idle interval.</summary>
public sealed class NewLocations
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _raised;

    public void Raise()
    {
        lock (_lock)
        {
            _raised = true;
            _waiter?.TrySetResult();
        }
    }

    /// <summary>Returns once raised (at once if it was since the last wait), or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task raised;
        lock (_lock)
        {
            if (_raised)
            {
                _raised = false;
                return;
            }

            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            raised = _waiter.Task;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(raised, Task.Delay(timeout, time, timer.Token));
        await timer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _raised = false;
            _waiter = null;
        }
    }
}
