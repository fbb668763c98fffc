-- The dashboard's aggregates at volume (issue 12), without TimescaleDB: event_stats_1m (per minute and type, with the
-- counts behind the coverage shares) and repo_stats_1h (per hour, repository and bot flag: events and distinct actors).
-- From this version on the watermark moves in 5-minute steps (rollup.refresh), not whole hours.
CREATE TABLE rollup.event_stats_1m (
    bucket         timestamptz NOT NULL,
    event_type     text        NOT NULL,
    event_count    bigint      NOT NULL,
    profile_events bigint      NOT NULL,
    country_events bigint      NOT NULL
);
CREATE INDEX ON rollup.event_stats_1m (bucket);

CREATE TABLE rollup.repo_stats_1h (
    bucket      timestamptz NOT NULL,
    repo        text        NOT NULL,
    is_bot      boolean     NOT NULL,
    event_count bigint      NOT NULL,
    actors      bigint      NOT NULL
);
CREATE INDEX ON rollup.repo_stats_1h (bucket);

-- Moving an existing database forward: the watermark was on an hour, so the new tables are materialised for every hour
-- below it; hours the late filling logged as (hour, hour) are logged as the whole hour.
UPDATE rollup.invalidations SET to_time = from_time + INTERVAL '1 hour' - INTERVAL '1 microsecond'
WHERE from_time = to_time AND from_time = date_bin(INTERVAL '1 hour', from_time, TIMESTAMPTZ '2000-01-01 00:00:00+00');

INSERT INTO rollup.event_stats_1m
SELECT date_bin(INTERVAL '1 minute', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), event_type, count(*),
       count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
       count(*) FILTER (WHERE country_code IS NOT NULL)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2;

INSERT INTO rollup.repo_stats_1h
SELECT date_bin(INTERVAL '1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), repo, is_bot, count(*), count(DISTINCT actor_id)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark) AND repo IS NOT NULL
GROUP BY 1, 2, 3;
