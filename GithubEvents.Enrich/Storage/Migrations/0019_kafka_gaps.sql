-- Messages Kafka deleted before Enrich read them (issue 24): its retention overtook the consumer, which goes on from the
-- oldest message Kafka still has. Per partition, the offsets lost, from_offset up to to_offset (exclusive), and the time
-- range around them as Kafka stamped the messages: before_time, of the last message read before the gap (known when the
-- same process read it; NULL after a restart), and after_time, of the first one after it. A gap found again (by another
-- replica after a rebalance, or after a restart before the offset commit) widens its row.
CREATE TABLE kafka_gaps (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    from_offset bigint      NOT NULL,
    to_offset   bigint      NOT NULL,
    before_time timestamptz,
    after_time  timestamptz NOT NULL,
    detected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, from_offset),
    CHECK (to_offset > from_offset)
);
