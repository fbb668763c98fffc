CREATE EXTENSION IF NOT EXISTS timescaledb;

-- The chunk interval, the compression age and the retention are set from Storage:* at every start-up.
SELECT create_hypertable('events', by_range('time', INTERVAL '1 day'));

ALTER TABLE events SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'event_type',
    timescaledb.compress_orderby = 'time DESC, event_id'
);
