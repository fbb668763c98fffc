-- Retention without TimescaleDB's drop_chunks: deletes events older than age, at most max_rows of them a call (NULL:
-- all), the oldest first, so that each call is short. Returns the events deleted: fewer than max_rows once none is left.
-- Only events the rollups hold already go: below the hours materialised, and below every slice a writer changed since
-- the last refresh (the refresh would otherwise materialise that slice again without them), and below what the archive
-- keeps (archive_hold: an hour not archived yet or changed since; nothing with the archive off).
CREATE OR REPLACE FUNCTION rollup.drop_events_older_than(age interval, max_rows integer DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    WITH cutoff AS (
        SELECT least(now() - age, (SELECT rollup.bucket_1h(materialized_until) FROM rollup.watermark),
                     (SELECT rollup.bucket_5m(min(from_time)) FROM rollup.invalidations),
                     public.archive_hold(now() - age)) AS before
    ), dropped AS (
        DELETE FROM public.events
        WHERE ctid = ANY (ARRAY(SELECT ctid FROM public.events, cutoff WHERE time < cutoff.before ORDER BY time LIMIT max_rows))
        RETURNING 1)
    SELECT count(*) FROM dropped;
$$;

-- Only the owner, and the roles it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION rollup.drop_events_older_than(interval, integer) FROM PUBLIC;
