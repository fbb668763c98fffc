-- Buckets are aligned as TimescaleDB's time_bucket aligns them (whole minutes and hours, UTC).
CREATE OR REPLACE FUNCTION rollup.bucket_1h(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(INTERVAL '1 hour', t, TIMESTAMPTZ '2000-01-01 00:00:00+00');
