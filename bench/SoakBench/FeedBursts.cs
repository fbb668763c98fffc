using GithubEvents.Tests.Fakes;

/// <summary>
/// The feed's everyday trouble: every 20 to 60 s, from a fixed seed so that runs are alike, either 3 to 6 seconds of
/// 502s or one second in which every answer is a 504 after 10 s. Trouble at GitHub lasts a while whether or not a client
/// asks, so each burst is a span of time, not a number of failed requests queued for the client's next tries. It also
/// owns the feed's long outage (<see cref="StartOutage"/>), so that a burst neither starts nor ends inside one.
/// </summary>
internal sealed class FeedBursts(FakeGitHub github)
{
    private const string Feed = "/events";

    private static readonly Fault SlowAnswer = FakeGitHub.ServerError(504) with { Delay = TimeSpan.FromSeconds(10) };

    private readonly Random _random = new(25);

    private readonly Lock _outageLock = new();

    private bool _down;

    public int Count { get; private set; }

    public void StartOutage()
    {
        lock (_outageLock)
        {
            _down = true;
            github.StartOutage(Feed, FakeGitHub.ServerError(503));
        }
    }

    public void EndOutage()
    {
        lock (_outageLock)
        {
            _down = false;
            github.EndOutage(Feed);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(_random.Next(20, 61)), stop);
                var slow = _random.Next(3) == 0;
                var length = slow ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(_random.Next(3, 7));
                if (!Begin(slow ? SlowAnswer : FakeGitHub.ServerError()))
                {
                    continue;
                }

                Count++;
                try
                {
                    await Task.Delay(length, stop);
                }
                finally
                {
                    End();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private bool Begin(Fault fault)
    {
        lock (_outageLock)
        {
            if (!_down)
            {
                github.StartOutage(Feed, fault);
            }

            return !_down;
        }
    }

    private void End()
    {
        lock (_outageLock)
        {
            if (!_down)
            {
                github.EndOutage(Feed);
            }
        }
    }
}
