using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>Every relation keeps its rows for its own retention, by the product's maintenance, on both paths (issue 24, item 1).</summary>
public sealed class RetentionTests(RetainedRows rows) : IClassFixture<RetainedRows>
{
    public static TheoryData<SchemaFlavor, string> Aggregates => Cases(EventDatabase.Aggregates);

    public static TheoryData<SchemaFlavor, string> Rankings => Cases(["top_repos_24h", "top_actors_24h", "top_countries_24h"]);

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Events_past_the_retention_are_dropped_and_newer_ones_stay(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        Assert.Equal([3L], await ListAsync<long>(database, "SELECT event_id FROM events"));
    }

    [Theory]
    [MemberData(nameof(Aggregates))]
    public async Task An_aggregate_keeps_its_rows_past_the_events_retention_until_its_own(SchemaFlavor path, string aggregate)
    {
        var database = await rows.OnAsync(path);

        // Buckets of the events of three days ago and of an hour ago; none of five days ago.
        var days = await ListAsync<long>(database, $"SELECT DISTINCT round(extract(epoch FROM now() - bucket) / 86400)::bigint FROM {aggregate} ORDER BY 1");
        Assert.Equal([0L, 3L], days);
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_poll_tables_the_pipeline_minutes_and_the_kafka_gaps_keep_their_rows_for_Retention_Polls(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        foreach (var (table, time) in new[] { ("ingest_polls", "minute"), ("watch_polls", "minute"), ("pipeline_minutes", "minute"), ("kafka_gaps", "after_time") })
        {
            Assert.Equal([1L], await ListAsync<long>(database, $"SELECT round(extract(epoch FROM now() - {time}) / 86400)::bigint FROM {table}"));
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Restored_objects_are_kept_for_Retention_RestoredObjects(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        Assert.Equal(["new"], await ListAsync<string>(database, "SELECT key FROM restored_objects"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_backlog_keeps_the_actors_whose_queued_rows_are_still_within_the_events_retention(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        Assert.Equal(["named"], await ListAsync<string>(database, "SELECT login FROM actor_backlog"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_profile_is_kept_only_while_an_event_within_the_retention_names_the_actor_or_it_is_new(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        Assert.Equal(["fresh", "named"], await ListAsync<string>(database, "SELECT login FROM actors ORDER BY login"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_place_is_kept_while_a_kept_profile_names_it_or_it_is_new(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        Assert.Equal(["kept", "new"], await ListAsync<string>(database, "SELECT key FROM locations ORDER BY key"));
    }

    [Theory]
    [MemberData(nameof(Rankings))]
    public async Task A_ranking_table_holds_the_last_ranking_alone(SchemaFlavor path, string ranking)
    {
        var database = await rows.OnAsync(path);
        await Sql.ExecuteAsync(database.ConnectionString, "SELECT refresh_top_24h()");

        Assert.Equal([1L], await ListAsync<long>(database, $"SELECT count(DISTINCT as_of) FROM {ranking}"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task V_storage_gives_every_relation_its_bytes_and_the_days_it_holds(SchemaFlavor path)
    {
        var database = await rows.OnAsync(path);

        var storage = (await Sql.RowsAsync(database.ConnectionString, "SELECT relation, bytes, days FROM v_storage"))
            .ToDictionary(row => (string)row[0]!, row => (Bytes: (long)row[1]!, Days: row[2] as decimal?));
        Assert.Equal(
            ["actor_backlog", "actor_stats_1h", "actors", "capture_stats_5m", "country_stats_5m", "event_stats_1m", "event_stats_5m", "events",
             "ingest_polls", "kafka_gaps", "locations", "pipeline_minutes", "repo_stats_1h", "restored_objects", "top_actors_24h", "top_countries_24h", "top_repos_24h",
             "watch_polls", "watch_stats_5m"],
            storage.Keys.Order());
        Assert.All(storage.Values, relation => Assert.True(relation.Bytes > 0));
        Assert.Equal(0m, storage["events"].Days);
        Assert.InRange(storage["event_stats_5m"].Days!.Value, 2.9m, 3.1m);
        Assert.InRange(storage["ingest_polls"].Days!.Value, 0m, 0.01m);
    }

    private static TheoryData<SchemaFlavor, string> Cases(IEnumerable<string> relations)
    {
        var cases = new TheoryData<SchemaFlavor, string>();
        foreach (var path in new[] { SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb })
        {
            foreach (var relation in relations)
            {
                cases.Add(path, relation);
            }
        }

        return cases;
    }

    private static async Task<List<T>> ListAsync<T>(EventDatabase database, string sql) =>
        [.. (await Sql.RowsAsync(database.ConnectionString, sql)).Select(row => (T)row[0]!)];
}
