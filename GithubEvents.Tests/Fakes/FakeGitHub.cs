using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// The parts of api.github.com the pipeline uses, behaving as the recorded responses show: the public events
/// feed (at most 300 events, Link pagination, weak ETags answered with 304 at no quota, X-Poll-Interval; set by hand,
/// or moving at a steady rate on the fake's clock), repository and organisation feeds (<c>FakeGitHubFeeds.cs</c>),
/// user profiles, and the core rate limit (60 an hour anonymous, 5,000 with a token, 403 when spent); and the
/// GraphQL API as GitHub documents it for the profile lookups (aliased <c>repositoryOwner(login:)</c> and
/// <c>user(login:)</c>) and the restorations (repositories' commits and pull requests, <c>FakeGitHubObjects.cs</c>): <c>rateLimit</c>, a separate budget of 5,000 points an hour (resource <c>graphql</c>), 401
/// without a token, 200 with a RATE_LIMITED error when the points are spent.
/// </summary>
public sealed partial class FakeGitHub(TimeProvider? timeProvider = null) : FakeHttpServer(timeProvider)
{
    public const int FeedLimit = 300;

    private const string PublicFeed = "events";

    // Headers GitHub sends on every REST answer, taken from the recorded GET /events; the dynamic ones are made per request.
    private static readonly string[] DynamicHeaders =
    [
        "Date", "Status", "Transfer-Encoding", "Content-Encoding", "Content-Length", "ETag", "Last-Modified", "Link",
        "X-Poll-Interval", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-GitHub-Request-Id",
    ];

    private static readonly Lazy<RecordedExchange> EventsRecording = new(() => UpstreamFixtures.GitHubRecording("Github.testGetEvents.txt"));

    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly HashSet<string> _shown = [];
    private readonly Dictionary<string, string> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Identity, string Resource), RateLimitWindow> _rateLimits = [];
    private EventStream? _stream;
    private byte[]? _rawFeed;

    private (int Page, List<string> Events)? _publishBeforePage;
    private int _spentBudgetRefusals;

    /// <summary>The value of X-Poll-Interval, in seconds.</summary>
    public int PollIntervalSeconds { get; set; } = 60;

    public static FakeGitHub WithRecordedFixtures(TimeProvider? timeProvider = null)
    {
        var github = new FakeGitHub(timeProvider);
        github.SetEvents(JsonNode.Parse(EventsRecording.Value.Body)!.AsArray().Select(e => e!.ToJsonString()));
        github.AddUser(UpstreamFixtures.GitHubRecording("NamedUser.setUp.txt").Body);
        github.AddUser(UpstreamFixtures.GitHubRecording("Github.testGetUserById.txt").Body);
        return github;
    }

    /// <summary>Replaces the feed; events are raw JSON, newest first.</summary>
    public void SetEvents(IEnumerable<string> newestFirst)
    {
        lock (_lock)
        {
            _events.Clear();
            _events.AddRange(newestFirst.Take(FeedLimit));
        }
    }

    /// <summary>
    /// From now on the public feed answers with these bytes as its only page, whatever they are: an array that no JSON
    /// reader takes whole, bytes that are no UTF-8, as a broken upstream or proxy might serve them.
    /// </summary>
    public void ServeRawFeed(byte[] body) => Volatile.Write(ref _rawFeed, body);

    /// <summary>New activity: the events go on top of the feed and the oldest fall off its end.</summary>
    public void Publish(IEnumerable<string> newestFirst)
    {
        lock (_lock)
        {
            _events.InsertRange(0, newestFirst);
            if (_events.Count > FeedLimit)
            {
                _events.RemoveRange(FeedLimit, _events.Count - FeedLimit);
            }
        }
    }

    /// <summary>
    /// New activity between two requests of one poll: the events go on top of the public feed just before page
    /// <paramref name="page"/> is next answered, once.
    /// </summary>
    public void PublishBeforePage(int page, IEnumerable<string> newestFirst)
    {
        lock (_lock)
        {
            _publishBeforePage = (page, newestFirst.ToList());
        }
    }

    /// <summary>
    /// Activity at a steady rate from now on: event <c>i</c> (made by <paramref name="eventJson"/>) goes on top of the
    /// feed at <c>i / perSecond</c> seconds, as the fake's clock tells.
    /// </summary>
    public void ReleaseEvents(double perSecond, Func<long, string> eventJson)
    {
        lock (_lock)
        {
            _stream = new EventStream(Time.GetUtcNow(), perSecond, eventJson);
        }
    }

    /// <summary>Every event the public feed showed in an answer with events (200), as raw JSON.</summary>
    public IReadOnlyCollection<string> ShownOnPublicFeed
    {
        get
        {
            lock (_lock)
            {
                return [.. _shown];
            }
        }
    }

    /// <summary>How many events <see cref="ReleaseEvents"/> has put on the feed so far.</summary>
    public long ReleasedEvents
    {
        get
        {
            lock (_lock)
            {
                CatchUp();
                return _stream?.Released ?? 0;
            }
        }
    }

    /// <summary>Requests refused with 403 because the client's hourly budget was spent.</summary>
    public int SpentBudgetRefusals => Volatile.Read(ref _spentBudgetRefusals);

    public void AddUser(string userJson)
    {
        var login = JsonNode.Parse(userJson)!["login"]!.GetValue<string>();
        lock (_lock)
        {
            _users[login] = userJson;
        }
    }

    /// <summary>Spends the rest of a client's hourly budget, as if other requests had used it.</summary>
    public void ExhaustRateLimit(string? token = null) => SetRateLimitRemaining(0, token);

    /// <summary>Leaves <paramref name="remaining"/> requests of a client's hourly budget, as if others had spent the rest.</summary>
    public void SetRateLimitRemaining(int remaining, string? token = null, string resource = Core)
    {
        lock (_lock)
        {
            Window(token ?? Anonymous, resource).Remaining = remaining;
        }
    }

    /// <summary>GitHub's secondary rate limit: 403 with Retry-After.</summary>
    public static Fault SecondaryRateLimit(int retryAfterSeconds) => new(403,
        """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}""")
    {
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
    };

    private static void WriteRateLimit(HttpContext context, int limit, int remaining, DateTimeOffset reset, string resource)
    {
        context.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Used"] = (limit - remaining).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Resource"] = resource;
    }

    public static Fault ServerError(int status = 502) => new(status, """{"message":"Server Error"}""");

    protected override void MapEndpoints(WebApplication app)
    {
        app.MapGet("/events", (HttpContext context) => ServeFeed(context, PublicFeed));
        app.MapGet("/users/{login}", (HttpContext context, string login) => ServeUser(context, u => string.Equals(u.Login, login, StringComparison.OrdinalIgnoreCase)));
        app.MapGet("/user/{id:long}", (HttpContext context, long id) => ServeUser(context, u => u.Id == id));
        app.MapPost("/graphql", ServeGraphQLAsync);
        MapFeeds(app);
    }

    private const string Anonymous = "anonymous";
    private const string Core = "core";
    public const string GraphQL = "graphql";

    // The public feed ("events") and the repositories' and organisations' feeds alike.
    private async Task ServeFeed(HttpContext context, string feed)
    {
        var perPage = Math.Clamp(QueryInt(context, "per_page") ?? 30, 1, 100);
        var page = Math.Max(QueryInt(context, "page") ?? 1, 1);
        if ((page - 1) * perPage >= FeedLimit)
        {
            await Answer(context, 422, """{"message":"In order to keep the API fast for everyone, pagination is limited for this resource.","documentation_url":"https://docs.github.com/v3/#pagination","status":"422"}""", etag: null);
            return;
        }

        context.Response.Headers["X-Poll-Interval"] = PollIntervalSeconds.ToString(CultureInfo.InvariantCulture);
        if (feed == PublicFeed && Volatile.Read(ref _rawFeed) is { } raw)
        {
            await Answer(context, 200, raw, WeakETag(raw));
            return;
        }

        List<string> shown;
        int lastPage;
        DateTimeOffset at;
        lock (_lock)
        {
            CatchUp();
            at = Time.GetUtcNow();
            if (feed == PublicFeed && _publishBeforePage is { } before && before.Page == page)
            {
                _publishBeforePage = null;
                Publish(before.Events);
            }

            var events = feed == PublicFeed ? _events : _feeds.GetValueOrDefault(feed, []);
            lastPage = Math.Max(1, (int)Math.Ceiling(events.Count / (double)perPage));
            shown = events.Skip((page - 1) * perPage).Take(perPage).ToList();
        }

        var body = "[" + string.Join(",", shown) + "]";
        context.Response.Headers.Link = PageLinks(feed, perPage, page, lastPage);
        await Answer(context, 200, body, WeakETag(Encoding.UTF8.GetBytes(body)));
        if (context.Response.StatusCode == 200)
        {
            lock (_lock)
            {
                if (feed == PublicFeed)
                {
                    _shown.UnionWith(shown);
                }
                else
                {
                    ShownOnFeed(shown, at);
                }
            }
        }
    }

    private Task ServeUser(HttpContext context, Func<(string Login, long Id), bool> match)
    {
        string? user;
        lock (_lock)
        {
            user = _users.Values.FirstOrDefault(json =>
            {
                var node = JsonNode.Parse(json)!;
                return match((node["login"]!.GetValue<string>(), node["id"]!.GetValue<long>()));
            });
        }

        return user is null
            ? Answer(context, 404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/users/users#get-a-user","status":"404"}""", etag: null)
            : Answer(context, 200, user, WeakETag(Encoding.UTF8.GetBytes(user)));
    }

    private Task Answer(HttpContext context, int status, string body, string? etag) =>
        Answer(context, status, Encoding.UTF8.GetBytes(body), etag);

    // Every answer carries the rate-limit headers; a 304 to a matching If-None-Match costs nothing.
    private Task Answer(HttpContext context, int status, byte[] body, string? etag)
    {
        foreach (var (name, value) in EventsRecording.Value.ResponseHeaders.Where(h => !DynamicHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            context.Response.Headers[name] = value;
        }

        var identity = Identity(context);
        var notModified = etag is not null && context.Request.Headers.IfNoneMatch.ToString() == etag;
        int limit, remaining;
        DateTimeOffset reset;
        bool allowed;
        lock (_lock)
        {
            var window = Window(identity);
            allowed = notModified || window.Remaining > 0;
            if (allowed && !notModified)
            {
                window.Remaining--;
            }

            (limit, remaining, reset) = (window.Limit, window.Remaining, window.Reset);
        }

        WriteRateLimit(context, limit, remaining, reset, Core);

        if (!allowed)
        {
            Interlocked.Increment(ref _spentBudgetRefusals);
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync("""{"message":"API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}""");
        }

        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
        }

        if (notModified)
        {
            context.Response.StatusCode = 304;
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    // Budgets are per token ("Bearer x" and "token x" alike), or per address without one.
    private static string Identity(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization
            ? authorization[(authorization.IndexOf(' ') + 1)..]
            : Anonymous;

    private RateLimitWindow Window(string identity, string resource = Core)
    {
        var now = Time.GetUtcNow();
        if (!_rateLimits.TryGetValue((identity, resource), out var window) || now >= window.Reset)
        {
            var limit = identity == Anonymous ? 60 : 5000;
            window = new RateLimitWindow(limit, now.AddHours(1)) { Remaining = limit };
            _rateLimits[(identity, resource)] = window;
        }

        return window;
    }

    private string PageLinks(string feed, int perPage, int page, int lastPage)
    {
        string Link(int target, string rel) => $"<{new Uri(BaseAddress, $"{feed}?per_page={perPage}&page={target}")}>; rel=\"{rel}\"";
        var links = new List<string>();
        if (page > 1)
        {
            links.Add(Link(page - 1, "prev"));
        }

        if (page < lastPage)
        {
            links.Add(Link(page + 1, "next"));
            links.Add(Link(lastPage, "last"));
        }

        if (page > 1)
        {
            links.Add(Link(1, "first"));
        }

        return string.Join(", ", links);
    }

    private static int? QueryInt(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name], out var value) ? value : null;

    private static string WeakETag(byte[] body) =>
        $"W/\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"";

    // Under _lock: the events released since the last request go on top of the feed; only the newest 300 can show.
    private void CatchUp()
    {
        ReleaseScheduled();
        if (_stream is not { } stream)
        {
            return;
        }

        var due = (long)Math.Floor((Time.GetUtcNow() - stream.Start).TotalSeconds * stream.PerSecond);
        var from = Math.Max(stream.Released, due - FeedLimit);
        _events.InsertRange(0, Enumerable.Range(0, (int)(due - from)).Select(i => stream.EventJson(due - 1 - i)));
        if (_events.Count > FeedLimit)
        {
            _events.RemoveRange(FeedLimit, _events.Count - FeedLimit);
        }

        stream.Released = Math.Max(stream.Released, due);
    }

    private sealed class EventStream(DateTimeOffset start, double perSecond, Func<long, string> eventJson)
    {
        public DateTimeOffset Start { get; } = start;

        public double PerSecond { get; } = perSecond;

        public Func<long, string> EventJson { get; } = eventJson;

        public long Released { get; set; }
    }

    private sealed class RateLimitWindow(int limit, DateTimeOffset reset)
    {
        public int Limit { get; } = limit;

        public DateTimeOffset Reset { get; } = reset;

        public int Remaining { get; set; }
    }
}
