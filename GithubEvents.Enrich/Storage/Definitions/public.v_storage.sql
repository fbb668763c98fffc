-- Each relation's bytes on disk and the days its rows span (storage_usage()), for the dashboard and its alerts: set
-- against the retention settings and the disk (docs/storage.md, "Retention"), it shows what fills the disk and whether
-- the retention keeps up.
CREATE OR REPLACE VIEW v_storage AS
SELECT relation, bytes, pg_size_pretty(bytes) AS size, oldest, newest,
       round((extract(epoch FROM newest - oldest) / 86400)::numeric, 2) AS days
FROM storage_usage();
