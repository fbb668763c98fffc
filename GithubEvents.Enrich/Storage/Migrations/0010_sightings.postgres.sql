-- Events per 5 minutes by the set of sources that delivered them, without TimescaleDB: materialised with the other
-- 5-minute rollups (rollup.materialize_5m); the events below the watermark are materialised here.
CREATE TABLE rollup.capture_stats_5m (
    bucket      timestamptz NOT NULL,
    sources     smallint    NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.capture_stats_5m (bucket);

INSERT INTO rollup.capture_stats_5m
SELECT date_bin(INTERVAL '5 minutes', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sources, count(*)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark)
GROUP BY 1, 2;
