-- The dashboard's aggregates at volume (issue 12), without TimescaleDB. The watermark now moves in 5-minute steps, up
-- to Storage:AggregateRefreshLag ago, instead of whole hours: the part every 1- and 5-minute view aggregates at query
-- time is a few minutes of events, not up to an hour. The hourly tables are materialised for every whole hour below
-- it. New: event_stats_1m (per minute and type, with the counts behind the coverage shares) and repo_stats_1h (per
-- hour, repository and bot flag: events and distinct actors).
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

CREATE FUNCTION rollup.bucket_1m(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(INTERVAL '1 minute', t, TIMESTAMPTZ '2000-01-01 00:00:00+00');

-- Re-materialises one 5-minute slice of the 1- and 5-minute rollups from events.
CREATE FUNCTION rollup.materialize_5m(slice_start timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    DELETE FROM rollup.event_stats_1m WHERE bucket >= slice_start AND bucket < slice_start + INTERVAL '5 minutes';
    INSERT INTO rollup.event_stats_1m
    SELECT rollup.bucket_1m(time), event_type, count(*),
           count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
           count(*) FILTER (WHERE country_code IS NOT NULL)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes'
    GROUP BY 1, 2;

    DELETE FROM rollup.event_stats_5m WHERE bucket = slice_start;
    INSERT INTO rollup.event_stats_5m
    SELECT slice_start, event_type, count(*)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes'
    GROUP BY 2;

    DELETE FROM rollup.country_stats_5m WHERE bucket = slice_start;
    INSERT INTO rollup.country_stats_5m
    SELECT slice_start, country, country_code, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes'
    GROUP BY 2, 3;
$$;

-- Re-materialises one hour of the hourly rollups from events (the 5-minute ones have materialize_5m now).
CREATE OR REPLACE FUNCTION rollup.materialize_hour(hour_start timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    DELETE FROM rollup.actor_stats_1h WHERE bucket = hour_start;
    INSERT INTO rollup.actor_stats_1h
    SELECT hour_start, actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour'
    GROUP BY actor_id, actor;

    DELETE FROM rollup.repo_stats_1h WHERE bucket = hour_start;
    INSERT INTO rollup.repo_stats_1h
    SELECT hour_start, repo, is_bot, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour' AND repo IS NOT NULL
    GROUP BY repo, is_bot;
$$;

-- Moves the watermark to the last 5-minute boundary at least end_offset ago, materialising the slices it passes (and
-- the hours it completes), and every slice below it (and hour below its hour) that a writer changed since the last
-- refresh. One replica at a time; the others return false at once.
CREATE OR REPLACE FUNCTION rollup.refresh(end_offset interval) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    old_mark timestamptz;
    new_mark timestamptz;
    changed timestamptz[];
    slice timestamptz;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('github-events:rollup-refresh')) THEN
        RETURN false;
    END IF;

    SELECT materialized_until INTO old_mark FROM rollup.watermark FOR UPDATE;
    new_mark := greatest(old_mark, rollup.bucket_5m(now() - end_offset));
    IF old_mark = '-infinity' THEN
        old_mark := coalesce(rollup.bucket_1h((SELECT min(time) FROM public.events)), new_mark);
    END IF;

    WITH taken AS (DELETE FROM rollup.invalidations RETURNING from_time, to_time)
    SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') INTO changed
    FROM taken, generate_series(rollup.bucket_5m(from_time), rollup.bucket_5m(least(to_time, old_mark)), INTERVAL '5 minutes') AS s
    WHERE s < old_mark;

    FOR slice IN
        SELECT unnest(changed)
        UNION
        SELECT generate_series(old_mark, new_mark - INTERVAL '5 minutes', INTERVAL '5 minutes')
        ORDER BY 1
    LOOP
        PERFORM rollup.materialize_5m(slice);
    END LOOP;

    FOR slice IN
        SELECT DISTINCT rollup.bucket_1h(s) FROM unnest(changed) AS s WHERE s < rollup.bucket_1h(old_mark)
        UNION
        SELECT generate_series(rollup.bucket_1h(old_mark), rollup.bucket_1h(new_mark) - INTERVAL '1 hour', INTERVAL '1 hour')
        ORDER BY 1
    LOOP
        PERFORM rollup.materialize_hour(slice);
    END LOOP;

    UPDATE rollup.watermark SET materialized_until = new_mark;
    RETURN true;
END;
$$;

-- The watermark as the views read it. Declared IMMUTABLE so that the planner folds it into a constant when it plans a
-- query: with `time >= (SELECT materialized_until ...)` it cannot estimate the real-time part, guesses a third of the
-- events and scans them all. A value kept in a cached plan is older, never wrong: both halves of a view use the same
-- one, so a stale watermark only moves rows from the rollup half to the real-time half. SECURITY DEFINER: the reader
-- cannot read the rollup schema.
CREATE FUNCTION rollup.materialized_until() RETURNS timestamptz
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT materialized_until FROM rollup.watermark $$;

CREATE FUNCTION rollup.hours_materialized_until() RETURNS timestamptz
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT rollup.bucket_1h(materialized_until) FROM rollup.watermark $$;

-- Moving an existing database forward: the watermark was on an hour, so the new tables are materialised for every hour
-- below it; hours the late filling logged as (hour, hour) are logged as the whole hour.
UPDATE rollup.invalidations SET to_time = from_time + INTERVAL '1 hour' - INTERVAL '1 microsecond'
WHERE from_time = to_time AND from_time = rollup.bucket_1h(from_time);

INSERT INTO rollup.event_stats_1m
SELECT rollup.bucket_1m(time), event_type, count(*),
       count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
       count(*) FILTER (WHERE country_code IS NOT NULL)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2;

INSERT INTO rollup.repo_stats_1h
SELECT rollup.bucket_1h(time), repo, is_bot, count(*), count(DISTINCT actor_id)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark) AND repo IS NOT NULL
GROUP BY 1, 2, 3;

CREATE VIEW event_stats_1m AS
SELECT bucket, event_type, event_count, profile_events, country_events
FROM rollup.event_stats_1m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_1m(time), event_type, count(*),
       count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
       count(*) FILTER (WHERE country_code IS NOT NULL)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;

-- The hourly views take whole hours from the rollups, the hour of the watermark and later from events.
CREATE OR REPLACE VIEW actor_stats_1h AS
SELECT bucket, actor_id, actor, country, company, event_count, repos_touched, is_bot
FROM rollup.actor_stats_1h
WHERE bucket < rollup.hours_materialized_until()
UNION ALL
SELECT rollup.bucket_1h(time), actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
FROM events
WHERE time >= rollup.hours_materialized_until()
GROUP BY 1, 2, 3;

CREATE VIEW repo_stats_1h AS
SELECT bucket, repo, is_bot, event_count, actors
FROM rollup.repo_stats_1h
WHERE bucket < rollup.hours_materialized_until()
UNION ALL
SELECT rollup.bucket_1h(time), repo, is_bot, count(*), count(DISTINCT actor_id)
FROM events
WHERE time >= rollup.hours_materialized_until() AND repo IS NOT NULL
GROUP BY 1, 2, 3;

CREATE OR REPLACE VIEW event_stats_5m AS
SELECT bucket, event_type, event_count
FROM rollup.event_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), event_type, count(*)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;

CREATE OR REPLACE VIEW country_stats_5m AS
SELECT bucket, country, country_code, event_count, unique_actors
FROM rollup.country_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), country, country_code, count(*), count(DISTINCT actor_id)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2, 3;
