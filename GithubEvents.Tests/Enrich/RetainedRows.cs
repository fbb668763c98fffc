using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Per storage path, a database with rows of every relation on both sides of its retention, after the product's
/// maintenance has run: events kept <see cref="EventsKept"/>, the aggregates <see cref="AggregatesKept"/>, the poll tables
/// <see cref="PollsKept"/>, restored objects <see cref="RestoredKept"/>. Enrich's maintenance runs as the writer role, as in
/// a deployment: its retention deletes through the owner's functions alone.
/// </summary>
public sealed class RetainedRows(PostgresServer server) : IAsyncLifetime
{
    public static readonly TimeSpan EventsKept = TimeSpan.FromDays(2);
    public static readonly TimeSpan AggregatesKept = TimeSpan.FromDays(4);
    public static readonly TimeSpan PollsKept = TimeSpan.FromDays(30);
    public static readonly TimeSpan RestoredKept = TimeSpan.FromDays(3);

    private readonly Dictionary<SchemaFlavor, Task<EventDatabase>> _databases = [];
    private readonly Lock _lock = new();

    /// <summary>Skips the test when the path is TimescaleDB and the server lacks it.</summary>
    internal Task<EventDatabase> OnAsync(SchemaFlavor path)
    {
        lock (_lock)
        {
            if (!_databases.TryGetValue(path, out var database))
            {
                database = CreateAsync(path);
                _databases[path] = database;
            }

            return database;
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values.Where(database => database.IsCompletedSuccessfully))
        {
            await database.Result.DisposeAsync();
        }
    }

    private async Task<EventDatabase> CreateAsync(SchemaFlavor path)
    {
        var storage = EventDatabase.Options(path);
        storage.Retention = EventsKept;
        var retention = new RetentionOptions
        {
            EventStats1m = AggregatesKept, EventStats5m = AggregatesKept, CountryStats5m = AggregatesKept, CaptureStats5m = AggregatesKept,
            WatchStats5m = AggregatesKept, ActorStats1h = AggregatesKept, RepoStats1h = AggregatesKept, Polls = PollsKept, RestoredObjects = RestoredKept,
        };
        var roles = new DatabaseOptions { WriterRole = $"writer_{Guid.NewGuid():N}"[..20], WriterPassword = "retention writer" };
        var database = await EventDatabase.OpenAsync(await EventDatabase.CreateEmptyAsync(server, path), storage, roles, retention);
        // The jobs run when this test says, not when TimescaleDB's scheduler does: the events' retention would otherwise
        // drop the older events before the aggregates held them.
        await database.HoldJobsAsync();

        // Events of every aggregate (watched, from a country) five days ago (past the aggregates' retention), three days
        // ago (past the events' only) and an hour ago; the actors, their places, the backlog, the polls and GitHub's answers
        // on both sides of theirs. 'named' has an old profile but an event within the retention; 'gone' has neither.
        await Sql.ExecuteAsync(database.ConnectionString,
            """
            INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, country, country_code, payload, envelope, sources)
            VALUES (now() - INTERVAL '5 days', 1, 'PushEvent', 'gone', 1, 'octo/old', 'pushed', 'Germany', 'DE', '{}', '{}', 7),
                   (now() - INTERVAL '3 days', 2, 'PushEvent', 'gone', 1, 'octo/old', 'pushed', 'Germany', 'DE', '{}', '{}', 7),
                   (now() - INTERVAL '1 hour', 3, 'PushEvent', 'named', 2, 'octo/new', 'pushed', 'Germany', 'DE', '{}', '{}', 7);
            INSERT INTO actors (id, login, location_key, fetched_at)
            VALUES (1, 'gone', 'lost', now() - INTERVAL '3 days'), (2, 'named', 'kept', now() - INTERVAL '3 days'),
                   (3, 'fresh', NULL, now() - INTERVAL '1 day');
            INSERT INTO locations (key, provider, resolved_at)
            VALUES ('lost', 'gazetteer', now() - INTERVAL '3 days'), ('kept', 'gazetteer', now() - INTERVAL '3 days'),
                   ('new', 'gazetteer', now() - INTERVAL '1 day');
            INSERT INTO actor_backlog (actor_id, login, first_time, last_time)
            VALUES (1, 'gone', now() - INTERVAL '4 days', now() - INTERVAL '3 days'), (2, 'named', now() - INTERVAL '1 day', now() - INTERVAL '1 day');
            INSERT INTO ingest_polls (minute, poller, polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls)
            VALUES (date_trunc('minute', now() - INTERVAL '40 days'), 'p', 1, 3, 3, 0, 0, 300, 100, 0),
                   (date_trunc('minute', now() - INTERVAL '1 day'), 'p', 1, 3, 3, 0, 0, 300, 100, 0);
            INSERT INTO watch_polls (minute, poller, polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls, feed)
            VALUES (date_trunc('minute', now() - INTERVAL '40 days'), 'p', 1, 1, 1, 0, 0, 30, 10, 0, 'repos/octo/new/events'),
                   (date_trunc('minute', now() - INTERVAL '1 day'), 'p', 1, 1, 1, 0, 0, 30, 10, 0, 'repos/octo/new/events');
            INSERT INTO pipeline_minutes (minute, consumer, batches, messages, write_seconds, dead_letters, dead_letters_by_reason, lag_messages,
                                          lag_seconds, lag_by_partition)
            VALUES (date_trunc('minute', now() - INTERVAL '40 days'), 'enrich-0', 1, 10, 0.1, 0, '{}', 0, 0, '[]'),
                   (date_trunc('minute', now() - INTERVAL '1 day'), 'enrich-0', 1, 10, 0.1, 0, '{}', 0, 0, '[]');
            INSERT INTO kafka_gaps (topic, partition, from_offset, to_offset, after_time)
            VALUES ('github.events.raw', 0, 10, 20, now() - INTERVAL '40 days'), ('github.events.raw', 0, 30, 40, now() - INTERVAL '1 day');
            INSERT INTO restored_objects (repo, kind, key, value, fetched_at)
            VALUES ('octo/new', 'commit', 'old', NULL, now() - INTERVAL '4 days'), ('octo/new', 'commit', 'new', NULL, now() - INTERVAL '1 day');
            """);

        // The aggregates hold the older events as their refreshes did while those were new; then two turns of the
        // maintenance: the second refreshes after the events' retention has run.
        await database.RefreshAggregatesAsync();
        await database.RunMaintenanceAsync();
        await database.RunMaintenanceAsync();
        return database;
    }
}
