using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// Fake time that tells the test each wait the code under test starts (every <c>Task.Delay(wait, time)</c>
/// creates a timer here), so a test can step to exactly the end of each wait instead of sleeping.
/// </summary>
public sealed class StepTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _time = new(start);
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public StepTimeProvider()
        : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

    public override long GetTimestamp() => _time.GetTimestamp();

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _time.CreateTimer(callback, state, dueTime, period);
        _waits.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The next wait the code starts, within 30 s of real time.</summary>
    public async Task<TimeSpan> NextWaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _waits.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The code under test started no wait within 30 s.");
        }
    }

    /// <summary>Waits for the next wait to start and moves time to its end; returns its length.</summary>
    public async Task<TimeSpan> CompleteNextWaitAsync()
    {
        var wait = await NextWaitAsync();
        _time.Advance(wait);
        return wait;
    }

    public void Advance(TimeSpan by) => _time.Advance(by);
}
