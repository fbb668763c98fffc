-- Minutes whose events the live poller could not deliver (issue 25): Kafka did not take what it sent, it held as many
-- events as Kafka:Publishing:BufferSize allows and did not poll (part of) the minute, so what the feed showed then and
-- turned over before the next poll is not captured. v_polls_by_hour and v_capture_by_hour count them.
ALTER TABLE ingest_polls ADD COLUMN undelivered boolean NOT NULL DEFAULT false;
