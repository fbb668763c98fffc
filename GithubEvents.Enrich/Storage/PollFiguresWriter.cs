using GithubEvents.ServiceDefaults.Kafka;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Stores Ingest's poll figures in <c>ingest_polls</c>, one row per minute and poller. Each message holds the minute's
/// counts so far, which only grow: the larger of the stored and the new count wins, so that a message redelivered or
/// taken out of order changes nothing.
/// </summary>
public sealed class PollFiguresWriter(WriterDataSource writer)
{
    private const string Upsert =
        """
        INSERT INTO ingest_polls AS p (minute, poller, polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls)
        SELECT * FROM unnest(@minute, @poller, @polls, @requests, @ok, @not_modified, @failed, @events_returned, @new_events, @missed_polls)
        ON CONFLICT (minute, poller) DO UPDATE SET
            polls = greatest(p.polls, excluded.polls), requests = greatest(p.requests, excluded.requests),
            ok = greatest(p.ok, excluded.ok), not_modified = greatest(p.not_modified, excluded.not_modified),
            failed = greatest(p.failed, excluded.failed), events_returned = greatest(p.events_returned, excluded.events_returned),
            new_events = greatest(p.new_events, excluded.new_events), missed_polls = greatest(p.missed_polls, excluded.missed_polls)
        """;

    public async Task WriteAsync(IReadOnlyCollection<PollFigures> figures, CancellationToken cancellationToken)
    {
        if (figures.Count == 0)
        {
            return;
        }

        // One row per minute and poller in the statement: the latest figures of each.
        var latest = figures.GroupBy(f => (f.Minute, f.Poller)).Select(g => g.MaxBy(f => f.Requests)!).ToList();
        await using var command = writer.DataSource.CreateCommand(Upsert);
        var parameters = command.Parameters;
        parameters.Add(new("minute", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = latest.Select(f => f.Minute.UtcDateTime).ToArray() });
        parameters.Add(new("poller", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = latest.Select(f => f.Poller).ToArray() });
        Add("polls", f => f.Polls);
        Add("requests", f => f.Requests);
        Add("ok", f => f.Ok);
        Add("not_modified", f => f.NotModified);
        Add("failed", f => f.Failed);
        Add("events_returned", f => f.EventsReturned);
        Add("new_events", f => f.NewEvents);
        Add("missed_polls", f => f.MissedPolls);
        await command.ExecuteNonQueryAsync(cancellationToken);

        void Add(string name, Func<PollFigures, int> count) =>
            parameters.Add(new(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = latest.Select(count).ToArray() });
    }
}
