-- The pieces of a poll's 200s that were no events (issue 25): Ingest sends them to the dead-letter topic with their
-- reason and counts them in its poll figures (dead_letters); v_polls_by_hour sums them.
ALTER TABLE ingest_polls ADD COLUMN dead_letters integer NOT NULL DEFAULT 0;
ALTER TABLE watch_polls ADD COLUMN dead_letters integer NOT NULL DEFAULT 0;
