-- How far each aggregate is materialised, for the alert "Aggregates stale" (issue 27). With TimescaleDB, per continuous
-- aggregate: its watermark, or, where it reaches further, the last successful run of its refresh policy less the
-- policy's end_offset, down to its bucket (the watermark is the end of the newest materialised bucket, so it stays put
-- while no new rows come, as for watch_stats_5m without watched repositories); and the lag the policy allows: a bucket,
-- the end_offset and one schedule_interval. A run's finish stands for its start, so a long run reads a little fresher
-- than it is. Without its policy an aggregate is allowed one bucket, and only its watermark counts.
CREATE OR REPLACE VIEW v_aggregate_freshness AS
SELECT a.relation,
       greatest(coalesce(aggregate_watermark(c.mat_hypertable_id), '-infinity'),
                date_bin(a.bucket_width, s.last_successful_finish - (j.config ->> 'end_offset')::interval, TIMESTAMPTZ '2000-01-01 00:00:00+00'))
           AS materialized_until,
       a.bucket_width + coalesce((j.config ->> 'end_offset')::interval, INTERVAL '0') + coalesce(j.schedule_interval, INTERVAL '0') AS expected_lag
FROM (VALUES ('event_stats_1m', INTERVAL '1 minute'), ('event_stats_5m', INTERVAL '5 minutes'), ('country_stats_5m', INTERVAL '5 minutes'),
             ('capture_stats_5m', INTERVAL '5 minutes'), ('watch_stats_5m', INTERVAL '5 minutes'),
             ('actor_stats_1h', INTERVAL '1 hour'), ('repo_stats_1h', INTERVAL '1 hour')) AS a (relation, bucket_width)
JOIN _timescaledb_catalog.continuous_agg c ON c.user_view_schema = 'public' AND c.user_view_name = a.relation
LEFT JOIN timescaledb_information.jobs j ON j.proc_name = 'policy_refresh_continuous_aggregate' AND (j.config ->> 'mat_hypertable_id')::integer = c.mat_hypertable_id
LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id;
