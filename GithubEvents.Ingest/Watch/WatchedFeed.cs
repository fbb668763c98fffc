using System.Globalization;
using GithubEvents.Ingest.Events;
using GithubEvents.Ingest.GitHub;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// One watched feed's state: the events it showed lately, how busy it is, and when it is next due. A quiet feed is
/// polled at its idle pace (<see cref="WatchOptions.MaximumInterval"/>, or GitHub's <c>X-Poll-Interval</c> when that is
/// longer), each poll a free 304 until events come; a busy one sooner, when about <see cref="EventsPerPoll"/> new
/// events are expected, but not before <see cref="WatchOptions.MinimumInterval"/>. No I/O.
/// </summary>
public sealed class WatchedFeed(WatchTarget target, DateTimeOffset due)
{
    /// <summary>
    /// Less than a page, so that the rate's swings seldom fill one: a poll whose first page is all new asks for the
    /// next, and pays a second request for the few events that spilt over.
    /// </summary>
    public const int EventsPerPoll = 80;

    // Twice what the feed can show: an event that left it never comes back.
    private const int RememberedEvents = 2 * EventsFeedClient.PageSize * FeedReader.MaxPages;

    private DateTimeOffset? _lastPoll;
    private int _failures;

    public WatchTarget Target { get; } = target;

    public DateTimeOffset Due { get; private set; } = due;

    /// <summary>New events a second, smoothed over the last polls.</summary>
    public double EventsPerSecond { get; private set; }

    /// <summary>True once the feed has answered with events: from then on an all-new feed means events were missed.</summary>
    public bool Known { get; private set; }

    public RecentEventIds Seen { get; } = new(RememberedEvents);

    public PollTally Tally { get; } = new(PollTally.ProcessPoller, target.Feed);

    /// <summary>After a poll that answered: the next one at the idle pace, or sooner when <see cref="EventsPerPoll"/> new events are expected by then.</summary>
    /// <param name="fresh">The new events, newest first.</param>
    /// <param name="pollInterval">The last answer's <c>X-Poll-Interval</c>, if it had one.</param>
    public TimeSpan Polled(DateTimeOffset now, IReadOnlyList<RawEvent> fresh, bool answeredEvents, bool missed, TimeSpan? pollInterval, WatchOptions options)
    {
        _failures = 0;
        var sample = _lastPoll is { } last && now > last
            ? fresh.Count / (now - last).TotalSeconds
            : FirstRate(fresh);
        EventsPerSecond = _lastPoll is null ? sample : (EventsPerSecond + sample) / 2;
        _lastPoll = now;
        Known |= answeredEvents;

        var idle = pollInterval > options.MaximumInterval ? pollInterval.Value : options.MaximumInterval;
        var interval = missed ? options.MinimumInterval
            : EventsPerSecond > 0 ? TimeSpan.FromSeconds(Math.Min(EventsPerPoll / EventsPerSecond, idle.TotalSeconds))
            : idle;
        interval = interval < options.MinimumInterval ? options.MinimumInterval : interval;
        Due = now + interval;
        return interval;
    }

    /// <summary>After an answer that was no answer (a failure, a limit): the wait it calls for.</summary>
    public void Deferred(DateTimeOffset until) => Due = until;

    /// <summary>Failures in a row since the last answer.</summary>
    public int Failed() => ++_failures;

    // Before the first poll, how fast the events the feed showed were made.
    private static double FirstRate(IReadOnlyList<RawEvent> fresh)
    {
        if (fresh.Count < 2
            || !DateTimeOffset.TryParse(fresh[0].Fields.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var newest)
            || !DateTimeOffset.TryParse(fresh[^1].Fields.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var oldest)
            || newest <= oldest)
        {
            return 0;
        }

        return (fresh.Count - 1) / (newest - oldest).TotalSeconds;
    }
}
