-- TimescaleDB's job for the events' retention (its signature is TimescaleDB's; see TimescalePolicies), in place of a
-- retention policy: drops the chunks older than config's age in seconds ({"age": 432000}), but no chunk that holds an
-- hour the archive has not exported yet (archive_state.keep_from; NULL with the archive off).
CREATE OR REPLACE PROCEDURE drop_events_job(job_id integer, config jsonb)
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM drop_chunks('events', older_than => least(now() - make_interval(secs => (config->>'age')::double precision),
                                                      (SELECT keep_from FROM archive_state)));
END;
$$;

REVOKE EXECUTE ON PROCEDURE drop_events_job(integer, jsonb) FROM PUBLIC;
