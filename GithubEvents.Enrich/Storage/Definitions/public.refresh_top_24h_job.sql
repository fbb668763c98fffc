-- Enrich's maintenance calls refresh_top_24h() without TimescaleDB; with it, a job runs this procedure (its signature
-- is TimescaleDB's; see TimescalePolicies). Only the writer role may rank (DatabaseRoles).
CREATE OR REPLACE PROCEDURE refresh_top_24h_job(job_id integer, config jsonb)
LANGUAGE sql
AS $$ SELECT refresh_top_24h() $$;

REVOKE EXECUTE ON PROCEDURE refresh_top_24h_job(integer, jsonb) FROM PUBLIC;
