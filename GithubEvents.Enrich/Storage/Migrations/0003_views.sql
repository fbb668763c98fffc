-- The dashboard's and the README's views; they read the same relations on both storage paths.
CREATE VIEW v_event_rate_1m AS
SELECT date_trunc('minute', time) AS minute,
       event_type,
       count(*) AS events
FROM events
WHERE time >= now() - INTERVAL '30 minutes'
GROUP BY 1, 2;

CREATE VIEW v_top_countries_24h AS
SELECT country,
       country_code,
       count(*) AS events,
       count(DISTINCT actor_id) AS actors
FROM events
WHERE time >= now() - INTERVAL '24 hours' AND country IS NOT NULL
GROUP BY country, country_code
ORDER BY events DESC, country;

CREATE VIEW v_top_repos_24h AS
SELECT repo,
       count(*) AS events,
       count(DISTINCT actor_id) AS actors
FROM events
WHERE time >= now() - INTERVAL '24 hours' AND repo IS NOT NULL
GROUP BY repo
ORDER BY events DESC, repo;

CREATE VIEW v_recent_events AS
SELECT time, event_type, actor, repo, detail, country, company, public_repos
FROM events
ORDER BY time DESC;

-- The whole event as GitHub sent it (as jsonb: member order and whitespace are not kept), for reprocessing.
CREATE VIEW v_raw_events AS
SELECT time, event_id, envelope || jsonb_build_object('payload', payload) AS event
FROM events;
