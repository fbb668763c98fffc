using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// Repository and organisation feeds, served as the public feed is: the newest 300 events of each, pages of at most 100
/// with Link headers, a weak ETag per page answered with a free 304, 422 past the horizon. Activity can be scheduled on the
/// fake's clock (<see cref="Schedule"/>): each event lands on its repository's and organisation's feeds when its time
/// comes, and on the public feed only when the public feed's sample shows it.
/// </summary>
public sealed partial class FakeGitHub
{
    private readonly Dictionary<string, List<string>> _feeds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<ScheduledEvent> _schedule = new();
    private readonly Dictionary<string, DateTimeOffset> _firstShownOnFeeds = [];

    /// <summary>
    /// When a repository's or organisation's feed first showed each event in an answer with events (200), on the fake's
    /// clock; events as raw JSON.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> FirstShownOnFeeds
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, DateTimeOffset>(_firstShownOnFeeds);
            }
        }
    }

    /// <summary>Activity from now on, in order of time.</summary>
    public void Schedule(IEnumerable<ScheduledEvent> events)
    {
        lock (_lock)
        {
            foreach (var scheduled in events.OrderBy(e => e.At))
            {
                _schedule.Enqueue(scheduled);
            }
        }
    }

    private void MapFeeds(WebApplication app)
    {
        app.MapGet("/repos/{owner}/{repo}/events", (HttpContext context, string owner, string repo) => ServeFeed(context, $"repos/{owner}/{repo}/events"));
        app.MapGet("/orgs/{org}/events", (HttpContext context, string org) => ServeFeed(context, $"orgs/{org}/events"));
    }

    // Under _lock: the scheduled events whose time has come go on top of their feeds.
    private void ReleaseScheduled()
    {
        var now = Time.GetUtcNow();
        while (_schedule.TryPeek(out var next) && next.At <= now)
        {
            _schedule.Dequeue();
            PushOnto($"repos/{next.Repo}/events", next.Json);
            if (next.Org is not null)
            {
                PushOnto($"orgs/{next.Org}/events", next.Json);
            }

            if (next.OnPublicFeed)
            {
                _events.Insert(0, next.Json);
            }
        }

        if (_events.Count > FeedLimit)
        {
            _events.RemoveRange(FeedLimit, _events.Count - FeedLimit);
        }
    }

    // Under _lock.
    private void ShownOnFeed(IEnumerable<string> shown, DateTimeOffset at)
    {
        foreach (var json in shown)
        {
            _firstShownOnFeeds.TryAdd(json, at);
        }
    }

    private void PushOnto(string feed, string json)
    {
        if (!_feeds.TryGetValue(feed, out var events))
        {
            _feeds[feed] = events = [];
        }

        events.Insert(0, json);
        if (events.Count > FeedLimit)
        {
            events.RemoveAt(FeedLimit);
        }
    }
}
