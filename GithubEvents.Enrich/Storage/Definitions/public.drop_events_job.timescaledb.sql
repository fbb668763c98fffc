-- TimescaleDB's job for the events' retention (its signature is TimescaleDB's; see TimescalePolicies), in place of a
-- retention policy: drops the chunks older than config's age in seconds ({"age": 432000}), but none that holds an event
-- the archive keeps (archive_hold: an hour not archived yet or changed since; nothing with the archive off).
CREATE OR REPLACE PROCEDURE drop_events_job(job_id integer, config jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
    expired timestamptz := now() - make_interval(secs => (config->>'age')::double precision);
    before  timestamptz := least(expired, archive_hold(expired));
BEGIN
    IF before > '-infinity' THEN
        PERFORM drop_chunks('events', older_than => before);
    END IF;
END;
$$;

REVOKE EXECUTE ON PROCEDURE drop_events_job(integer, jsonb) FROM PUBLIC;
