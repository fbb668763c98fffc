-- The busiest repositories, actors and countries of the last 24 hours, ranked every Storage:RankingRefreshInterval
-- (Enrich's maintenance without TimescaleDB, a TimescaleDB job with it: refresh_top_24h_job) into top_repos_24h,
-- top_actors_24h and top_countries_24h: a ranking over a day of hourly aggregates costs about half a minute of CPU at
-- 10,000,000 events a day, far too much for every dashboard refresh, and the dashboard reads a few rows there. The window
-- is the hourly buckets that start in the last 24 hours, up to the moment of the ranking (as_of); include_bots false
-- leaves the bot accounts' events out. The 100 first repositories and actors, every country; actors are exact distinct
-- counts.
--
-- Each ranking is written by a SELECT over data-modifying CTEs rather than by INSERT ... SELECT. TimescaleDB turns the
-- watermark of a continuous aggregate's real-time view into a constant when it plans a SELECT; under an INSERT it calls
-- the watermark function for every row it reads, and at 10,000,000 events a day that took the ranking from about half a
-- minute of CPU to five and a half.
CREATE OR REPLACE FUNCTION refresh_top_24h() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET work_mem = '128MB'
AS $$
DECLARE
    as_of timestamptz := now();
    -- The first hourly bucket that starts in the last 24 hours (buckets are aligned on whole UTC hours).
    first_hour timestamptz := date_bin(INTERVAL '1 hour', now() - INTERVAL '24 hours' - INTERVAL '1 microsecond', TIMESTAMPTZ '2000-01-01 00:00:00+00') + INTERVAL '1 hour';
    written bigint; -- what each ranking wrote: PL/pgSQL runs a SELECT only with a target
BEGIN
    -- One ranking at a time; a concurrent one would only repeat the work.
    IF NOT pg_try_advisory_xact_lock(hashtext('github-events:top-24h')) THEN
        RETURN;
    END IF;

    DELETE FROM top_repos_24h;
    WITH totals AS MATERIALIZED (
        SELECT repo, coalesce(sum(event_count) FILTER (WHERE NOT is_bot), 0)::bigint AS people, sum(event_count)::bigint AS everyone
        FROM repo_stats_1h WHERE bucket >= first_hour
        GROUP BY repo
    ), ranked AS MATERIALIZED (
        SELECT false AS include_bots, row_number() OVER (ORDER BY people DESC, repo)::int AS rank, repo, people AS events
        FROM (SELECT repo, people FROM totals WHERE people > 0 ORDER BY people DESC, repo LIMIT 100) AS top
        UNION ALL
        SELECT true, row_number() OVER (ORDER BY everyone DESC, repo)::int, repo, everyone
        FROM (SELECT repo, everyone FROM totals ORDER BY everyone DESC, repo LIMIT 100) AS top
    ), actors AS MATERIALIZED (
        -- Exact, from the events of each ranked repository through the repository index, once a repository.
        SELECT r.repo, a.people, a.everyone
        FROM (SELECT DISTINCT repo FROM ranked) AS r,
             LATERAL (SELECT count(DISTINCT e.actor_id) FILTER (WHERE NOT e.is_bot) AS people, count(DISTINCT e.actor_id) AS everyone
                      FROM events e WHERE e.repo = r.repo AND e.time >= first_hour) AS a
    ), inserted AS (
        INSERT INTO top_repos_24h
        SELECT r.include_bots, r.rank, r.repo, r.events, CASE WHEN r.include_bots THEN a.everyone ELSE a.people END, as_of
        FROM ranked r JOIN actors a ON a.repo = r.repo
        RETURNING 1
    )
    SELECT count(*) INTO written FROM inserted;

    DELETE FROM top_actors_24h;
    DELETE FROM top_countries_24h;
    WITH totals AS MATERIALIZED (
        SELECT actor_id, actor, max(country) AS country, max(company) AS company,
               coalesce(sum(event_count) FILTER (WHERE NOT is_bot), 0)::bigint AS people, sum(event_count)::bigint AS everyone
        FROM actor_stats_1h WHERE bucket >= first_hour
        GROUP BY actor_id, actor
    ), ranked AS (
        INSERT INTO top_actors_24h
        SELECT false, row_number() OVER (ORDER BY people DESC, actor), actor_id, actor, country, company, people, as_of
        FROM (SELECT * FROM totals WHERE people > 0 ORDER BY people DESC, actor LIMIT 100) AS top
        UNION ALL
        SELECT true, row_number() OVER (ORDER BY everyone DESC, actor), actor_id, actor, country, company, everyone, as_of
        FROM (SELECT * FROM totals ORDER BY everyone DESC, actor LIMIT 100) AS top
        RETURNING 1
    ), countries AS (
        -- Events from the 5-minute aggregate; an actor counts in the country of their profile.
        INSERT INTO top_countries_24h
        SELECT row_number() OVER (ORDER BY e.events DESC, e.country), e.country, e.country_code, e.events, coalesce(a.actors, 0), as_of
        FROM (SELECT country, country_code, sum(event_count)::bigint AS events FROM country_stats_5m
              WHERE bucket >= first_hour AND country IS NOT NULL GROUP BY country, country_code) AS e
        LEFT JOIN (SELECT country, count(*) AS actors FROM totals WHERE country IS NOT NULL GROUP BY country) AS a ON a.country = e.country
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM ranked) + (SELECT count(*) FROM countries) INTO written;
END;
$$;

REVOKE EXECUTE ON FUNCTION refresh_top_24h() FROM PUBLIC;
