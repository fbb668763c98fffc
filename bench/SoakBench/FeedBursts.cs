using GithubEvents.Tests.Fakes;

/// <summary>
/// The feed's everyday trouble: every 20 to 60 s, either a burst of three to six 502s or one slow answer (a 504
/// after 10 s), from a fixed seed so that runs are alike. A burst is due only once the feed was asked since the one
/// before: trouble at GitHub lasts a while, it does not pile up for a client that waits, as failures queued by count would.
/// </summary>
internal sealed class FeedBursts(FakeGitHub github)
{
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(10);

    private readonly Random _random = new(25);

    private int _askedAtLastBurst = -1;

    public int Count { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(_random.Next(20, 61)), stop);
                var asked = github.Requests.Count;
                if (asked == _askedAtLastBurst)
                {
                    continue;
                }

                _askedAtLastBurst = asked;
                if (_random.Next(3) == 0)
                {
                    github.Fail("/events", FakeGitHub.ServerError(504) with { Delay = SlowAnswer });
                }
                else
                {
                    github.Fail("/events", FakeGitHub.ServerError(), times: _random.Next(3, 7));
                }

                Count++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
