namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// Fake time for several services at once, run as a discrete-event simulation: <see cref="RunAsync"/> waits until
/// every service is asleep on a timer of this clock, moves the clock to the earliest timer's due time, fires it, and
/// goes on until the end. Nothing sleeps in real time, however long the simulated stretch.
/// </summary>
public sealed class SimulatedTime(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<SimulatedTimer> _pending = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Runs the services for <paramref name="duration"/> of simulated time.</summary>
    /// <param name="sleepers">How many services wait on this clock between their turns.</param>
    /// <param name="catchUp">
    /// For a service that does not sleep on this clock's timers but reads it: called once the sleepers are asleep, with
    /// the time the clock would move to next; waits until that service has caught up with what the sleepers did, and
    /// returns the time the clock may move to, no later (earlier: the clock moves there and asks again).
    /// </param>
    public async Task RunAsync(TimeSpan duration, int sleepers, Func<DateTimeOffset, Task<DateTimeOffset>>? catchUp = null)
    {
        var end = GetUtcNow() + duration;
        while (true)
        {
            var settled = DateTime.UtcNow + SettleTimeout;
            while (Pending() < sleepers)
            {
                if (DateTime.UtcNow > settled)
                {
                    throw new TimeoutException($"{Pending()} of {sleepers} services were asleep on the clock after {SettleTimeout.TotalSeconds} s.");
                }

                await Task.Delay(1, TestContext.Current.CancellationToken);
            }

            var next = Earliest();
            if (catchUp is not null)
            {
                var target = next < end ? next : end;
                var until = await catchUp(target);
                if (until < target)
                {
                    lock (_lock)
                    {
                        _now = until;
                    }

                    continue;
                }
            }

            List<SimulatedTimer> due;
            lock (_lock)
            {
                if (next > end)
                {
                    _now = end;
                    return;
                }

                _now = next;
                due = _pending.Where(t => t.DueAt <= next).ToList();
                _pending.RemoveAll(due.Contains);
            }

            foreach (var timer in due)
            {
                timer.Fire();
            }
        }
    }

    private DateTimeOffset Earliest()
    {
        lock (_lock)
        {
            return _pending.Min(t => t.DueAt);
        }
    }

    private int Pending()
    {
        lock (_lock)
        {
            return _pending.Count;
        }
    }

    private sealed class SimulatedTimer(SimulatedTime clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._pending.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock._now + dueTime;
                    clock._pending.Add(this);
                }
            }

            return true;
        }

        public void Fire() => ThreadPool.QueueUserWorkItem(_ => callback(state));

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._pending.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
