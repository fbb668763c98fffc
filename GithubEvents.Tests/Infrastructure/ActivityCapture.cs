using System.Diagnostics;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// Every activity of the sources <c>listenTo</c> picks that stops while this is alive, sampled with all its data (so
/// that trace context flows through them), as <see cref="LogCapture"/> does for log lines.
/// </summary>
public sealed class ActivityCapture : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public ActivityCapture(Func<ActivitySource, bool> listenTo)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = listenTo,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The activities stopped so far, other tests' among them when they use the same sources.</summary>
    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return [.. _stopped];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
