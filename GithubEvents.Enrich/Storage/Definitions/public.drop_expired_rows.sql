-- Retention of the tables that grow with time besides events (Storage:Retention) and the continuous aggregates (their
-- retention policies): deletes rows of table older than age, at most max_rows a call (NULL: all), so that each call is
-- short; returns how many, fewer than max_rows once none is left. Enrich's maintenance calls it without TimescaleDB,
-- drop_expired_rows_job with it, each table with its Retention:* setting (RetentionOptions.Tables). What "older" means
-- is the table's own:
--   ingest_polls, watch_polls, pipeline_minutes: the minute; kafka_gaps: the first message after the gap; restored_objects: when GitHub answered; the plain path's rollup tables: the
--   bucket;
--   actor_backlog: the newest queued row (age: the events' retention, past which nothing is left to fill);
--   actors: profiles are personal data, kept while an event within age names the actor (age: the events' retention);
--   locations: the places that no profile kept names any more.
CREATE OR REPLACE FUNCTION drop_expired_rows("table" text, age interval, max_rows integer DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    expired text := CASE
        WHEN "table" IN ('ingest_polls', 'watch_polls', 'pipeline_minutes') THEN 'minute < $1'
        WHEN "table" = 'kafka_gaps' THEN 'after_time < $1'
        WHEN "table" = 'restored_objects' THEN 'fetched_at < $1'
        WHEN "table" IN ('rollup.event_stats_1m', 'rollup.event_stats_5m', 'rollup.country_stats_5m', 'rollup.capture_stats_5m',
                         'rollup.watch_stats_5m', 'rollup.actor_stats_1h', 'rollup.repo_stats_1h') THEN 'bucket < $1'
        WHEN "table" = 'actor_backlog' THEN 'last_time < $1'
        WHEN "table" = 'actors' THEN 'fetched_at < $1 AND NOT EXISTS (SELECT FROM public.events e WHERE e.actor = t.login AND e.time >= $1)'
        WHEN "table" = 'locations' THEN 'resolved_at < $1 AND NOT EXISTS (SELECT FROM public.actors a WHERE a.location_key = t.key)'
    END;
    dropped bigint;
BEGIN
    IF expired IS NULL THEN
        RAISE EXCEPTION 'drop_expired_rows knows no table %', "table" USING ERRCODE = 'invalid_parameter_value';
    END IF;

    EXECUTE format('WITH dropped AS (DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s t WHERE %2$s LIMIT $2)) RETURNING 1) '
                   'SELECT count(*) FROM dropped', "table", expired)
        INTO dropped USING now() - age, max_rows;
    RETURN dropped;
END;
$$;

REVOKE EXECUTE ON FUNCTION drop_expired_rows(text, interval, integer) FROM PUBLIC;
