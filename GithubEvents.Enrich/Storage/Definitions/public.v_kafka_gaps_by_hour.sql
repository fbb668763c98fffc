-- The gaps in Kafka (kafka_gaps: messages Kafka deleted before Enrich read them) by the hours each touches, from the hour
-- of the last message before the gap (or, where that is not known, of the first after it) to the hour of the first after
-- it, as Kafka stamped them: the gaps, and the messages they lost, a gap counted in every hour it touches. What
-- v_capture_by_hour shows beside the capture counts, for the panel that needs no events.
CREATE OR REPLACE VIEW v_kafka_gaps_by_hour AS
SELECT hour, count(*) AS kafka_gaps, sum(g.to_offset - g.from_offset)::bigint AS kafka_gap_offsets
FROM kafka_gaps g
CROSS JOIN LATERAL generate_series(
    date_bin(INTERVAL '1 hour', coalesce(g.before_time, g.after_time), TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    date_bin(INTERVAL '1 hour', g.after_time, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    INTERVAL '1 hour') AS hour
GROUP BY hour;
