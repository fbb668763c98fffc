-- The watched feeds' events per 5 minutes, repository and set of sources, without TimescaleDB: materialised with the
-- other 5-minute rollups (rollup.materialize_5m); the events below the watermark are materialised here.
CREATE TABLE rollup.watch_stats_5m (
    bucket      timestamptz NOT NULL,
    repo        text,
    sources     smallint    NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.watch_stats_5m (bucket);

INSERT INTO rollup.watch_stats_5m
SELECT date_bin(INTERVAL '5 minutes', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'), repo, sources, count(*)
FROM events WHERE time < (SELECT materialized_until FROM rollup.watermark) AND sources & 4 <> 0
GROUP BY 1, 2, 3;
