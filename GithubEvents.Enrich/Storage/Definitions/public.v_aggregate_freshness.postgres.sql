-- How far each aggregate is materialised, for the alert "Aggregates stale" (issue 27). Without TimescaleDB: the rollups'
-- watermark, which moves by 5-minute slices (the hourly rollups': its hour, materialised with the slice that completes
-- it), and the lag Enrich's refresh allows: a slice or an hour, Storage:AggregateRefreshLag and one
-- Storage:AggregateRefreshInterval, which Enrich records beside the watermark at start-up.
CREATE OR REPLACE VIEW v_aggregate_freshness AS
SELECT a.relation,
       CASE WHEN a.bucket_width = INTERVAL '1 hour' AND isfinite(w.materialized_until) THEN rollup.bucket_1h(w.materialized_until)
            ELSE w.materialized_until END AS materialized_until,
       greatest(a.bucket_width, INTERVAL '5 minutes') + w.refresh_lag + w.refresh_interval AS expected_lag
FROM (VALUES ('event_stats_1m', INTERVAL '1 minute'), ('event_stats_5m', INTERVAL '5 minutes'), ('country_stats_5m', INTERVAL '5 minutes'),
             ('capture_stats_5m', INTERVAL '5 minutes'), ('watch_stats_5m', INTERVAL '5 minutes'),
             ('actor_stats_1h', INTERVAL '1 hour'), ('repo_stats_1h', INTERVAL '1 hour')) AS a (relation, bucket_width)
CROSS JOIN rollup.watermark w;
