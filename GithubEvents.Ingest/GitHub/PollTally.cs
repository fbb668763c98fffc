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
    private int _deadLetters;

    /// <summary>A poll begins at <paramref name="now"/>: a new minute starts the counts again.</summary>
    public void PollStarted(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (minute != _minute)
        {
            (_minute, _polls, _requests, _ok, _notModified, _failed, _eventsReturned, _newEvents, _missedPolls, _deadLetters) = (minute, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        _polls++;
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

    public PollFigures Figures() =>
        new(_minute, poller, _polls, _requests, _ok, _notModified, _failed, _eventsReturned, _newEvents, _missedPolls, feed, _deadLetters);
}
