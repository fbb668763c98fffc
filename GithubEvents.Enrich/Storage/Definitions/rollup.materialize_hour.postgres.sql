-- Re-materialises one hour of the hourly rollups from events (the 5-minute ones: rollup.materialize_5m).
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
