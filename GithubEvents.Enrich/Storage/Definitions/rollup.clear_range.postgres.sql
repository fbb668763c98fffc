-- Deletes the buckets from from_time to to_time of the rollup tables named, before a materialize_* function aggregates
-- that range again.
CREATE OR REPLACE FUNCTION rollup.clear_range(rollup_tables text[], from_time timestamptz, to_time timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rollup_table text;
BEGIN
    FOREACH rollup_table IN ARRAY rollup_tables LOOP
        EXECUTE format('DELETE FROM rollup.%I WHERE bucket >= $1 AND bucket < $2', rollup_table) USING from_time, to_time;
    END LOOP;
END;
$$;

-- Only the owner, and the roles it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION rollup.clear_range(text[], timestamptz, timestamptz) FROM PUBLIC;
