-- Events per 5 minutes by the set of sources that delivered them: what v_capture_by_hour estimates the feed from, by
-- hour. 5 minutes, not an hour, so that the part aggregated at query time is a few minutes of events, as for
-- event_stats_1m. A source added to an event later is an UPDATE, which lands in the aggregate's invalidation log.
CREATE MATERIALIZED VIEW capture_stats_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       sources,
       count(*) AS event_count
FROM events
GROUP BY bucket, sources
WITH NO DATA;
