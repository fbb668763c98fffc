-- The watermark of the continuous aggregate whose materialisation hypertable is mat_hypertable_id, for
-- v_aggregate_freshness. TimescaleDB's cagg_watermark checks the caller's SELECT on the aggregate, and Grafana's reader
-- may read only the aggregates its panels read; this runs as the owner and tells nothing but the watermark.
CREATE OR REPLACE FUNCTION public.aggregate_watermark(mat_hypertable_id integer) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(mat_hypertable_id));
$$;

-- Only the owner, and the reader it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION public.aggregate_watermark(integer) FROM PUBLIC;
