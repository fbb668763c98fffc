-- Poll figures by hour, through an index the view's time filter can use.
CREATE INDEX ingest_polls_hour_idx ON ingest_polls (date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00'));
