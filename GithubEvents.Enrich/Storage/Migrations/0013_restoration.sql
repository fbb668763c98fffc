-- Trimmed payloads restored for the watched repositories (issue 15), and the watched feeds in the capture view.

-- What was added to a row's payload from GitHub's GraphQL answers, as paths of members ('commits',
-- 'pull_request.title'): NULL, nothing (never restored, or not a trimmed event of a watched repository); '{}', GitHub no
-- longer had the commit or pull request. Only members GitHub did not send are ever added.
ALTER TABLE events ADD COLUMN restored text[];

-- GitHub's answers, in the REST payloads' names (a commit as a PushEvent's commits entry, a pull request's members of
-- pull_request); value NULL: GitHub no longer has it, which is final. A commit never changes; a pull request is asked for
-- again for an event newer than the answer, whose state that event may have changed.
CREATE TABLE restored_objects (
    repo       text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('commit', 'pull_request')),
    key        text        NOT NULL,
    value      jsonb,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (repo, kind, key)
);

-- The watched repositories' trimmed events not restored yet, each with what to ask GitHub for: a push's head commit, a
-- pull-request event's pull request (keys that could not be GitHub's are left out).
CREATE VIEW unrestored_events AS
SELECT time, event_id, event_type, repo, payload, kind, key
FROM (
    SELECT time, event_id, event_type, repo, payload,
           CASE WHEN event_type = 'PushEvent' THEN 'commit' ELSE 'pull_request' END AS kind,
           CASE WHEN event_type = 'PushEvent' THEN payload->>'head'
                ELSE coalesce(payload->>'number', payload->'pull_request'->>'number') END AS key
    FROM events
    WHERE sources & 4 <> 0 AND restored IS NULL AND repo LIKE '_%/_%'
      AND (event_type = 'PushEvent' AND NOT payload ? 'commits'
           OR event_type = 'PullRequestEvent' AND NOT coalesce(payload->'pull_request' ? 'title', false))
) AS trimmed
WHERE kind = 'commit' AND key ~ '^[0-9a-f]{40}$' OR kind = 'pull_request' AND key ~ '^[0-9]{1,9}$';

-- 0012's index of the watched feeds' events, with their sources, so that their aggregate (0014: its refreshes and the
-- part of it read at query time) reads the index alone.
DROP INDEX events_watched_idx;
CREATE INDEX events_watched_idx ON events (repo, time) INCLUDE (sources) WHERE sources & 4 <> 0;

-- The payload as GitHub sent it: the restored members removed.
CREATE FUNCTION payload_as_sent(payload jsonb, restored text[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    path text;
BEGIN
    FOREACH path IN ARRAY coalesce(restored, '{}') LOOP
        payload := payload #- string_to_array(path, '.');
    END LOOP;
    RETURN payload;
END
$$;

CREATE OR REPLACE VIEW v_raw_events AS
SELECT time, event_id, envelope || jsonb_build_object('payload', payload_as_sent(payload, restored)) AS event
FROM events;

-- Ingest's poll figures (ingest_polls) by the hour of the poll, through 0011's index: what v_capture_by_hour shows
-- beside the capture counts, for the panels that need no events.
CREATE VIEW v_polls_by_hour AS
SELECT date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       sum(polls)::bigint AS polls, sum(requests)::bigint AS requests, sum(ok)::bigint AS ok,
       sum(not_modified)::bigint AS not_modified, sum(failed)::bigint AS failed,
       sum(events_returned)::bigint AS events_returned, sum(new_events)::bigint AS new_events,
       sum(missed_polls)::bigint AS missed_polls,
       sum(new_events)::double precision / nullif(sum(requests), 0) AS new_events_per_request
FROM ingest_polls
GROUP BY 1;

-- v_capture_by_hour with the watched feeds: the events they delivered in the hour, those the live poller delivered too,
-- and the live share of them, a direct measure of the public feed's coverage (v_watch_coverage_by_hour has it per
-- repository); the poll figures from v_polls_by_hour.
CREATE OR REPLACE VIEW v_capture_by_hour AS
WITH captured AS (
    SELECT date_bin(INTERVAL '1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
           sum(event_count)::bigint AS events,
           sum(event_count) FILTER (WHERE sources & 1 <> 0)::bigint AS live_events,
           sum(event_count) FILTER (WHERE sources & 2 <> 0)::bigint AS archive_events,
           sum(event_count) FILTER (WHERE sources & 3 = 3)::bigint AS both_events,
           sum(event_count) FILTER (WHERE sources & 4 <> 0)::bigint AS watch_events,
           sum(event_count) FILTER (WHERE sources & 5 = 5)::bigint AS watch_live_events
    FROM capture_stats_5m
    GROUP BY 1
),
hours AS (
    SELECT coalesce(c.hour, p.hour) AS hour,
           coalesce(c.events, 0) AS events, coalesce(c.live_events, 0) AS live_events,
           coalesce(c.archive_events, 0) AS archive_events, coalesce(c.both_events, 0) AS both_events,
           coalesce(p.polls, 0) AS polls, coalesce(p.requests, 0) AS requests, coalesce(p.ok, 0) AS ok,
           coalesce(p.not_modified, 0) AS not_modified, coalesce(p.failed, 0) AS failed,
           coalesce(p.events_returned, 0) AS events_returned, coalesce(p.new_events, 0) AS new_events,
           coalesce(p.missed_polls, 0) AS missed_polls,
           coalesce(c.watch_events, 0) AS watch_events, coalesce(c.watch_live_events, 0) AS watch_live_events
    FROM captured c
    FULL JOIN v_polls_by_hour p ON p.hour = c.hour
),
estimated AS (
    SELECT *,
           CASE WHEN live_events > 0 AND archive_events > 0
                THEN (live_events + 1::float8) * (archive_events + 1::float8) / (both_events + 1::float8) - 1 END AS n,
           CASE WHEN live_events > 0 AND archive_events > 0
                THEN (live_events + 1::float8) * (archive_events + 1::float8) * (live_events - both_events) * (archive_events - both_events)
                     / ((both_events + 1::float8) ^ 2 * (both_events + 2::float8)) END AS variance
    FROM hours
),
bounded AS (
    SELECT *,
           CASE WHEN n IS NOT NULL THEN greatest(n - 1.96 * sqrt(variance), (live_events + archive_events - both_events)::float8) END AS low,
           n + 1.96 * sqrt(variance) AS high
    FROM estimated
)
SELECT hour, events, live_events, archive_events, both_events,
       n AS estimated_events, low AS estimate_low, high AS estimate_high,
       live_events / n AS live_share, live_events / high AS live_share_low, live_events / low AS live_share_high,
       archive_events / n AS archive_share,
       polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls,
       new_events::double precision / nullif(requests, 0) AS new_events_per_request,
       watch_events, watch_live_events, watch_live_events::double precision / nullif(watch_events, 0) AS watch_live_share
FROM bounded;
