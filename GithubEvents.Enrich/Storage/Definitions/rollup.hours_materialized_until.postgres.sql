-- The first hour the hourly rollups do not hold whole: the hour of the watermark (see rollup.materialized_until).
CREATE OR REPLACE FUNCTION rollup.hours_materialized_until() RETURNS timestamptz
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT rollup.bucket_1h(materialized_until) FROM rollup.watermark $$;
