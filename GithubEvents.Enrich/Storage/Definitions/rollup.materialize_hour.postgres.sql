-- Re-materialises the hourly rollups of the hours from from_time to to_time (both on whole hours) from events, in one
-- pass over the range (the 5-minute ones: rollup.materialize_5m).
CREATE OR REPLACE FUNCTION rollup.materialize_hour(from_time timestamptz, to_time timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    DELETE FROM rollup.actor_stats_1h WHERE bucket >= from_time AND bucket < to_time;
    INSERT INTO rollup.actor_stats_1h
    SELECT rollup.bucket_1h(time), actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, actor_id, actor;

    DELETE FROM rollup.repo_stats_1h WHERE bucket >= from_time AND bucket < to_time;
    INSERT INTO rollup.repo_stats_1h
    SELECT rollup.bucket_1h(time), repo, is_bot, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= from_time AND time < to_time AND repo IS NOT NULL
    GROUP BY 1, repo, is_bot;
$$;
