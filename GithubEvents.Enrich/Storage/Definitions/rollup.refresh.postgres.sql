-- Without TimescaleDB the aggregates work as its continuous aggregates do: completed slices are materialised in the
-- rollup schema, everything from the watermark on is aggregated from events at query time, and writers log the time
-- range of every batch (rollup.invalidations) so that a refresh re-materialises slices that changed after the fact.
--
-- Moves the watermark to the last 5-minute boundary at least end_offset ago, materialising the slices it passes (and
-- the hours it completes), and every slice below it (and hour below its hour) that a writer changed since the last
-- refresh. One replica at a time; the others return false at once.
CREATE OR REPLACE FUNCTION rollup.refresh(end_offset interval) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    old_mark timestamptz;
    new_mark timestamptz;
    changed timestamptz[];
    slice timestamptz;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('github-events:rollup-refresh')) THEN
        RETURN false;
    END IF;

    SELECT materialized_until INTO old_mark FROM rollup.watermark FOR UPDATE;
    new_mark := greatest(old_mark, rollup.bucket_5m(now() - end_offset));
    IF old_mark = '-infinity' THEN
        old_mark := coalesce(rollup.bucket_1h((SELECT min(time) FROM public.events)), new_mark);
    END IF;

    WITH taken AS (DELETE FROM rollup.invalidations RETURNING from_time, to_time)
    SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') INTO changed
    FROM taken, generate_series(rollup.bucket_5m(from_time), rollup.bucket_5m(least(to_time, old_mark)), INTERVAL '5 minutes') AS s
    WHERE s < old_mark;

    FOR slice IN
        SELECT unnest(changed)
        UNION
        SELECT generate_series(old_mark, new_mark - INTERVAL '5 minutes', INTERVAL '5 minutes')
        ORDER BY 1
    LOOP
        PERFORM rollup.materialize_5m(slice);
    END LOOP;

    FOR slice IN
        SELECT DISTINCT rollup.bucket_1h(s) FROM unnest(changed) AS s WHERE s < rollup.bucket_1h(old_mark)
        UNION
        SELECT generate_series(rollup.bucket_1h(old_mark), rollup.bucket_1h(new_mark) - INTERVAL '1 hour', INTERVAL '1 hour')
        ORDER BY 1
    LOOP
        PERFORM rollup.materialize_hour(slice);
    END LOOP;

    UPDATE rollup.watermark SET materialized_until = new_mark;
    RETURN true;
END;
$$;
