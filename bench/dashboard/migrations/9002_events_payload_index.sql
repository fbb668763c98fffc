-- A migration of the bench's own (MIGRATION=1), never the product's: a GIN index over every event's payload, the
-- costliest kind of index a migration might build on events.
CREATE INDEX events_payload_idx ON events USING gin (payload jsonb_path_ops);
