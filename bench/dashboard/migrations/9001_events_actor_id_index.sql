-- A migration of the bench's own (MIGRATION=1), never the product's: a B-tree over every event, shaped as 0001's indexes.
CREATE INDEX events_actor_id_time_idx ON events (actor_id, time DESC);
