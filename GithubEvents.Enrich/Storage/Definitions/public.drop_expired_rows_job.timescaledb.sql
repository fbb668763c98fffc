-- TimescaleDB's job for drop_expired_rows (its signature is TimescaleDB's; see TimescalePolicies): config is
-- {"max_rows": N, "tables": [["ingest_polls", seconds], ...]}, the tables in their order. Each slice is committed on its own, so that an interrupted run
-- (max_runtime) keeps what it deleted and the next one goes on from there.
CREATE OR REPLACE PROCEDURE drop_expired_rows_job(job_id integer, config jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
    max_rows integer := (config->>'max_rows')::integer;
    expired record;
BEGIN
    FOR expired IN SELECT t->>0 AS "table", make_interval(secs => (t->>1)::double precision) AS age FROM jsonb_array_elements(config->'tables') AS t LOOP
        WHILE drop_expired_rows(expired."table", expired.age, max_rows) = max_rows LOOP
            COMMIT;
        END LOOP;
        COMMIT;
    END LOOP;
END;
$$;

REVOKE EXECUTE ON PROCEDURE drop_expired_rows_job(integer, jsonb) FROM PUBLIC;
