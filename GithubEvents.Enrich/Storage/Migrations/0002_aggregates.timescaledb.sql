-- Continuous aggregates with real-time aggregation: the newest, not yet materialised buckets are computed
-- from events at query time. Refresh policies are set from Storage:* at every start-up. Continuous aggregates stay in
-- versioned migrations: TimescaleDB cannot replace their definition in place (a change is a new one and a refresh).
CREATE MATERIALIZED VIEW event_stats_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       event_type,
       count(*) AS event_count
FROM events
GROUP BY bucket, event_type
WITH NO DATA;

CREATE MATERIALIZED VIEW country_stats_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       country,
       country_code,
       count(*) AS event_count,
       count(DISTINCT actor_id) AS unique_actors
FROM events
GROUP BY bucket, country, country_code
WITH NO DATA;

CREATE MATERIALIZED VIEW actor_stats_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket,
       actor_id,
       actor,
       max(country) AS country,
       max(company) AS company,
       count(*) AS event_count,
       count(DISTINCT repo) AS repos_touched,
       bool_or(is_bot) AS is_bot
FROM events
GROUP BY bucket, actor_id, actor
WITH NO DATA;
