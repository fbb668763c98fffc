using System.Globalization;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.GitHub;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.GitHub;

/// <summary>
/// Polls the public events feed and publishes every event it has not seen (each poll a <see cref="FeedReader"/>'s);
/// when even page 3 was all new, events were missed (a gap).
/// Errors never end the loop: each has its wait, from <see cref="FeedPacing"/>. After every poll the minute's poll
/// figures so far (<see cref="PollTally"/>) go to the polls topic, for the database's capture view.
/// While Kafka holds back so many events that a poll's would not fit in the publisher's buffer, the poller does not poll:
/// it keeps its place (what it remembers of the feed) and records the minutes as undelivered, whose figures go out when
/// Kafka takes messages again. A poll never waits half-way, so it never loses what it read.
/// </summary>
public sealed partial class LivePoller(
    FeedReader reader,
    EventPublisher publisher,
    FeedPacing pacing,
    IOptions<GitHubOptions> options,
    IngestTelemetry telemetry,
    TimeProvider time,
    ILogger<LivePoller> logger) : BackgroundService
{
    private const int PollRoom = FeedReader.MaxPages * EventsFeedClient.PageSize;

    private static readonly TimeSpan RoomCheck = TimeSpan.FromSeconds(1);

    private readonly RecentEventIds _seen = new(options.Value.DedupWindow);

    private readonly PollTally _tally = new(PollTally.ProcessPoller);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(options.Value.ApiUrl, Pace(options.Value));
        try
        {
            while (true)
            {
                TimeSpan wait;
                try
                {
                    await WaitForRoomAsync(stoppingToken);
                    wait = await PollAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    wait = pacing.AfterFailure();
                    telemetry.PollFailed("exception");
                    LogPollFailed(ex, wait);
                }

                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The producer does not flush on dispose: what was fetched is delivered before the process ends, or counted.
            await publisher.DrainAtShutdownAsync();
        }
    }

    private async Task<TimeSpan> PollAsync(CancellationToken cancellationToken)
    {
        using var activity = IngestTelemetry.ActivitySource.StartActivity("poll GitHub events");
        _tally.PollStarted(time.GetUtcNow());
        // Before the first poll nothing is known, so an all-new feed is not a gap.
        var read = await reader.ReadAsync(PollFigures.PublicFeed, _seen, judgeMisses: _seen.Count > 0, _tally, mayRequest: null, answered: null, cancellationToken);
        var wait = read.Refused switch
        {
            { Outcome: FeedOutcome.RateLimited } refused => RateLimited(refused.RateLimit!.Value),
            { Outcome: FeedOutcome.SecondaryRateLimited } refused => SecondaryRateLimited(refused.RetryAfter),
            { } refused => Failed(refused),
            null => (TimeSpan?)null,
        };
        if (read.Missed)
        {
            telemetry.Gap();
            LogGap(FeedReader.MaxPages, EventsFeedClient.PageSize * FeedReader.MaxPages);
        }

        await reader.PublishAsync(read, EventSources.Live, _tally, cancellationToken);
        activity?.SetTag("github.events.new", read.Fresh.Count);
        activity?.SetTag("github.events.duplicates", read.Duplicates);
        activity?.SetTag("github.requests", read.Requests);
        LogPolled(read.Fresh.Count, read.Duplicates, read.Requests);
        return wait ?? pacing.AfterPoll(read.Last?.PollInterval, read.Last?.RateLimit, read.Requests);
    }

    private TimeSpan RateLimited(RateLimitStatus rateLimit)
    {
        var wait = pacing.AfterRateLimit(rateLimit);
        telemetry.PollFailed("rate_limited");
        LogRateLimited(rateLimit.Limit, rateLimit.Reset, wait);
        return wait;
    }

    private TimeSpan SecondaryRateLimited(TimeSpan? retryAfter)
    {
        var wait = pacing.AfterSecondaryLimit(retryAfter);
        telemetry.PollFailed("secondary_rate_limited");
        LogSecondaryRateLimited(retryAfter, wait);
        return wait;
    }

    private TimeSpan Failed(FeedPage response)
    {
        var wait = pacing.AfterFailure();
        telemetry.PollFailed(response.FailureType!);
        LogRequestFailed(response.FailureType!, response.FailureMessage!, wait);
        return wait;
    }

    // Minutes not polled are recorded as they begin; their figures wait, like everything else, for Kafka. Only the first
    // can hold polls: the minutes after it are alike and are made again at the end, so a pause of days holds two records.
    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (publisher.HasRoomFor(PollRoom))
        {
            return;
        }

        var since = time.GetUtcNow();
        LogPaused(publisher.Unacknowledged);
        PollFigures? first = null;
        var last = DateTimeOffset.MinValue;
        while (!publisher.HasRoomFor(PollRoom))
        {
            if (_tally.Undelivered(time.GetUtcNow()))
            {
                telemetry.UndeliveredMinute();
                var figures = _tally.Figures();
                first ??= figures;
                last = figures.Minute;
            }

            await Task.Delay(RoomCheck, time, cancellationToken);
        }

        var minutes = 0;
        if (first is not null)
        {
            await publisher.PublishPollFiguresAsync(first, cancellationToken);
            for (var minute = first.Minute.AddMinutes(1); minute <= last; minute = minute.AddMinutes(1))
            {
                await publisher.PublishPollFiguresAsync(_tally.UndeliveredMinute(minute), cancellationToken);
            }

            minutes = (int)((last - first.Minute) / TimeSpan.FromMinutes(1)) + 1;
        }

        LogResumed(time.GetUtcNow() - since, minutes);
    }

    private static string Pace(GitHubOptions options)
    {
        var share = options.BudgetShare.ToString("P0", CultureInfo.InvariantCulture);
        return options.PollInterval is { } fixedPace ? $"every {fixedPace.ToString("c", CultureInfo.InvariantCulture)}, within {share} of the hourly budget (GitHub:PollInterval)"
            : !options.HasToken ? "X-Poll-Interval (no GitHub:Token: 60 requests an hour)"
            : options.ObeyPollInterval ? "X-Poll-Interval (GitHub:ObeyPollInterval)"
            : $"the budget: {share} of the hourly limit spread until each reset (GitHub:BudgetShare)";
    }

    [LoggerMessage(LogLevel.Information, "Polling the events feed of {ApiUrl} at the pace of {Pace}")]
    private partial void LogStarting(Uri apiUrl, string pace);

    [LoggerMessage(LogLevel.Debug, "Polled: {New} new events, {Duplicates} duplicates, {Requests} requests")]
    private partial void LogPolled(int @new, int duplicates, int requests);

    [LoggerMessage(LogLevel.Warning, "Events were missed: every event on all {Pages} pages ({Events} events) was new since the last poll")]
    private partial void LogGap(int pages, int events);

    [LoggerMessage(LogLevel.Warning, "GitHub's rate limit of {Limit} requests an hour is spent; waiting {Wait} until it resets at {Reset}")]
    private partial void LogRateLimited(int limit, DateTimeOffset reset, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "GitHub's secondary rate limit answered (Retry-After: {RetryAfter}); waiting {Wait}")]
    private partial void LogSecondaryRateLimited(TimeSpan? retryAfter, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "The events request failed ({FailureType}: {Message}); retrying in {Wait}")]
    private partial void LogRequestFailed(string failureType, string message, TimeSpan wait);

    [LoggerMessage(LogLevel.Error, "A poll failed; retrying in {Wait}")]
    private partial void LogPollFailed(Exception exception, TimeSpan wait);

    [LoggerMessage(LogLevel.Error, "Polling paused: Kafka holds back {Unacknowledged} messages, and a poll's events would not fit in the buffer (Kafka:Publishing:BufferSize); the minutes not polled are recorded as undelivered")]
    private partial void LogPaused(int unacknowledged);

    [LoggerMessage(LogLevel.Warning, "Polling resumed after {Paused}: Kafka takes messages again; {Minutes} minute(s) recorded as undelivered")]
    private partial void LogResumed(TimeSpan paused, int minutes);
}
