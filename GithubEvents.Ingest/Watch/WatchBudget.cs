using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// The watched feeds' part of the core budget: <see cref="WatchOptions.BudgetShare"/> of each hour's limit, counted
/// from the watch poller's own answers (a 304 costs nothing, anything else one request). The watch poller asks
/// <see cref="CanSpend"/> before each request, so it never spends beyond the share; the live poller keeps
/// <see cref="Unspent"/> aside, so it never spends what is the watch's. No I/O.
/// </summary>
public sealed class WatchBudget(TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _share;
    private int _limit;
    private DateTimeOffset _reset;
    private int _spent;
    private DateTimeOffset _notBefore;

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
    /// When the next request may go: the share's requests left, spread evenly until the reset, so that a busy hour's
    /// first minutes do not spend it all; after the share is spent, the reset.
    /// </summary>
    public DateTimeOffset NotBefore
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return _limit > 0 && _spent >= Allowance() ? _reset + GitHubApi.ResetMargin : _notBefore;
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

            if (!costly)
            {
                return;
            }

            _spent++;
            var left = Allowance() - _spent;
            var untilReset = _reset - time.GetUtcNow();
            _notBefore = left > 0 && untilReset > TimeSpan.Zero ? time.GetUtcNow() + (untilReset / left) : _notBefore;
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
