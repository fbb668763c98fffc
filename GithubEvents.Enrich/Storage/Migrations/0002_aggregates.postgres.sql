-- Without TimescaleDB the aggregates work as its continuous aggregates do: completed hours are materialised in
-- the rollup schema, everything from the watermark on is aggregated from events at query time, and writers log
-- the time range of every batch so that rollup.refresh() re-materialises hours that changed after the fact.
CREATE SCHEMA rollup;

CREATE TABLE rollup.watermark (
    singleton          boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    materialized_until timestamptz NOT NULL
);
INSERT INTO rollup.watermark (materialized_until) VALUES ('-infinity');

CREATE TABLE rollup.invalidations (
    from_time timestamptz NOT NULL,
    to_time   timestamptz NOT NULL
);

CREATE TABLE rollup.event_stats_5m (
    bucket      timestamptz NOT NULL,
    event_type  text        NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.event_stats_5m (bucket);

CREATE TABLE rollup.country_stats_5m (
    bucket        timestamptz NOT NULL,
    country       text,
    country_code  text,
    event_count   bigint      NOT NULL,
    unique_actors bigint      NOT NULL
);
CREATE INDEX ON rollup.country_stats_5m (bucket);

CREATE TABLE rollup.actor_stats_1h (
    bucket        timestamptz NOT NULL,
    actor_id      bigint      NOT NULL,
    actor         text        NOT NULL,
    country       text,
    company       text,
    event_count   bigint      NOT NULL,
    repos_touched bigint      NOT NULL,
    is_bot        boolean
);
CREATE INDEX ON rollup.actor_stats_1h (bucket);

-- Buckets are aligned as TimescaleDB's time_bucket aligns them (whole minutes and hours, UTC).
CREATE FUNCTION rollup.bucket_5m(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(INTERVAL '5 minutes', t, TIMESTAMPTZ '2000-01-01 00:00:00+00');

CREATE FUNCTION rollup.bucket_1h(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(INTERVAL '1 hour', t, TIMESTAMPTZ '2000-01-01 00:00:00+00');

-- Re-materialises one hour of every rollup from events.
CREATE FUNCTION rollup.materialize_hour(hour_start timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    DELETE FROM rollup.event_stats_5m WHERE bucket >= hour_start AND bucket < hour_start + INTERVAL '1 hour';
    INSERT INTO rollup.event_stats_5m
    SELECT rollup.bucket_5m(time), event_type, count(*)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour'
    GROUP BY 1, 2;

    DELETE FROM rollup.country_stats_5m WHERE bucket >= hour_start AND bucket < hour_start + INTERVAL '1 hour';
    INSERT INTO rollup.country_stats_5m
    SELECT rollup.bucket_5m(time), country, country_code, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour'
    GROUP BY 1, 2, 3;

    DELETE FROM rollup.actor_stats_1h WHERE bucket = hour_start;
    INSERT INTO rollup.actor_stats_1h
    SELECT hour_start, actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour'
    GROUP BY actor_id, actor;
$$;

-- Moves the watermark to the last whole hour that ended at least end_offset ago, materialising the hours it
-- passes and every hour below it that a writer changed since the last refresh. One replica at a time; the
-- others return false at once.
CREATE FUNCTION rollup.refresh(end_offset interval) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    old_mark timestamptz;
    new_mark timestamptz;
    hour_start timestamptz;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('github-events:rollup-refresh')) THEN
        RETURN false;
    END IF;

    SELECT materialized_until INTO old_mark FROM rollup.watermark FOR UPDATE;
    new_mark := greatest(old_mark, rollup.bucket_1h(now() - end_offset));
    IF old_mark = '-infinity' THEN
        old_mark := coalesce(rollup.bucket_1h((SELECT min(time) FROM public.events)), new_mark);
    END IF;

    FOR hour_start IN
        WITH taken AS (DELETE FROM rollup.invalidations RETURNING from_time, to_time)
        SELECT DISTINCT h
        FROM taken, generate_series(rollup.bucket_1h(from_time), rollup.bucket_1h(to_time), INTERVAL '1 hour') AS h
        WHERE h < old_mark
        UNION
        SELECT generate_series(old_mark, new_mark - INTERVAL '1 hour', INTERVAL '1 hour')
        ORDER BY 1
    LOOP
        PERFORM rollup.materialize_hour(hour_start);
    END LOOP;

    UPDATE rollup.watermark SET materialized_until = new_mark;
    RETURN true;
END;
$$;

-- Retention without TimescaleDB's drop_chunks.
CREATE FUNCTION rollup.drop_events_older_than(age interval) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    WITH dropped AS (DELETE FROM public.events WHERE time < now() - age RETURNING 1)
    SELECT count(*) FROM dropped;
$$;

CREATE VIEW event_stats_5m AS
SELECT bucket, event_type, event_count
FROM rollup.event_stats_5m
WHERE bucket < (SELECT materialized_until FROM rollup.watermark)
UNION ALL
SELECT rollup.bucket_5m(time), event_type, count(*)
FROM events
WHERE time >= (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2;

CREATE VIEW country_stats_5m AS
SELECT bucket, country, country_code, event_count, unique_actors
FROM rollup.country_stats_5m
WHERE bucket < (SELECT materialized_until FROM rollup.watermark)
UNION ALL
SELECT rollup.bucket_5m(time), country, country_code, count(*), count(DISTINCT actor_id)
FROM events
WHERE time >= (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2, 3;

CREATE VIEW actor_stats_1h AS
SELECT bucket, actor_id, actor, country, company, event_count, repos_touched, is_bot
FROM rollup.actor_stats_1h
WHERE bucket < (SELECT materialized_until FROM rollup.watermark)
UNION ALL
SELECT rollup.bucket_1h(time), actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
FROM events
WHERE time >= (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2, 3;
