using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Known events, written through the write path and enriched as the enrichment would, against the exact answers of
/// every view, aggregate and README query, on both storage paths; before and after the aggregates are materialised (the
/// 24 hours' rankings are there from the first refresh on).
/// </summary>
public sealed class StorageQueryTests(PostgresServer postgres)
{
    private sealed record Known(long Id, string Type, TimeSpan Ago, string Actor, long ActorId, string Repo, string? Country, string? Code, string? Company, string? CommitMessage = null);

    private static readonly Known[] Events =
    [
        new(1, "PushEvent", TimeSpan.FromMinutes(5), "alice", 1, "octo/one", "Germany", "DE", "ACME", "Fix the build"),
        new(2, "PushEvent", TimeSpan.FromMinutes(6), "alice", 1, "octo/one", "Germany", "DE", "ACME", "Add tests"),
        new(3, "IssuesEvent", TimeSpan.FromMinutes(7), "bob", 2, "octo/one", "Germany", "DE", null),
        new(4, "WatchEvent", TimeSpan.FromMinutes(8), "carol", 3, "octo/two", "France", "FR", null),
        new(5, "PushEvent", TimeSpan.FromMinutes(10), "alice", 1, "octo/three", "Germany", "DE", "ACME"),
        new(6, "CreateEvent", TimeSpan.FromMinutes(45), "dave", 5, "octo/four", "France", "FR", null),
        new(7, "PushEvent", TimeSpan.FromHours(3), "dependabot[bot]", 4, "octo/two", null, null, null, "Bump lodash"),
        new(8, "ForkEvent", TimeSpan.FromHours(23), "bob", 2, "octo/three", "Germany", "DE", null),
        new(9, "PushEvent", TimeSpan.FromHours(26), "alice", 1, "octo/one", "Germany", "DE", "ACME", "Old commit"),
    ];

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Every_view_aggregate_and_README_query_gives_the_exact_answer(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        if (path == SchemaFlavor.TimescaleDb)
        {
            // The ranking job's first run starts at once: held, so that the rankings stay as they were before any events.
            await Sql.ExecuteAsync(database.ConnectionString,
                "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE proc_name = 'refresh_top_24h_job'");
        }

        var now = await WriteKnownEventsAsync(database);

        await AssertAnswersAsync(database, now, ranked: false);

        await database.RefreshAggregatesAsync();
        await AssertAnswersAsync(database, now, ranked: true);
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_late_event_in_a_materialised_hour_reaches_the_aggregates_at_the_next_refresh(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var now = await WriteKnownEventsAsync(database);
        await database.RefreshAggregatesAsync();
        var lateTime = now - TimeSpan.FromHours(23);

        await database.Writer.WriteAsync([Row(new Known(10, "ForkEvent", TimeSpan.FromHours(23), "erin", 6, "octo/five", null, null, null), now)],
            TestContext.Current.CancellationToken);
        await database.RefreshAggregatesAsync();

        var bucket = Floor(lateTime, TimeSpan.FromMinutes(5));
        var forks = await Sql.RowsAsync(database.ConnectionString, $"SELECT event_count FROM event_stats_5m WHERE bucket = '{bucket:O}' AND event_type = 'ForkEvent'");
        Assert.Equal([[2L]], forks);
        var erin = await Sql.RowsAsync(database.ConnectionString, "SELECT sum(event_count) FROM actor_stats_1h WHERE actor = 'erin'");
        Assert.Equal([[1m]], erin);
        Assert.Equal([[1L]], await Sql.RowsAsync(database.ConnectionString, "SELECT event_count FROM repo_stats_1h WHERE repo = 'octo/five'"));
        Assert.Equal([["octo/five", 1L, 1L]], await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_top_repos_24h WHERE repo = 'octo/five'"));
        // The minute of the late fork already had one (event 8).
        Assert.Equal([[2L]], await Sql.RowsAsync(database.ConnectionString,
            $"SELECT event_count FROM event_stats_1m WHERE bucket = '{Floor(lateTime, TimeSpan.FromMinutes(1)):O}' AND event_type = 'ForkEvent'"));
    }

    private async Task<DateTime> WriteKnownEventsAsync(EventDatabase database)
    {
        var now = DateTime.UtcNow;
        // Ages are whole minutes back from a minute boundary, so no event sits on a bucket edge by accident.
        now = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 30, DateTimeKind.Utc);
        var inserted = (await database.Writer.WriteAsync(Events.Select(known => Row(known, now)).ToList(), TestContext.Current.CancellationToken)).Inserted;
        Assert.Equal(Events.Length, inserted);

        // What the enrichment fills in later, per actor.
        foreach (var known in Events.Where(known => known.Country is not null || known.Company is not null).DistinctBy(known => known.Actor))
        {
            await using var update = database.DataSource.CreateCommand(
                "UPDATE events SET country = @country, country_code = @code, company = @company WHERE actor = @actor");
            update.Parameters.AddWithValue("country", (object?)known.Country ?? DBNull.Value);
            update.Parameters.AddWithValue("code", (object?)known.Code ?? DBNull.Value);
            update.Parameters.AddWithValue("company", (object?)known.Company ?? DBNull.Value);
            update.Parameters.AddWithValue("actor", known.Actor);
            await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return now;
    }

    private static byte[] Json(Known known, DateTime now)
    {
        var payload = known.Type == "PushEvent"
            ? known.CommitMessage is null ? TestEvents.TrimmedPush("main") : TestEvents.FullPush("main", known.CommitMessage)
            : null;
        return TestEvents.Event(known.Id, known.Type, now - known.Ago, known.Actor, known.ActorId, known.Repo, payload);
    }

    private static EventRow Row(Known known, DateTime now) =>
        GitHubEventParser.TryParse(Json(known, now), out var row, out var rejection) ? row : throw new InvalidOperationException(rejection);

    private static async Task AssertAnswersAsync(EventDatabase database, DateTime now, bool ranked)
    {
        var within30Minutes = Events.Where(known => known.Ago <= TimeSpan.FromMinutes(30));
        var within24Hours = Events.Where(known => known.Ago <= TimeSpan.FromHours(24)).ToList();

        // README: SELECT * FROM v_event_rate_1m;
        var expectedRate = within30Minutes
            .GroupBy(known => (Minute: Floor(now - known.Ago, TimeSpan.FromMinutes(1)), known.Type))
            .Select(group => new object?[] { group.Key.Minute, group.Key.Type, (long)group.Count() })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string)row[1]!);
        Assert.Equal(expectedRate, await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_event_rate_1m ORDER BY minute, event_type"));

        if (ranked)
        {
            // README: SELECT country, events FROM v_top_countries_24h LIMIT 10;
            Assert.Equal([["Germany", 5L], ["France", 2L]], await Sql.RowsAsync(database.ConnectionString, "SELECT country, events FROM v_top_countries_24h LIMIT 10"));
            Assert.Equal([["Germany", "DE", 5L, 2L], ["France", "FR", 2L, 2L]], await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_top_countries_24h"));

            Assert.Equal(
                [["octo/one", 3L, 2L], ["octo/three", 2L, 2L], ["octo/two", 2L, 2L], ["octo/four", 1L, 1L]],
                await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_top_repos_24h"));

            // README: SELECT actor, events FROM v_top_actors_24h LIMIT 10; the event 26 hours ago is outside the hourly buckets.
            var top = await Sql.RowsAsync(database.ConnectionString, "SELECT actor, country, company, events FROM v_top_actors_24h LIMIT 10");
            Assert.Equal([["alice", "Germany", "ACME", 3L], ["bob", "Germany", null, 2L]], top.Take(2));
            // The three with one event each tie, and rank by login.
            Assert.Equal(["carol", "dave", "dependabot[bot]"], top.Skip(2).Select(row => (string)row[0]!));
            Assert.Equal([["alice", 3L], ["bob", 2L], ["carol", 1L], ["dave", 1L]], await Sql.RowsAsync(database.ConnectionString,
                "SELECT actor, events FROM top_actors_24h WHERE NOT include_bots ORDER BY rank"));
        }
        else
        {
            Assert.Empty(await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_top_repos_24h"));
        }

        var recent = await Sql.RowsAsync(database.ConnectionString, "SELECT time, event_type, actor, repo, detail, country, company, public_repos FROM v_recent_events LIMIT 3");
        Assert.Equal(
            [
                [now.AddMinutes(-5), "PushEvent", "alice", "octo/one", "pushed 1 commit to main", "Germany", "ACME", null],
                [now.AddMinutes(-6), "PushEvent", "alice", "octo/one", "pushed 1 commit to main", "Germany", "ACME", null],
                [now.AddMinutes(-7), "IssuesEvent", "bob", "octo/one", "updated issue", "Germany", null, null],
            ],
            recent);

        // The actors of the last 24 hours from actor_stats_1h. Hourly buckets: the event 26 hours ago falls out.
        var actors = await Sql.RowsAsync(database.ConnectionString,
            "SELECT actor, sum(event_count) FROM actor_stats_1h WHERE bucket > now() - INTERVAL '24 hours' GROUP BY actor ORDER BY sum DESC LIMIT 10");
        Assert.Equal([["alice", 3m], ["bob", 2m]], actors.Take(2));
        // The three with one event each tie, so their order is the database's choice.
        Assert.Equal(["carol", "dave", "dependabot[bot]"], actors.Skip(2).Select(row => (string)row[0]!).Order(StringComparer.Ordinal));
        Assert.All(actors.Skip(2), row => Assert.Equal(1m, row[1]));

        // The whole original event comes back for reprocessing.
        foreach (var known in Events)
        {
            var stored = await Sql.RowsAsync(database.ConnectionString, $"SELECT event::text FROM v_raw_events WHERE event_id = {known.Id}");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json(known, now)), JsonNode.Parse((string)stored.Single()[0]!)), $"event {known.Id} differs");
        }

        // README: the newest pushes with their first commit message (trimmed pushes have none).
        var pushes = await Sql.RowsAsync(database.ConnectionString,
            "SELECT time, actor, event_type, payload->'commits'->0->>'message' AS commit_msg FROM events WHERE event_type = 'PushEvent' ORDER BY time DESC LIMIT 20");
        Assert.Equal(
            Events.Where(known => known.Type == "PushEvent").OrderBy(known => known.Ago)
                .Select(known => new object?[] { now - known.Ago, known.Actor, "PushEvent", known.CommitMessage }),
            pushes);

        var expectedTypes = Events
            .GroupBy(known => (Bucket: Floor(now - known.Ago, TimeSpan.FromMinutes(5)), known.Type))
            .Select(group => new object?[] { group.Key.Bucket, group.Key.Type, (long)group.Count() })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string)row[1]!);
        Assert.Equal(expectedTypes, await Sql.RowsAsync(database.ConnectionString, "SELECT bucket, event_type, event_count FROM event_stats_5m ORDER BY bucket, event_type"));

        // Per minute, with the events that carry a profile (none here: no profile columns are filled) and a country.
        var expectedMinutes = Events
            .GroupBy(known => (Bucket: Floor(now - known.Ago, TimeSpan.FromMinutes(1)), known.Type))
            .Select(group => new object?[] { group.Key.Bucket, group.Key.Type, (long)group.Count(),
                (long)group.Count(known => known.Actor.EndsWith("[bot]", StringComparison.Ordinal) || known.Company is not null), (long)group.Count(known => known.Code is not null) })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string)row[1]!);
        Assert.Equal(expectedMinutes, await Sql.RowsAsync(database.ConnectionString,
            "SELECT bucket, event_type, event_count, profile_events, country_events FROM event_stats_1m ORDER BY bucket, event_type"));

        var expectedRepos = Events
            .GroupBy(known => (Bucket: Floor(now - known.Ago, TimeSpan.FromHours(1)), known.Repo, IsBot: known.Actor.EndsWith("[bot]", StringComparison.Ordinal)))
            .Select(group => new object?[] { group.Key.Bucket, group.Key.Repo, group.Key.IsBot, (long)group.Count(), (long)group.Select(known => known.ActorId).Distinct().Count() })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string)row[1]!, StringComparer.Ordinal);
        Assert.Equal(expectedRepos, await Sql.RowsAsync(database.ConnectionString,
            "SELECT bucket, repo, is_bot, event_count, actors FROM repo_stats_1h ORDER BY bucket, repo COLLATE \"C\""));

        var expectedCountries = Events
            .GroupBy(known => (Bucket: Floor(now - known.Ago, TimeSpan.FromMinutes(5)), known.Country, known.Code))
            .Select(group => new object?[] { group.Key.Bucket, group.Key.Country, group.Key.Code, (long)group.Count(), (long)group.Select(known => known.ActorId).Distinct().Count() })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string?)row[1]);
        Assert.Equal(expectedCountries, await Sql.RowsAsync(database.ConnectionString,
            "SELECT bucket, country, country_code, event_count, unique_actors FROM country_stats_5m ORDER BY bucket, country NULLS FIRST"));

        var expectedActors = Events
            .GroupBy(known => (Bucket: Floor(now - known.Ago, TimeSpan.FromHours(1)), known.Actor))
            .Select(group => new object?[]
            {
                group.Key.Bucket, group.Key.Actor, group.First().Country, group.First().Company, (long)group.Count(),
                (long)group.Select(known => known.Repo).Distinct().Count(), group.Key.Actor.EndsWith("[bot]", StringComparison.Ordinal),
            })
            .OrderBy(row => (DateTime)row[0]!).ThenBy(row => (string)row[1]!, StringComparer.Ordinal);
        Assert.Equal(expectedActors, await Sql.RowsAsync(database.ConnectionString,
            "SELECT bucket, actor, country, company, event_count, repos_touched, is_bot FROM actor_stats_1h ORDER BY bucket, actor COLLATE \"C\""));
    }

    private static DateTime Floor(DateTime time, TimeSpan width) => new(time.Ticks - time.Ticks % width.Ticks, DateTimeKind.Utc);
}
