-- The schedule Enrich refreshes the rollups on (Storage:AggregateRefreshLag, Storage:AggregateRefreshInterval), beside
-- the watermark it moves, so that v_aggregate_freshness can tell how far behind the rollups may be; TimescaleDB keeps
-- the same in its refresh policies. Written at every start-up (RollupSchedule); the defaults until then are the settings'.
ALTER TABLE rollup.watermark
    ADD COLUMN refresh_lag      interval NOT NULL DEFAULT INTERVAL '1 minute',
    ADD COLUMN refresh_interval interval NOT NULL DEFAULT INTERVAL '1 minute';
