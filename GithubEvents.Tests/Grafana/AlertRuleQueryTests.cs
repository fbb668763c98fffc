using Aspire.Hosting;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// Each rule's query, expanded as Grafana expands it over the rule's relative time range, run as the reader role on
/// both storage paths, and judged as Grafana's reduce and threshold judge it: quiet on a healthy pipeline's database,
/// firing once the fault the rule watches for is added to it.
/// </summary>
public sealed class AlertRuleQueryTests(AlertDatabase data) : IClassFixture<AlertDatabase>
{
    /// <summary>
    /// A healthy pipeline's last two hours: poll figures every minute with nothing failed or missed, an event stored every
    /// 10 seconds 5 seconds after it happened (a third seen live only, a third in the archive only, a third by both: a
    /// live share of about a half), Enrich's figures every minute with a small lag and a 100 GiB disk, a ranking 5
    /// minutes old, a Kafka gap found three hours ago, and the aggregates' refresh last run a minute ago (carried out by
    /// <see cref="RefreshRan"/> after the arrangement, so that it takes in a fault's events too).
    /// </summary>
    private const string Healthy =
        """
        INSERT INTO ingest_polls (minute, poller, polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls)
        SELECT date_trunc('minute', now()) - m * INTERVAL '1 minute', 'ingest-0', 6, 6, 5, 1, 0, 500, 40, 0 FROM generate_series(0, 119) m;
        INSERT INTO watch_polls (minute, poller, feed, polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls)
        SELECT date_trunc('minute', now()) - m * INTERVAL '1 minute', 'ingest-0', 'repos/octo/cat/events', 1, 1, 0, 1, 0, 0, 0, 0 FROM generate_series(0, 119) m;
        INSERT INTO pipeline_minutes (minute, consumer, batches, messages, write_seconds, dead_letters, dead_letters_by_reason,
                                      lag_messages, lag_seconds, lag_by_partition, disk_bytes)
        SELECT date_trunc('minute', now()) - m * INTERVAL '1 minute', 'enrich-0', 12, 2400, 1.5, 0, '{}', 3, 2.5,
               '[{"topic": "github.events.raw", "partition": 0, "messages": 3, "seconds": 2.5}]', 100 * 1024::bigint * 1024 * 1024
        FROM generate_series(1, 120) m;
        INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, payload, envelope, sources, ingested_at)
        SELECT now() - s * INTERVAL '10 seconds', 1000000 + s, 'PushEvent', 'octocat', 1, 'octo/cat', '', '{}', '{}',
               (ARRAY[1, 2, 3])[s % 3 + 1], now() - s * INTERVAL '10 seconds' + INTERVAL '5 seconds'
        FROM generate_series(1, 720) s;
        DELETE FROM top_repos_24h;
        INSERT INTO top_repos_24h (include_bots, rank, repo, events, actors, as_of) VALUES (false, 1, 'octo/cat', 720, 1, now() - INTERVAL '5 minutes');
        INSERT INTO kafka_gaps (topic, partition, from_offset, to_offset, after_time, detected_at)
        VALUES ('github.events.raw', 1, 100, 600, now() - INTERVAL '4 hours', now() - INTERVAL '3 hours');
        CREATE TEMP TABLE last_refresh ON COMMIT DROP AS SELECT now() - INTERVAL '1 minute' AS ran_at;
        """;

    /// <summary>Each rule, by uid, with the fault that must fire it, added to <see cref="Healthy"/>.</summary>
    internal static readonly Dictionary<string, string> Faults = new()
    {
        // Nothing for the last 15 minutes.
        ["ge-pipeline-stalled"] =
            "DELETE FROM ingest_polls WHERE minute > now() - INTERVAL '15 minutes'; DELETE FROM watch_polls WHERE minute > now() - INTERVAL '15 minutes';",
        // The token was revoked 10 minutes ago: every request since is a 401.
        ["ge-github-failing"] =
            "UPDATE ingest_polls SET ok = 0, not_modified = 0, failed = requests, events_returned = 0, new_events = 0 WHERE minute > now() - INTERVAL '10 minutes';",
        // One poll in six missed events over the hour.
        ["ge-polls-missing-events"] = "UPDATE ingest_polls SET missed_polls = 1 WHERE minute > now() - INTERVAL '1 hour';",
        // Nothing stored for 20 minutes, while the polls go on bringing new events.
        ["ge-enrich-behind"] = "DELETE FROM events WHERE ingested_at > now() - INTERVAL '20 minutes';",
        // One message Enrich could not parse, 2 minutes ago.
        ["ge-dead-letters"] =
            """UPDATE pipeline_minutes SET dead_letters = 1, dead_letters_by_reason = '{"unparsable": 1}' WHERE minute = date_trunc('minute', now()) - INTERVAL '2 minutes';""",
        // Kafka deleted 500 messages unread; Enrich found it 5 minutes ago.
        ["ge-kafka-gap"] =
            "INSERT INTO kafka_gaps (topic, partition, from_offset, to_offset, after_time, detected_at) VALUES ('github.events.raw', 0, 100, 600, now() - INTERVAL '30 minutes', now() - INTERVAL '5 minutes');",
        // The last ranking is an hour old.
        ["ge-rankings-stale"] = "UPDATE top_repos_24h SET as_of = now() - INTERVAL '1 hour';",
        // The aggregates' refresh stopped an hour ago, while events went on arriving.
        ["ge-aggregates-stale"] = "UPDATE last_refresh SET ran_at = now() - INTERVAL '1 hour';",
        // The archive brought 3,000 events of the last ended hour that the live poller never saw.
        ["ge-live-share-low"] =
            """
            INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, detail, payload, envelope, sources)
            SELECT date_trunc('hour', now()) - INTERVAL '1 hour' + s * INTERVAL '1 second', 2000000 + s, 'PushEvent', 'octocat', 1, 'octo/cat', '', '{}', '{}', 2
            FROM generate_series(0, 2999) s;
            """,
        // The disk is hardly larger than the database.
        // The archive failed to export hours that retention would otherwise have dropped.
        ["ge-archive-behind"] = "UPDATE archive_state SET held_hours = 3;",
        ["ge-disk-headroom"] = "UPDATE pipeline_minutes SET disk_bytes = (pg_database_size(current_database()) * 1.1)::bigint;",
    };

    public static TheoryData<SchemaFlavor, string> PathsAndRules()
    {
        var rows = new TheoryData<SchemaFlavor, string>();
        foreach (var path in new[] { SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb })
        {
            foreach (var uid in Faults.Keys)
            {
                rows.Add(path, uid);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(PathsAndRules))]
    public async Task A_rule_is_quiet_on_a_healthy_pipeline_and_returns_a_value(SchemaFlavor path, string uid)
    {
        var rule = AlertRuleFile.Rule(uid);

        var (firing, value) = rule.Evaluate(await RunAsync(path, rule, Healthy));

        Assert.NotNull(value);
        Assert.False(firing, $"{uid} fires on a healthy pipeline with {value}");
    }

    [Theory]
    [MemberData(nameof(PathsAndRules))]
    public async Task A_rule_fires_on_the_fault_it_watches_for(SchemaFlavor path, string uid)
    {
        var rule = AlertRuleFile.Rule(uid);

        var (firing, value) = rule.Evaluate(await RunAsync(path, rule, Healthy + Faults[uid]));

        Assert.True(firing, $"{uid} is quiet on its fault with {value}");
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_live_share_rule_reads_the_last_complete_hour_of_a_healthy_pipeline_not_its_default(SchemaFlavor path)
    {
        var rule = AlertRuleFile.Rule("ge-live-share-low");

        var (_, value) = rule.Evaluate(await RunAsync(path, rule, Healthy));

        Assert.InRange(value!.Value, 0.4, 0.6);
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Enrich_behind_fires_on_a_consumer_lag_of_old_messages_too(SchemaFlavor path)
    {
        var rule = AlertRuleFile.Rule("ge-enrich-behind");

        var (firing, value) = rule.Evaluate(await RunAsync(path, rule, Healthy +
            "UPDATE pipeline_minutes SET lag_messages = 90000, lag_seconds = 900 WHERE minute = date_trunc('minute', now()) - INTERVAL '1 minute';"));

        Assert.True(firing, $"quiet with {value}");
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_live_share_rule_fires_below_the_threshold_the_AppHost_writes_from_its_setting(SchemaFlavor path)
    {
        var committed = File.ReadAllText(Path.Combine(LiveDashboard.ProvisioningDirectory, AlertRuleThresholds.RelativePath));
        var strict = AlertRuleFile.Rules(AlertRuleThresholds.Render(committed, 0.6)).Single(rule => rule.Uid == "ge-live-share-low");
        var lenient = AlertRuleFile.Rules(AlertRuleThresholds.Render(committed, 0.4)).Single(rule => rule.Uid == "ge-live-share-low");

        // A healthy pipeline's live share is about a half.
        var (strictFiring, strictValue) = strict.Evaluate(await RunAsync(path, strict, Healthy));
        var (lenientFiring, lenientValue) = lenient.Evaluate(await RunAsync(path, lenient, Healthy));

        Assert.True(strictFiring, $"quiet with {strictValue} below a threshold of 0.6");
        Assert.False(lenientFiring, $"fires with {lenientValue} above a threshold of 0.4");
    }

    private async Task<PanelResult> RunAsync(SchemaFlavor path, AlertRule rule, string arrange)
    {
        var database = await data.OnAsync(path);
        return await AlertDatabase.QueryAsync(database, arrange + RefreshRan(path), rule.ExpandedSql(path == SchemaFlavor.TimescaleDb));
    }

    /// <summary>
    /// The aggregates' refresh as it ran last at <c>last_refresh.ran_at</c>: without TimescaleDB, Enrich's, up to its lag
    /// before then; with it, what its refresh jobs record of a successful run then (a refresh cannot run in the test's
    /// transaction, and the jobs are stopped).
    /// </summary>
    private static string RefreshRan(SchemaFlavor path) => path == SchemaFlavor.Postgres
        ? "SELECT rollup.refresh(now() - (SELECT ran_at FROM last_refresh) + (SELECT refresh_lag FROM rollup.watermark));"
        : """
          INSERT INTO _timescaledb_internal.bgw_job_stat (job_id, last_start, last_finish, next_start, last_successful_finish, last_run_success, total_runs,
                                                          total_duration, total_duration_failures, total_successes, total_failures, total_crashes,
                                                          consecutive_failures, consecutive_crashes)
          SELECT job_id, ran_at, ran_at, ran_at + schedule_interval, ran_at, true, 1, INTERVAL '0', INTERVAL '0', 1, 0, 0, 0, 0
          FROM timescaledb_information.jobs, last_refresh
          WHERE proc_name = 'policy_refresh_continuous_aggregate'
          ON CONFLICT (job_id) DO UPDATE SET last_start = excluded.last_start, last_finish = excluded.last_finish,
                                             last_successful_finish = excluded.last_successful_finish, last_run_success = true;
          """;
}
