-- What each relation that grows with time takes on disk (table, indexes and TOAST; on TimescaleDB every chunk, the
-- continuous aggregates' materialised rows, compressed or not) and the time its rows span, read from its time column
-- through an index. Security definer so that Grafana's role can read it without reading the rollup schema; it takes no
-- argument and names its relations itself.
CREATE OR REPLACE FUNCTION storage_usage() RETURNS TABLE (relation text, bytes bigint, oldest timestamptz, newest timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    timescaledb boolean := to_regclass('timescaledb_information.continuous_aggregates') IS NOT NULL;
    aggregate boolean;
    time_column text;
    stored regclass;
BEGIN
    FOR relation, time_column, aggregate IN VALUES
        ('events', 'time', false),
        ('event_stats_1m', 'bucket', true), ('event_stats_5m', 'bucket', true), ('country_stats_5m', 'bucket', true),
        ('capture_stats_5m', 'bucket', true), ('watch_stats_5m', 'bucket', true), ('actor_stats_1h', 'bucket', true),
        ('repo_stats_1h', 'bucket', true),
        ('top_repos_24h', 'as_of', false), ('top_actors_24h', 'as_of', false), ('top_countries_24h', 'as_of', false),
        ('ingest_polls', 'minute', false), ('watch_polls', 'minute', false), ('pipeline_minutes', 'minute', false), ('kafka_gaps', 'after_time', false), ('actor_backlog', 'last_time', false),
        ('actors', 'fetched_at', false), ('locations', 'resolved_at', false), ('restored_objects', 'fetched_at', false)
    LOOP
        IF aggregate AND timescaledb THEN
            EXECUTE 'SELECT format(''%I.%I'', materialization_hypertable_schema, materialization_hypertable_name)::regclass
                     FROM timescaledb_information.continuous_aggregates WHERE view_schema = ''public'' AND view_name = $1'
                INTO stored USING relation;
        ELSE
            stored := (CASE WHEN aggregate THEN 'rollup.' ELSE 'public.' END || relation)::regclass;
        END IF;

        IF timescaledb AND (aggregate OR relation = 'events') THEN
            EXECUTE 'SELECT hypertable_size($1)' INTO bytes USING stored;
        ELSE
            bytes := pg_total_relation_size(stored);
        END IF;

        EXECUTE format('SELECT min(%1$I), max(%1$I) FROM %2$s', time_column, stored) INTO oldest, newest;
        RETURN NEXT;
    END LOOP;
END;
$$;
