-- The watched feeds' events per 5 minutes, repository and set of sources, without TimescaleDB: materialised with the
-- other 5-minute rollups. materialize_5m keeps its body under another name and materialises this one after it.
CREATE TABLE rollup.watch_stats_5m (
    bucket      timestamptz NOT NULL,
    repo        text,
    sources     smallint    NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.watch_stats_5m (bucket);

ALTER FUNCTION rollup.materialize_5m(timestamptz) RENAME TO materialize_5m_without_watch;

CREATE FUNCTION rollup.materialize_5m(slice_start timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT rollup.materialize_5m_without_watch(slice_start);

    DELETE FROM rollup.watch_stats_5m WHERE bucket = slice_start;
    INSERT INTO rollup.watch_stats_5m
    SELECT slice_start, repo, sources, count(*)
    FROM public.events WHERE time >= slice_start AND time < slice_start + INTERVAL '5 minutes' AND sources & 4 <> 0
    GROUP BY 2, 3;
$$;

INSERT INTO rollup.watch_stats_5m
SELECT rollup.bucket_5m(time), repo, sources, count(*)
FROM events WHERE time < rollup.materialized_until() AND sources & 4 <> 0
GROUP BY 1, 2, 3;

CREATE VIEW watch_stats_5m AS
SELECT bucket, repo, sources, event_count
FROM rollup.watch_stats_5m
WHERE bucket < rollup.materialized_until()
UNION ALL
SELECT rollup.bucket_5m(time), repo, sources, count(*)
FROM events
WHERE time >= rollup.materialized_until() AND sources & 4 <> 0
GROUP BY 1, 2, 3;
