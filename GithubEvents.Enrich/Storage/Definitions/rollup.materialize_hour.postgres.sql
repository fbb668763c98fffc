-- Re-materialises the hourly rollups of the hours from from_time to to_time (both on whole hours) from events, in one
-- pass over the range, as rollup.materialize_5m does the 5-minute ones: the range is cleared, then aggregated again.
CREATE OR REPLACE FUNCTION rollup.materialize_hour(from_time timestamptz, to_time timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT rollup.clear_range(ARRAY['actor_stats_1h', 'repo_stats_1h'], from_time, to_time);

    INSERT INTO rollup.actor_stats_1h
    SELECT rollup.bucket_1h(time), actor_id, actor, max(country), max(company), count(*), count(DISTINCT repo), bool_or(is_bot)
    FROM public.events WHERE time >= from_time AND time < to_time
    GROUP BY 1, actor_id, actor;

    INSERT INTO rollup.repo_stats_1h
    SELECT rollup.bucket_1h(time), repo, is_bot, count(*), count(DISTINCT actor_id)
    FROM public.events WHERE time >= from_time AND time < to_time AND repo IS NOT NULL
    GROUP BY 1, repo, is_bot;
$$;

-- Only the owner, and the roles it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION rollup.materialize_hour(timestamptz, timestamptz) FROM PUBLIC;
