-- Re-materialises one 5-minute slice of the 1- and 5-minute rollups from events.
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

    DELETE FROM rollup.watch_stats_5m WHERE bucket = slice_start;
    INSERT INTO rollup.watch_stats_5m
    SELECT slice_start, repo, sources, count(*)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes' AND sources & 4 <> 0
    GROUP BY 2, 3;
$$;
