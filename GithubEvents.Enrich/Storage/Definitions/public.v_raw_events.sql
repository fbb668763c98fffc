-- The whole event as GitHub sent it (as jsonb: member order and whitespace are not kept), for reprocessing: the
-- envelope, and the payload without what was restored since.
CREATE OR REPLACE VIEW v_raw_events AS
SELECT time, event_id, envelope || jsonb_build_object('payload', payload_as_sent(payload, restored)) AS event
FROM events;
