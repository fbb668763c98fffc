-- Per hour and actor (TimescaleDB: a continuous aggregate, 0002_aggregates.timescaledb.sql). The hourly views take
-- whole hours from the rollups, the hour of the watermark and later from events.
CREATE OR REPLACE VIEW actor_stats_1h AS
SELECT bucket, actor_id, actor, country, company, event_count, repos_touched, is_bot
FROM rollup.actor_stats_1h
WHERE bucket < rollup.hours_materialized_until()
UNION ALL
SELECT rollup.bucket_1h(time), actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
FROM events
WHERE time >= rollup.hours_materialized_until()
GROUP BY 1, 2, 3;
