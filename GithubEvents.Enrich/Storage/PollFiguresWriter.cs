using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Stores Ingest's poll figures: the public feed's in <c>ingest_polls</c> (one row per minute and poller), the watched
/// feeds' in <c>watch_polls</c> (one per minute, poller and feed). Each message holds the minute's counts so far, which
/// only grow: the larger of the stored and the new count wins, so that a message redelivered or taken out of order
/// changes nothing. A minute once undelivered stays so.
/// </summary>
public sealed class PollFiguresWriter(WriterDataSource writer, IOptions<StorageOptions> options)
{
    private const string Counts = "polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls, dead_letters";

    private const string Greatest =
        """
        polls = greatest(p.polls, excluded.polls), requests = greatest(p.requests, excluded.requests),
        ok = greatest(p.ok, excluded.ok), not_modified = greatest(p.not_modified, excluded.not_modified),
        failed = greatest(p.failed, excluded.failed), events_returned = greatest(p.events_returned, excluded.events_returned),
        new_events = greatest(p.new_events, excluded.new_events), missed_polls = greatest(p.missed_polls, excluded.missed_polls),
        dead_letters = greatest(p.dead_letters, excluded.dead_letters)
        """;

    private const string PublicUpsert =
        $"""
         INSERT INTO ingest_polls AS p (minute, poller, {Counts}, undelivered)
         SELECT * FROM unnest(@minute, @poller, @polls, @requests, @ok, @not_modified, @failed, @events_returned, @new_events, @missed_polls, @dead_letters, @undelivered)
         ON CONFLICT (minute, poller) DO UPDATE SET {Greatest}, undelivered = p.undelivered OR excluded.undelivered
         """;

    private const string WatchedUpsert =
        $"""
         INSERT INTO watch_polls AS p (minute, poller, feed, {Counts})
         SELECT * FROM unnest(@minute, @poller, @feed, @polls, @requests, @ok, @not_modified, @failed, @events_returned, @new_events, @missed_polls, @dead_letters)
         ON CONFLICT (minute, poller, feed) DO UPDATE SET {Greatest}
         """;

    public async Task WriteAsync(IReadOnlyCollection<PollFigures> figures, CancellationToken cancellationToken)
    {
        // One row per key in a statement: the latest figures of each.
        var latest = figures.GroupBy(f => (f.Minute, f.Poller, f.Feed)).Select(g => g.MaxBy(f => f.Requests)! with { Undelivered = g.Any(f => f.Undelivered) }).ToLookup(f => f.Feed == PollFigures.PublicFeed);
        await UpsertAsync(PublicUpsert, [.. latest[true]], withFeed: false, cancellationToken);
        await UpsertAsync(WatchedUpsert, [.. latest[false]], withFeed: true, cancellationToken);
    }

    private async Task UpsertAsync(string sql, IReadOnlyList<PollFigures> rows, bool withFeed, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = writer.DataSource.CreateCommand(sql);
        command.CommandTimeout = options.Value.WriteTimeoutSeconds;
        var parameters = command.Parameters;
        parameters.Add(new("minute", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(f => f.Minute.UtcDateTime).ToArray() });
        parameters.Add(new("poller", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(f => f.Poller).ToArray() });
        if (withFeed)
        {
            parameters.Add(new("feed", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(f => f.Feed).ToArray() });
        }
        else
        {
            parameters.Add(new("undelivered", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = rows.Select(f => f.Undelivered).ToArray() });
        }

        Add("polls", f => f.Polls);
        Add("requests", f => f.Requests);
        Add("ok", f => f.Ok);
        Add("not_modified", f => f.NotModified);
        Add("failed", f => f.Failed);
        Add("events_returned", f => f.EventsReturned);
        Add("new_events", f => f.NewEvents);
        Add("missed_polls", f => f.MissedPolls);
        Add("dead_letters", f => f.DeadLetters);
        await command.ExecuteNonQueryAsync(cancellationToken);

        void Add(string name, Func<PollFigures, int> count) =>
            parameters.Add(new(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(count).ToArray() });
    }
}
