-- Events per 5 minutes and type (TimescaleDB: a continuous aggregate, 0002_aggregates.timescaledb.sql).
CREATE OR REPLACE VIEW event_stats_5m AS
SELECT bucket, event_type, event_count
FROM rollup.event_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), event_type, count(*)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;
