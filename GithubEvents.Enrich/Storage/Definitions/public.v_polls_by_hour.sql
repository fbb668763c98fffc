-- Ingest's poll figures (ingest_polls) by the hour of the poll, through ingest_polls_hour_idx: what v_capture_by_hour
-- shows beside the capture counts, for the panels that need no events. undelivered_minutes: the minutes of the hour in
-- which some poller could not deliver the feed's events (Kafka held back what it had sent), each counted once;
-- dead_letters: pieces of the 200s that were no events, sent to the dead-letter topic.
CREATE OR REPLACE VIEW v_polls_by_hour AS
SELECT date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       sum(polls)::bigint AS polls, sum(requests)::bigint AS requests, sum(ok)::bigint AS ok,
       sum(not_modified)::bigint AS not_modified, sum(failed)::bigint AS failed,
       sum(events_returned)::bigint AS events_returned, sum(new_events)::bigint AS new_events,
       sum(missed_polls)::bigint AS missed_polls,
       sum(new_events)::double precision / nullif(sum(requests), 0) AS new_events_per_request,
       count(DISTINCT minute) FILTER (WHERE undelivered) AS undelivered_minutes,
       sum(dead_letters)::bigint AS dead_letters
FROM ingest_polls
GROUP BY 1;
