-- The watched feeds' events per 5 minutes, repository and set of sources (TimescaleDB: a continuous aggregate,
-- 0014_watch_stats.timescaledb.sql).
CREATE OR REPLACE VIEW watch_stats_5m AS
SELECT bucket, repo, sources, event_count
FROM rollup.watch_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), repo, sources, count(*)
FROM events
WHERE time >= rollup.materialized_until() AND sources & 4 <> 0
GROUP BY 1, 2, 3;
