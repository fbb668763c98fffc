-- The watermark as the views read it. Declared IMMUTABLE so that the planner folds it into a constant when it plans a
-- query: with `time >= (SELECT materialized_until ...)` it cannot estimate the real-time part, guesses a third of the
-- events and scans them all. A value kept in a cached plan is older, never wrong: both halves of a view use the same
-- one, so a stale watermark only moves rows from the rollup half to the real-time half. SECURITY DEFINER: the reader
-- cannot read the rollup schema.
CREATE OR REPLACE FUNCTION rollup.materialized_until() RETURNS timestamptz
LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT materialized_until FROM rollup.watermark $$;
