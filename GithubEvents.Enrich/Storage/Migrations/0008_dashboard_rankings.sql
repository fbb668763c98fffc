-- The busiest repositories, actors and countries of the last 24 hours, ranked by refresh_top_24h() every
-- Storage:RankingRefreshInterval (Enrich's maintenance without TimescaleDB, a TimescaleDB job with it): a ranking over
-- a day of hourly aggregates costs about half a minute of CPU at 10,000,000 events a day, far too much for every
-- dashboard refresh, and the dashboard reads a few rows here. The
-- window is the hourly buckets that start in the last 24 hours, up to the moment of the ranking (as_of); include_bots
-- false leaves the bot accounts' events out. The 100 first repositories and actors, every country; actors are exact
-- distinct counts.
CREATE TABLE top_repos_24h (
    include_bots boolean     NOT NULL,
    rank         integer     NOT NULL,
    repo         text        NOT NULL,
    events       bigint      NOT NULL,
    actors       bigint      NOT NULL,
    as_of        timestamptz NOT NULL,
    PRIMARY KEY (include_bots, rank)
);

CREATE TABLE top_actors_24h (
    include_bots boolean     NOT NULL,
    rank         integer     NOT NULL,
    actor_id     bigint      NOT NULL,
    actor        text        NOT NULL,
    country      text,
    company      text,
    events       bigint      NOT NULL,
    as_of        timestamptz NOT NULL,
    PRIMARY KEY (include_bots, rank)
);

CREATE TABLE top_countries_24h (
    rank         integer     PRIMARY KEY,
    country      text        NOT NULL,
    country_code text,
    events       bigint      NOT NULL,
    actors       bigint      NOT NULL,
    as_of        timestamptz NOT NULL
);

CREATE FUNCTION refresh_top_24h() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET work_mem = '128MB'
AS $$
DECLARE
    as_of timestamptz := now();
    -- The first hourly bucket that starts in the last 24 hours (buckets are aligned on whole UTC hours).
    first_hour timestamptz := date_bin(INTERVAL '1 hour', now() - INTERVAL '24 hours' - INTERVAL '1 microsecond', TIMESTAMPTZ '2000-01-01 00:00:00+00') + INTERVAL '1 hour';
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
    ), actors AS (
        -- Exact, from the events of each ranked repository through the repository index.
        SELECT r.repo, a.people, a.everyone
        FROM (SELECT DISTINCT repo FROM ranked) AS r,
             LATERAL (SELECT count(DISTINCT e.actor_id) FILTER (WHERE NOT e.is_bot) AS people, count(DISTINCT e.actor_id) AS everyone
                      FROM events e WHERE e.repo = r.repo AND e.time >= first_hour) AS a
    )
    INSERT INTO top_repos_24h
    SELECT r.include_bots, r.rank, r.repo, r.events, CASE WHEN r.include_bots THEN a.everyone ELSE a.people END, as_of
    FROM ranked r JOIN actors a ON a.repo = r.repo;

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
    )
    -- Events from the 5-minute aggregate; an actor counts in the country of their profile.
    INSERT INTO top_countries_24h
    SELECT row_number() OVER (ORDER BY e.events DESC, e.country), e.country, e.country_code, e.events, coalesce(a.actors, 0), as_of
    FROM (SELECT country, country_code, sum(event_count)::bigint AS events FROM country_stats_5m
          WHERE bucket >= first_hour AND country IS NOT NULL GROUP BY country, country_code) AS e
    LEFT JOIN (SELECT country, count(*) AS actors FROM totals WHERE country IS NOT NULL GROUP BY country) AS a ON a.country = e.country;
END;
$$;

-- The last 30 minutes per minute, from the minute aggregate (whole minutes) rather than 30 minutes of events.
CREATE OR REPLACE VIEW v_event_rate_1m AS
SELECT bucket AS minute, event_type, event_count AS events
FROM event_stats_1m
WHERE bucket >= now() - INTERVAL '30 minutes';

CREATE OR REPLACE VIEW v_top_countries_24h AS
SELECT country, country_code, events, actors FROM top_countries_24h ORDER BY rank;

CREATE OR REPLACE VIEW v_top_repos_24h AS
SELECT repo, events, actors FROM top_repos_24h WHERE include_bots ORDER BY rank;

CREATE VIEW v_top_actors_24h AS
SELECT actor, country, company, events FROM top_actors_24h WHERE include_bots ORDER BY rank;

-- For the last hour and the last 24 hours (whole minutes, from event_stats_1m): how many events, the share whose row
-- carries its actor's profile (filled from a GitHub profile, or a bot), the share with a country.
CREATE OR REPLACE VIEW v_enrichment_coverage AS
SELECT p.period,
       coalesce(sum(s.event_count), 0)::bigint AS events,
       coalesce(sum(s.profile_events)::double precision / nullif(sum(s.event_count), 0), 0) AS profile_share,
       coalesce(sum(s.country_events)::double precision / nullif(sum(s.event_count), 0), 0) AS country_share
FROM (VALUES ('1h', INTERVAL '1 hour', 1), ('24h', INTERVAL '24 hours', 2)) AS p (period, span, position)
LEFT JOIN event_stats_1m s ON s.bucket > now() - p.span
GROUP BY p.period, p.position
ORDER BY p.position;

-- Enrich's maintenance calls refresh_top_24h() without TimescaleDB; with it, a job runs this procedure (its signature
-- is TimescaleDB's; see TimescalePolicies). Only the writer role may rank (DatabaseRoles).
CREATE PROCEDURE refresh_top_24h_job(job_id integer, config jsonb)
LANGUAGE sql
AS $$ SELECT refresh_top_24h() $$;

REVOKE EXECUTE ON FUNCTION refresh_top_24h() FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE refresh_top_24h_job(integer, jsonb) FROM PUBLIC;
