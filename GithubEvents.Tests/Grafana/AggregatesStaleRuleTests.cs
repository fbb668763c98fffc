using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// The rule "Aggregates stale" over aggregates materialised by the refresh itself (TimescaleDB's procedure, Enrich's
/// rollup refresh), where <see cref="AlertRuleQueryTests"/> has the refresh's record: firing while the materialisation
/// stopped an hour ago and events went on arriving, quiet once the refresh caught up.
/// </summary>
public sealed class AggregatesStaleRuleTests(PostgresServer server)
{
    // Two hours of events, every 10 seconds, from every source, so that every aggregate (watch_stats_5m too) has rows.
    private const string Events =
        """
        INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, country, country_code, payload, envelope, sources, ingested_at)
        SELECT now() - s * INTERVAL '10 seconds', s, 'PushEvent', 'octocat', 1, 'octo/cat', '', 'Germany', 'DE', '{}', '{}', 7,
               now() - s * INTERVAL '10 seconds' + INTERVAL '5 seconds'
        FROM generate_series(1, 720) s;
        """;

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_rule_fires_while_the_materialisation_is_an_hour_behind_and_is_quiet_once_the_refresh_caught_up(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(server, path, AlertDatabase.ReaderRoles());
        if (path == SchemaFlavor.TimescaleDb)
        {
            // The refresh runs when this test says, not when TimescaleDB's scheduler does.
            await Sql.ExecuteAsync(database.ConnectionString, "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000");
        }

        await Sql.ExecuteAsync(database.ConnectionString, Events);
        var rule = AlertRuleFile.Rule("ge-aggregates-stale");

        await RefreshAsync(database, TimeSpan.FromHours(1));
        var (behind, behindValue) = rule.Evaluate(await AlertDatabase.QueryAsync(database, "SELECT 1", rule.ExpandedSql(path == SchemaFlavor.TimescaleDb)));
        await RefreshAsync(database, database.Storage.AggregateRefreshLag);
        var (caughtUp, caughtUpValue) = rule.Evaluate(await AlertDatabase.QueryAsync(database, "SELECT 1", rule.ExpandedSql(path == SchemaFlavor.TimescaleDb)));

        Assert.True(behind, $"quiet with {behindValue} while the aggregates are materialised up to an hour ago");
        Assert.InRange(behindValue!.Value, 600, 3600);
        Assert.False(caughtUp, $"fires with {caughtUpValue} once the refresh caught up");
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_lag_each_aggregate_is_allowed_follows_the_refresh_settings(SchemaFlavor path)
    {
        var storage = EventDatabase.Options(path);
        storage.AggregateRefreshLag = TimeSpan.FromMinutes(2);
        storage.AggregateRefreshInterval = TimeSpan.FromMinutes(10);
        await using var database = await EventDatabase.OpenAsync(await EventDatabase.CreateEmptyAsync(server, path), storage);

        var allowed = (await Sql.RowsAsync(database.ConnectionString, "SELECT relation, expected_lag FROM v_aggregate_freshness"))
            .ToDictionary(row => (string)row[0]!, row => (TimeSpan)row[1]!);

        Assert.Equal(EventDatabase.Aggregates.Order(), allowed.Keys.Order());
        Assert.Equal(TimeSpan.FromMinutes(5 + 2 + 10), allowed["capture_stats_5m"]);
        Assert.Equal(TimeSpan.FromMinutes(60 + 2 + 10), allowed["repo_stats_1h"]);
    }

    // Materialises every aggregate up to lag ago, as a refresh at this moment does.
    private static async Task RefreshAsync(EventDatabase database, TimeSpan lag)
    {
        var seconds = (int)lag.TotalSeconds;
        if (database.Path == SchemaFlavor.Postgres)
        {
            await Sql.ExecuteAsync(database.ConnectionString, $"SELECT rollup.refresh(INTERVAL '{seconds} seconds')");
            return;
        }

        foreach (var view in EventDatabase.Aggregates)
        {
            await Sql.ExecuteAsync(database.ConnectionString, $"CALL refresh_continuous_aggregate('{view}', NULL, now() - INTERVAL '{seconds} seconds')");
        }
    }
}
