-- The last 30 minutes per minute and type, from the minute aggregate (whole minutes) rather than 30 minutes of events.
CREATE OR REPLACE VIEW v_event_rate_1m AS
SELECT bucket AS minute, event_type, event_count AS events
FROM event_stats_1m
WHERE bucket >= now() - INTERVAL '30 minutes';
