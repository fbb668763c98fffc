-- Per hour of event time and watched repository, and for all of them (repo NULL): the events the watched feeds
-- delivered, those the live poller delivered too, and the live share, from the watched feeds' aggregate (watch_stats_5m).
-- The feeds' poll figures per hour are in v_watch_feeds_by_hour; a feed that missed events (missed_polls > 0) makes
-- that hour's share an overestimate.
CREATE OR REPLACE VIEW v_watch_coverage_by_hour AS
SELECT date_bin(INTERVAL '1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       repo,
       sum(event_count)::bigint AS watch_events,
       coalesce(sum(event_count) FILTER (WHERE sources & 1 <> 0), 0)::bigint AS live_events,
       coalesce(sum(event_count) FILTER (WHERE sources & 1 <> 0), 0)::double precision / sum(event_count) AS live_share
FROM watch_stats_5m
GROUP BY GROUPING SETS ((1, 2), (1));
