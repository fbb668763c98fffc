-- The watched repositories' and organisations' feeds (issue 15). Their events carry source bit 4 (watch); a watched
-- feed holds every event of its repository, so for a watched repository the share of its events the live poller also
-- delivered measures the public feed's coverage directly.

-- The watch poller's figures per minute and feed, as ingest_polls holds the live poller's: one row per minute, Ingest
-- process and feed (repos/{owner}/{name}/events or orgs/{login}/events).
CREATE TABLE watch_polls (LIKE ingest_polls);
ALTER TABLE watch_polls ADD COLUMN feed text NOT NULL, ADD PRIMARY KEY (minute, poller, feed);

-- The events a watched feed delivered, by repository and time: a small part of all events.
CREATE INDEX events_watched_idx ON events (repo, time) WHERE sources & 4 <> 0;
