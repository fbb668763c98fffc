using GithubEvents.Ingest.GitHub;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// Polls the feeds of the watched repositories and organisations (<see cref="WatchOptions"/>), one request at a time,
/// each feed when it is due (<see cref="WatchedFeed"/>) and within the watch's budget (<see cref="WatchBudget"/>),
/// and publishes their new events with source <c>watch</c>. Each poll is a <see cref="FeedReader"/>'s, as the live
/// poller's: a known feed whose three pages were all new turned over between two polls, a miss for that feed. A change of the watch list takes effect at once, without a restart; an invalid one is
/// refused with its reason and the list in force stays.
/// </summary>
public sealed partial class WatchPoller(
    FeedReader reader,
    WatchBudget budget,
    IOptionsMonitor<WatchOptions> options,
    WatchOptionsValidation validation,
    IngestTelemetry telemetry,
    TimeProvider time,
    ILogger<WatchPoller> logger) : BackgroundService
{
    private readonly Dictionary<string, WatchedFeed> _feeds = new(StringComparer.OrdinalIgnoreCase);
    private WatchOptions _settings = new();
    private CancellationTokenSource _changed = new();

    /// <summary>Stops Ingest at start-up on watch settings that cannot work, with a message naming each.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (validation.Validate(options.CurrentValue) is { Failed: true } result)
        {
            throw new OptionsValidationException(WatchOptions.SectionName, typeof(WatchOptions), result.Failures);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = options.OnChange(_ => Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel());
        var changed = Volatile.Read(ref _changed).Token;
        Apply();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (changed.IsCancellationRequested)
                {
                    // Read before the settings, so that a change while they are applied is seen by the next turn.
                    changed = Volatile.Read(ref _changed).Token;
                    Apply();
                }

                var next = _feeds.Values.MinBy(f => f.Due);
                var now = time.GetUtcNow();
                if (next is null)
                {
                    // Nothing watched: until the list changes.
                    await WaitAsync(Timeout.InfiniteTimeSpan, changed, stoppingToken);
                    continue;
                }

                var at = Later(next.Due, budget.NotBefore);
                if (at > now)
                {
                    await WaitAsync(at - now, changed, stoppingToken);
                    continue;
                }

                try
                {
                    await PollAsync(next, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    next.Deferred(time.GetUtcNow() + Backoff(next));
                    telemetry.PollFailed("exception");
                    LogPollFailed(ex, next.Target.Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The settings are read again after every change; an invalid change keeps the list in force.
    private void Apply()
    {
        var settings = options.CurrentValue;
        if (validation.Validate(settings) is { Failed: true } result)
        {
            LogInvalidChange(string.Join(" ", result.Failures!));
            return;
        }

        _settings = settings;
        var targets = settings.Targets();
        budget.Configure(targets.Count > 0 ? settings.BudgetShare : 0);
        foreach (var gone in _feeds.Keys.Except(targets.Select(t => t.Feed), StringComparer.OrdinalIgnoreCase).ToList())
        {
            _feeds.Remove(gone);
        }

        // The first polls spread over the idle pace: each feed keeps its place in it, so the polls never come in one burst.
        var added = targets.Where(t => !_feeds.ContainsKey(t.Feed)).ToList();
        for (var i = 0; i < added.Count; i++)
        {
            _feeds[added[i].Feed] = new WatchedFeed(added[i], time.GetUtcNow() + (settings.MaximumInterval * i / added.Count));
        }

        if (targets.Count == 0)
        {
            LogNothingWatched();
        }
        else
        {
            LogWatching(targets.Count, string.Join(", ", targets.Select(t => t.Name)), settings.BudgetShare);
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken changed, CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(changed, stoppingToken);
        try
        {
            // In whole milliseconds, rounded up: a timer's are, and a wait cut short would come round as a wait of nothing.
            await (wait == Timeout.InfiniteTimeSpan
                ? Task.Delay(wait, either.Token)
                : Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, either.Token));
        }
        catch (OperationCanceledException) when (changed.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The watch list changed: the loop applies it.
        }
    }

    private async Task PollAsync(WatchedFeed watched, CancellationToken cancellationToken)
    {
        using var activity = IngestTelemetry.ActivitySource.StartActivity("poll a watched feed");
        activity?.SetTag("github.feed", watched.Target.Feed);
        var started = time.GetUtcNow();
        watched.Tally.PollStarted(started);
        var read = await reader.ReadAsync(
            watched.Target.Feed,
            watched.Seen,
            judgeMisses: watched.Known,
            watched.Tally,
            budget.CanSpend,
            response => budget.Answered(response.RateLimit, costly: response.Outcome != FeedOutcome.NotModified),
            cancellationToken);
        if (read.Missed)
        {
            telemetry.WatchMissed(watched.Target.Feed);
            LogMissed(watched.Target.Name, EventsFeedClient.PageSize * FeedReader.MaxPages);
        }

        await reader.PublishAsync(read, EventSources.Watch, watched.Tally, cancellationToken);
        if (read.Requests == 0)
        {
            // The budget allowed no request: the feed waits for it.
            watched.Deferred(budget.NotBefore);
        }
        else if (read.Refused is { } refused)
        {
            watched.Deferred(Deferral(watched, refused));
        }
        else
        {
            // From the poll's start, so that the time a poll takes does not stretch the pace.
            var interval = watched.Polled(started, read.Fresh, answeredEvents: read.Last!.Outcome == FeedOutcome.Events, read.Missed, read.Last.PollInterval, _settings);
            LogPolled(watched.Target.Name, read.Fresh.Count, interval);
        }
    }

    // A limit or a failure: when to ask this feed again.
    private DateTimeOffset Deferral(WatchedFeed watched, FeedPage refused)
    {
        var now = time.GetUtcNow();
        switch (refused.Outcome)
        {
            case FeedOutcome.RateLimited:
                telemetry.PollFailed("rate_limited");
                return Later(refused.RateLimit!.Value.Reset + GitHubApi.ResetMargin, now + GitHubApi.FailureMinimum);
            case FeedOutcome.SecondaryRateLimited:
                telemetry.PollFailed("secondary_rate_limited");
                return now + (refused.RetryAfter ?? GitHubApi.SecondaryLimitMinimum);
            default:
                var wait = Backoff(watched);
                telemetry.PollFailed(refused.FailureType!);
                LogRequestFailed(watched.Target.Name, refused.FailureType!, refused.FailureMessage!, wait);
                return now + wait;
        }
    }

    // A feed that keeps failing (a repository renamed or made private answers 404) costs a request of the share each
    // time: it is asked less and less often, up to every five minutes, however short the idle pace.
    private static TimeSpan Backoff(WatchedFeed watched) =>
        Retries.Exponential(GitHubApi.FailureMinimum, GitHubApi.FailureMaximum, watched.Failed());

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(LogLevel.Information, "Watching {Count} feeds ({Targets}) within {Share} of the hourly budget (GitHub:Watch)")]
    private partial void LogWatching(int count, string targets, double share);

    [LoggerMessage(LogLevel.Information, "No feeds watched: GitHub:Watch:Repositories and GitHub:Watch:Organizations may name some, without a restart")]
    private partial void LogNothingWatched();

    [LoggerMessage(LogLevel.Error, "The changed watch list was refused, the one in force stays: {Reasons}")]
    private partial void LogInvalidChange(string reasons);

    [LoggerMessage(LogLevel.Debug, "Polled the feed of {Target}: {New} new events; next in {Interval}")]
    private partial void LogPolled(string target, int @new, TimeSpan interval);

    [LoggerMessage(LogLevel.Warning, "Events of {Target} were missed: its feed's {Events} events were all new since the last poll")]
    private partial void LogMissed(string target, int events);

    [LoggerMessage(LogLevel.Warning, "The feed of {Target} failed ({FailureType}: {Message}); retrying in {Wait}")]
    private partial void LogRequestFailed(string target, string failureType, string message, TimeSpan wait);

    [LoggerMessage(LogLevel.Error, "A poll of the feed of {Target} failed")]
    private partial void LogPollFailed(Exception exception, string target);
}
