using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// The watched feeds' part of the core budget: <see cref="WatchOptions.BudgetShare"/> of each hour's limit, counted
/// from the watch poller's own answers (a 304 costs nothing, anything else one request). The watch poller asks
/// <see cref="CanSpend"/> before each request, so it never spends beyond the share, and waits for
/// <see cref="NotBefore"/>, so it spends along an even line through the hour with <see cref="SlackShare"/> of the share
/// in hand; the live poller keeps <see cref="Unspent"/> aside, so it never spends what is the watch's. No I/O.
/// </summary>
public sealed class WatchBudget(TimeProvider time)
{
    /// <summary>
    /// How far ahead of the even line the watch may spend, as a share of its allowance (five minutes of it): the answers
    /// that bring events come in bursts (the first polls, a busy minute), and a poll held back waits with its events.
    /// </summary>
    public const double SlackShare = 1.0 / 12;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private double _share;
    private int _limit;
    private DateTimeOffset _reset;
    private int _spent;

    /// <summary>The share in force; 0 while nothing is watched, so that the live poller keeps the whole of its own.</summary>
    public void Configure(double share)
    {
        lock (_lock)
        {
            _share = share;
        }
    }

    /// <summary>Requests spent in the current window.</summary>
    public int Spent
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return _spent;
            }
        }
    }

    /// <summary>True while one more request stays within the share (before any answer, the limit is not known yet).</summary>
    public bool CanSpend()
    {
        lock (_lock)
        {
            Roll();
            return _share > 0 && (_limit == 0 || _spent < Allowance());
        }
    }

    /// <summary>
    /// When the next request may go: when the even line through the window (the allowance spent at a steady pace from
    /// the window's start to its reset), plus the slack, reaches one more than is spent; after the share is spent, the
    /// reset. Spending below the line never waits.
    /// </summary>
    public DateTimeOffset NotBefore
    {
        get
        {
            lock (_lock)
            {
                Roll();
                if (_limit == 0)
                {
                    return DateTimeOffset.MinValue;
                }

                var allowance = Allowance();
                return _spent >= allowance
                    ? _reset + GitHubApi.ResetMargin
                    : _reset - Window + (Window * ((_spent + 1 - (allowance * SlackShare)) / allowance));
            }
        }
    }

    /// <summary>Counts an answer of the watch poller's: <paramref name="costly"/> unless it was a 304.</summary>
    public void Answered(RateLimitStatus? status, bool costly)
    {
        lock (_lock)
        {
            Roll();
            if (status is { Limit: > 0 } known && known.Reset != _reset)
            {
                // A new window (or the first answer): what this window's answers say is the truth from now on.
                (_limit, _reset) = (known.Limit, known.Reset);
                _spent = 0;
            }

            _spent += costly ? 1 : 0;
        }
    }

    /// <summary>What the watch may still spend in the window <paramref name="status"/> describes: the live poller's reserve.</summary>
    public int Unspent(RateLimitStatus status)
    {
        lock (_lock)
        {
            Roll();
            var allowance = (int)Math.Floor(status.Limit * _share);
            return status.Reset == _reset ? Math.Max(0, allowance - _spent) : allowance;
        }
    }

    private int Allowance() => (int)Math.Floor(_limit * _share);

    // Under _lock: once the window has passed, nothing of the next one is spent yet.
    private void Roll()
    {
        if (_limit > 0 && time.GetUtcNow() >= _reset && _spent > 0)
        {
            _spent = 0;
        }
    }
}
