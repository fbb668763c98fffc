using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Ingest.GitHub;

/// <summary>A poller's figures for one feed and the current minute, counted as it polls; no I/O.</summary>
public sealed class PollTally(string poller, string feed = PollFigures.PublicFeed)
{
    /// <summary>This Ingest process's name in the figures: a name of its own at every start.</summary>
    public static readonly string ProcessPoller = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    private DateTimeOffset _minute;
    private int _polls;
    private int _requests;
    private int _ok;
    private int _notModified;
    private int _failed;
    private int _eventsReturned;
    private int _newEvents;
    private int _missedPolls;
    private bool _undelivered;
    private int _deadLetters;

    /// <summary>A poll begins at <paramref name="now"/>: a new minute starts the counts again.</summary>
    public void PollStarted(DateTimeOffset now)
    {
        At(now);
        _polls++;
    }

    /// <summary>
    /// At <paramref name="now"/> the poller does not poll because Kafka holds back what it polled: the minute's events
    /// are not delivered. True when that makes the minute undelivered (a new one, or the first time in it).
    /// </summary>
    public bool Undelivered(DateTimeOffset now)
    {
        At(now);
        var first = !_undelivered;
        _undelivered = true;
        return first;
    }

    private void At(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (minute != _minute)
        {
            (_minute, _polls, _requests, _ok, _notModified, _failed, _eventsReturned, _newEvents, _missedPolls, _undelivered, _deadLetters) = (minute, 0, 0, 0, 0, 0, 0, 0, 0, false, 0);
        }
    }

    public void Answered(FeedPage page)
    {
        _requests++;
        switch (page.Outcome)
        {
            case FeedOutcome.Events:
                _ok++;
                _eventsReturned += page.Events.Count;
                break;
            case FeedOutcome.NotModified:
                _notModified++;
                break;
            default:
                _failed++;
                break;
        }
    }

    /// <summary>Parts of an answered page that went to the dead-letter topic.</summary>
    public void DeadLettered(int pieces) => _deadLetters += pieces;

    public void Polled(int newEvents, bool missed)
    {
        _newEvents += newEvents;
        _missedPolls += missed ? 1 : 0;
    }

    /// <summary>The figures of a minute in which this poller did not poll and its events were not delivered.</summary>
    public PollFigures UndeliveredMinute(DateTimeOffset minute) => new(minute, poller, 0, 0, 0, 0, 0, 0, 0, 0, feed, Undelivered: true);

    public PollFigures Figures() =>
        new(_minute, poller, _polls, _requests, _ok, _notModified, _failed, _eventsReturned, _newEvents, _missedPolls, feed, _undelivered, _deadLetters);
}
