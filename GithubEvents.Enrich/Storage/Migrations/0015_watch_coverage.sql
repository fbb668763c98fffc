-- v_watch_coverage_by_hour (0012) from the watched feeds' aggregate (0014) instead of the events.
CREATE OR REPLACE VIEW v_watch_coverage_by_hour AS
SELECT date_bin(INTERVAL '1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       repo,
       sum(event_count)::bigint AS watch_events,
       coalesce(sum(event_count) FILTER (WHERE sources & 1 <> 0), 0)::bigint AS live_events,
       coalesce(sum(event_count) FILTER (WHERE sources & 1 <> 0), 0)::double precision / sum(event_count) AS live_share
FROM watch_stats_5m
GROUP BY GROUPING SETS ((1, 2), (1));
