-- The watched feeds' events per 5 minutes, repository and set of sources: what the watched repositories' coverage
-- (v_watch_coverage_by_hour, the dashboard) reads, so that its cost follows the repositories and hours, not their events.
CREATE MATERIALIZED VIEW watch_stats_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       repo,
       sources,
       count(*) AS event_count
FROM events
WHERE sources & 4 <> 0
GROUP BY bucket, repo, sources
WITH NO DATA;
