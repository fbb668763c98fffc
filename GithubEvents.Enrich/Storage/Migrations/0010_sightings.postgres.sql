-- Events per hour by the set of sources that delivered them, without TimescaleDB: materialised with the other hourly
-- rollups. The writer logs the time of an event it adds a source to, like that of a new one, so that its hour is
-- materialised again.
CREATE TABLE rollup.capture_stats_1h (
    bucket      timestamptz NOT NULL,
    sources     smallint    NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.capture_stats_1h (bucket);

-- 0007's materialize_hour, and capture_stats_1h.
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

    DELETE FROM rollup.capture_stats_1h WHERE bucket = hour_start;
    INSERT INTO rollup.capture_stats_1h
    SELECT hour_start, sources, count(*)
    FROM public.events WHERE time >= hour_start AND time < hour_start + INTERVAL '1 hour'
    GROUP BY sources;
$$;

INSERT INTO rollup.capture_stats_1h
SELECT rollup.bucket_1h(time), sources, count(*)
FROM events WHERE time < rollup.hours_materialized_until()
GROUP BY 1, 2;

CREATE VIEW capture_stats_1h AS
SELECT bucket, sources, event_count
FROM rollup.capture_stats_1h
WHERE bucket < rollup.hours_materialized_until()
UNION ALL
SELECT rollup.bucket_1h(time), sources, count(*)
FROM events
WHERE time >= rollup.hours_materialized_until()
GROUP BY 1, 2;
