-- The whole event as GitHub sent it (as jsonb: member order and whitespace are not kept), for reprocessing: the
-- envelope, and the payload without what was restored since. altered: what the write path replaced so that jsonb holds
-- the event (events.altered: NULL, nothing; else 'nul_escape', 'lone_surrogate', 'invalid_utf8', 'number_out_of_range'),
-- so that a reprocessing knows which events are not byte for byte what GitHub sent.
CREATE OR REPLACE VIEW v_raw_events AS
SELECT time, event_id, envelope || jsonb_build_object('payload', payload_as_sent(payload, restored)) AS event, altered
FROM events;
