-- Retention without TimescaleDB's drop_chunks.
CREATE OR REPLACE FUNCTION rollup.drop_events_older_than(age interval) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    WITH dropped AS (DELETE FROM public.events WHERE time < now() - age RETURNING 1)
    SELECT count(*) FROM dropped;
$$;
