-- Re-materialises the 1- and 5-minute rollups of the 5-minute slices from from_time to to_time (both on 5-minute
-- boundaries) from events, in one pass over the range: the range is cleared in each rollup, then aggregated again.
CREATE OR REPLACE FUNCTION rollup.materialize_5m(from_time timestamptz, to_time timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT rollup.clear_range(ARRAY['event_stats_1m', 'event_stats_5m', 'country_stats_5m', 'capture_stats_5m', 'watch_stats_5m'], from_time, to_time);

    INSERT INTO rollup.event_stats_1m
    SELECT rollup.bucket_1m(time), event_type, count(*),
           count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
           count(*) FILTER (WHERE country_code IS NOT NULL)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, 2;

    INSERT INTO rollup.event_stats_5m
    SELECT rollup.bucket_5m(time), event_type, count(*)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, 2;

    INSERT INTO rollup.country_stats_5m
    SELECT rollup.bucket_5m(time), country, country_code, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, 2, 3;

    INSERT INTO rollup.capture_stats_5m
    SELECT rollup.bucket_5m(time), sources, count(*)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, 2;

    INSERT INTO rollup.watch_stats_5m
    SELECT rollup.bucket_5m(time), repo, sources, count(*)
    FROM public.events WHERE time >= from_time AND time < to_time AND sources & 4 <> 0
    GROUP BY 1, 2, 3;
$$;

-- Only the owner, and the roles it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION rollup.materialize_5m(timestamptz, timestamptz) FROM PUBLIC;
