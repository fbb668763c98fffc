using GithubEvents.Ingest.Events;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Ingest.GitHub;

/// <summary>
/// One poll of an events feed, for the live and the watch poller alike: page 1, then 2 and 3 only while every event on
/// the page just read was new to the earlier polls (when even page 3 was, events were missed); elements that are no
/// events, and the stretches of a broken page that are no elements, go to the dead-letter topic, each with the feed,
/// page and time of the poll, its place among them and its byte offset. The new events are then published oldest first,
/// with the poller's figures for the minute.
/// </summary>
public sealed class FeedReader(EventsFeedClient feed, EventPublisher publisher, IngestTelemetry telemetry, TimeProvider time)
{
    public const int MaxPages = 3;

    /// <param name="path">The feed's path, e.g. <see cref="PollFigures.PublicFeed"/>.</param>
    /// <param name="seen">The poller's memory of the feed's events; the new ones join it.</param>
    /// <param name="judgeMisses">False before the feed was ever read, when an all-new feed is no miss.</param>
    /// <param name="mayRequest">Asked before each request (a budget); null: every request may go.</param>
    /// <param name="answered">Told of each answer before it is read.</param>
    public async Task<FeedRead> ReadAsync(
        string path,
        RecentEventIds seen,
        bool judgeMisses,
        PollTally tally,
        Func<bool>? mayRequest,
        Action<FeedPage>? answered,
        CancellationToken cancellationToken)
    {
        var fresh = new List<RawEvent>();
        var freshIds = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        var requests = 0;
        var missed = false;
        FeedPage? last = null;
        var polled = time.GetUtcNow();
        for (var page = 1; page <= MaxPages && mayRequest?.Invoke() != false; page++)
        {
            last = await feed.GetPageAsync(path, page, cancellationToken);
            requests++;
            tally.Answered(last);
            answered?.Invoke(last);
            if (last.Outcome != FeedOutcome.Events)
            {
                if (last.Outcome == FeedOutcome.NotModified)
                {
                    telemetry.RequestAnswered(0);
                }

                break;
            }

            var freshBefore = fresh.Count;
            var seenBefore = 0;
            foreach (var rawEvent in last.Events)
            {
                var id = rawEvent.Fields.Id;
                if (seen.Add(id))
                {
                    fresh.Add(rawEvent);
                    freshIds.Add(id);
                }
                else
                {
                    duplicates++;
                    seenBefore += freshIds.Contains(id) ? 0 : 1;
                }
            }

            // The feed moves between two requests: a page may repeat the last events of the page before it, which says
            // nothing about reaching what earlier polls saw. Only those do.
            var allNew = seenBefore == 0;
            telemetry.RequestAnswered(fresh.Count - freshBefore);
            var source = $"{path} page {page}, polled {polled:O}";
            for (var i = 0; i < last.Rejected.Count; i++)
            {
                var piece = last.Rejected[i];
                await publisher.DeadLetterBytesAsync(piece.Bytes, piece.Bytes.Length, piece.Reason, source, i + 1, piece.Offset, cancellationToken);
            }

            tally.DeadLettered(last.Rejected.Count);

            missed = allNew && page == MaxPages && judgeMisses && (last.HasNextPage || last.Events.Count == EventsFeedClient.PageSize);
            if (!allNew || !last.HasNextPage)
            {
                break;
            }
        }

        if (duplicates > 0)
        {
            telemetry.Duplicates(duplicates);
        }

        return new FeedRead(fresh, duplicates, requests, last, missed);
    }

    /// <summary>The new events, oldest first so that the topic holds each actor's events in the order they happened; then the figures.</summary>
    public async Task PublishAsync(FeedRead read, string source, PollTally tally, CancellationToken cancellationToken)
    {
        for (var i = read.Fresh.Count - 1; i >= 0; i--)
        {
            await publisher.PublishAsync(read.Fresh[i], source, cancellationToken);
        }

        tally.Polled(read.Fresh.Count, read.Missed);
        await publisher.PublishPollFiguresAsync(tally.Figures(), cancellationToken);
    }
}
