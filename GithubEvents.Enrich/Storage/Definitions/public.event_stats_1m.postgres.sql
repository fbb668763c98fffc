-- Events per minute and type, with the counts behind the coverage shares: whole slices from the rollup, the rest from
-- events at query time (TimescaleDB: a continuous aggregate, 0007_dashboard_aggregates.timescaledb.sql).
CREATE OR REPLACE VIEW event_stats_1m AS
SELECT bucket, event_type, event_count, profile_events, country_events
FROM rollup.event_stats_1m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_1m(time), event_type, count(*),
       count(*) FILTER (WHERE is_bot OR public_repos IS NOT NULL OR location IS NOT NULL OR company IS NOT NULL),
       count(*) FILTER (WHERE country_code IS NOT NULL)
FROM events
WHERE time >= rollup.materialized_until()
GROUP BY 1, 2;
