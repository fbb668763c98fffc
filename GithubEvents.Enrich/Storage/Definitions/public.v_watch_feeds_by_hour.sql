-- The watch poller's figures (watch_polls) per hour of the poll and feed.
CREATE OR REPLACE VIEW v_watch_feeds_by_hour AS
SELECT date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       feed,
       sum(polls)::bigint AS polls, sum(requests)::bigint AS requests, sum(ok)::bigint AS ok,
       sum(not_modified)::bigint AS not_modified, sum(failed)::bigint AS failed,
       sum(events_returned)::bigint AS events_returned, sum(new_events)::bigint AS new_events,
       sum(missed_polls)::bigint AS missed_polls
FROM watch_polls
GROUP BY 1, 2;
