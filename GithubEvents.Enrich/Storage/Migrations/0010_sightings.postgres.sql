-- Events per 5 minutes by the set of sources that delivered them, without TimescaleDB: materialised with the other
-- 5-minute rollups. The writer logs the time of an event it adds a source to, like that of a new one, so that its
-- slice is materialised again.
CREATE TABLE rollup.capture_stats_5m (
    bucket      timestamptz NOT NULL,
    sources     smallint    NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.capture_stats_5m (bucket);

-- 0007's materialize_5m, and capture_stats_5m.
CREATE OR REPLACE FUNCTION rollup.materialize_5m(slice_start timestamptz) RETURNS void
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

    DELETE FROM rollup.capture_stats_5m WHERE bucket = slice_start;
    INSERT INTO rollup.capture_stats_5m
    SELECT slice_start, sources, count(*)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes'
    GROUP BY 2;
$$;

INSERT INTO rollup.capture_stats_5m
SELECT rollup.bucket_5m(time), sources, count(*)
FROM events WHERE time < rollup.materialized_until()
GROUP BY 1, 2;

CREATE VIEW capture_stats_5m AS
SELECT bucket, sources, event_count
FROM rollup.capture_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), sources, count(*)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;
