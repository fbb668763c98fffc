-- The watched repositories' and organisations' feeds (issue 15). Their events carry source bit 4 (watch); a watched
-- feed holds every event of its repository, so for a watched repository the share of its events the live poller also
-- delivered measures the public feed's coverage directly.

-- The watch poller's figures per minute and feed, as ingest_polls holds the live poller's: one row per minute, Ingest
-- process and feed (repos/{owner}/{name}/events or orgs/{login}/events).
CREATE TABLE watch_polls (LIKE ingest_polls);
ALTER TABLE watch_polls ADD COLUMN feed text NOT NULL, ADD PRIMARY KEY (minute, poller, feed);

-- The events a watched feed delivered, by repository and time: a small part of all events.
CREATE INDEX events_watched_idx ON events (repo, time) WHERE sources & 4 <> 0;

-- Per hour of event time and watched repository, and for all of them (repo NULL): the events the watched feeds
-- delivered, those the live poller delivered too, and the live share. The feeds' poll figures per hour are in
-- v_watch_feeds_by_hour; a feed that missed events (missed_polls > 0) makes that hour's share an overestimate.
CREATE VIEW v_watch_coverage_by_hour AS
SELECT date_bin(INTERVAL '1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       repo,
       count(*) AS watch_events,
       count(*) FILTER (WHERE sources & 1 <> 0) AS live_events,
       count(*) FILTER (WHERE sources & 1 <> 0)::double precision / count(*) AS live_share
FROM events
WHERE sources & 4 <> 0
GROUP BY GROUPING SETS ((1, 2), (1));

CREATE VIEW v_watch_feeds_by_hour AS
SELECT date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
       feed,
       sum(polls)::bigint AS polls, sum(requests)::bigint AS requests, sum(ok)::bigint AS ok,
       sum(not_modified)::bigint AS not_modified, sum(failed)::bigint AS failed,
       sum(events_returned)::bigint AS events_returned, sum(new_events)::bigint AS new_events,
       sum(missed_polls)::bigint AS missed_polls
FROM watch_polls
GROUP BY 1, 2;
