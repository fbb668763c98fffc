-- Events and distinct actors per 5 minutes and country (TimescaleDB: a continuous aggregate, 0002_aggregates.timescaledb.sql).
CREATE OR REPLACE VIEW country_stats_5m AS
SELECT bucket, country, country_code, event_count, unique_actors
FROM rollup.country_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), country, country_code, count(*), count(DISTINCT actor_id)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2, 3;
