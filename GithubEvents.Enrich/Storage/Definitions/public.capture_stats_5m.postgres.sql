-- Events per 5 minutes by the set of sources that delivered them (TimescaleDB: a continuous aggregate,
-- 0010_sightings.timescaledb.sql). The writer logs the time of an event it adds a source to, like that of a new one, so
-- that its slice is materialised again.
CREATE OR REPLACE VIEW capture_stats_5m AS
SELECT bucket, sources, event_count
FROM rollup.capture_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), sources, count(*)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;
