-- Every table that grows with time has a retention (issue 24; Definitions/public.drop_expired_rows.sql): the times its
-- deletes read, indexed so that each slice is short.
CREATE INDEX actors_fetched_at_idx ON actors (fetched_at);
CREATE INDEX locations_resolved_at_idx ON locations (resolved_at);
CREATE INDEX actor_backlog_last_time_idx ON actor_backlog (last_time);
CREATE INDEX restored_objects_fetched_at_idx ON restored_objects (fetched_at);
