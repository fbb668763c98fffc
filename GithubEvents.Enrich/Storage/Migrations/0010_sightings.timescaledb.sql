-- Events per hour by the set of sources that delivered them: what v_capture_by_hour estimates the feed from. A source
-- added to an event later is an UPDATE, which lands in the aggregate's invalidation log like any other change.
CREATE MATERIALIZED VIEW capture_stats_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket,
       sources,
       count(*) AS event_count
FROM events
GROUP BY bucket, sources
WITH NO DATA;
