-- Without TimescaleDB the aggregates work as its continuous aggregates do: completed slices are materialised in the
-- rollup schema, everything from the watermark on is aggregated from events at query time, and writers log the time
-- range of every batch (rollup.invalidations) so that a refresh re-materialises slices that changed after the fact.
--
-- Moves the watermark towards the last 5-minute boundary at least end_offset ago, materialising the slices it passes
-- (and the hours it completes) in one pass, and the slices below it (and hours below its hour) that a writer changed
-- since: at most max_slices slices a call (NULL: all), the changed ones first, so that each call is short and a long catch-up (a first
-- refresh over a backfill, say) is many calls. Returns the slices materialised: fewer than max_slices once caught up;
-- NULL while another replica refreshes (one at a time).
CREATE OR REPLACE FUNCTION rollup.refresh(end_offset interval, max_slices integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    old_mark timestamptz;
    target timestamptz;
    new_mark timestamptz;
    changed timestamptz[];
    slice timestamptz;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('github-events:rollup-refresh')) THEN
        RETURN NULL;
    END IF;

    SELECT materialized_until INTO old_mark FROM rollup.watermark FOR UPDATE;
    target := greatest(old_mark, rollup.bucket_5m(now() - end_offset));
    IF old_mark = '-infinity' THEN
        old_mark := coalesce(rollup.bucket_1h((SELECT min(time) FROM public.events)), target);
    END IF;

    WITH taken AS (DELETE FROM rollup.invalidations RETURNING from_time, to_time)
    SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') INTO changed
    FROM taken, generate_series(rollup.bucket_5m(from_time), rollup.bucket_5m(least(to_time, old_mark)), INTERVAL '5 minutes') AS s
    WHERE s < old_mark;

    -- Changed slices past this call's share stay logged for the next call.
    IF cardinality(changed) > max_slices THEN
        INSERT INTO rollup.invalidations (from_time, to_time) SELECT s, s FROM unnest(changed[max_slices + 1:]) AS s;
        changed := changed[1:max_slices];
    END IF;
    new_mark := least(target, old_mark + (max_slices - cardinality(changed)) * INTERVAL '5 minutes');

    FOREACH slice IN ARRAY changed LOOP
        PERFORM rollup.materialize_5m(slice, slice + INTERVAL '5 minutes');
    END LOOP;
    IF new_mark > old_mark THEN
        PERFORM rollup.materialize_5m(old_mark, new_mark);
    END IF;

    FOR slice IN SELECT DISTINCT rollup.bucket_1h(s) FROM unnest(changed) AS s WHERE s < rollup.bucket_1h(old_mark) LOOP
        PERFORM rollup.materialize_hour(slice, slice + INTERVAL '1 hour');
    END LOOP;
    IF rollup.bucket_1h(new_mark) > rollup.bucket_1h(old_mark) THEN
        PERFORM rollup.materialize_hour(rollup.bucket_1h(old_mark), rollup.bucket_1h(new_mark));
    END IF;

    UPDATE rollup.watermark SET materialized_until = new_mark;
    RETURN cardinality(changed) + greatest((extract(epoch FROM new_mark - old_mark) / 300)::integer, 0);
END;
$$;

-- Only the owner, and the roles it grants it to by name (DatabaseRoles).
REVOKE EXECUTE ON FUNCTION rollup.refresh(interval, integer) FROM PUBLIC;
