-- The dashboard's aggregates at volume (issue 12): event_stats_1m (per minute and type, with the counts behind the
-- coverage shares) and repo_stats_1h (per hour, repository and bot flag: events and distinct actors), continuous
-- aggregates with real-time aggregation like the others; their refresh policies are set from Storage:* at start-up,
-- and their first refresh materialises the existing events of the refresh window.
CREATE MATERIALIZED VIEW event_stats_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 minute', time) AS bucket,
       event_type,
       count(*) AS event_count,
       count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL) AS profile_events,
       count(*) FILTER (WHERE country_code IS NOT NULL) AS country_events
FROM events
GROUP BY bucket, event_type
WITH NO DATA;

CREATE MATERIALIZED VIEW repo_stats_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket,
       repo,
       is_bot,
       count(*) AS event_count,
       count(DISTINCT actor_id) AS actors
FROM events
WHERE repo IS NOT NULL
GROUP BY bucket, repo, is_bot
WITH NO DATA;
