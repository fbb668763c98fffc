-- Per hour, repository and bot flag: events and distinct actors (TimescaleDB: a continuous aggregate,
-- 0007_dashboard_aggregates.timescaledb.sql). Whole hours from the rollups, the hour of the watermark and later from events.
CREATE OR REPLACE VIEW repo_stats_1h AS
SELECT bucket, repo, is_bot, event_count, actors
FROM rollup.repo_stats_1h
WHERE bucket < rollup.hours_materialized_until()
UNION ALL
SELECT rollup.bucket_1h(time), repo, is_bot, count(*), count(DISTINCT actor_id)
FROM events
WHERE time >= rollup.hours_materialized_until() AND repo IS NOT NULL
GROUP BY 1, 2, 3;
