-- Enrich's own figures per minute and replica (issue 27), for the alert rules that Grafana's PostgreSQL datasource
-- evaluates: what lived only in metrics before. Written once a minute by PipelineFiguresRecorder for the minute just
-- ended, with Retention:Polls.
--   batches, messages, write_seconds: batches consumed, the messages in them, time spent writing them (retries excluded);
--   dead_letters, dead_letters_by_reason: messages sent to the dead-letter topic, in all and by reason ({"reason": n});
--   lag_messages, lag_seconds, lag_by_partition: the consumer's lag at the minute's end, summed over its partitions in
--   messages, and at most in seconds of event age (the age of the newest message it finished on a partition with lag;
--   NULL when no message of such a partition was finished yet), and per partition
--   ([{"topic", "partition", "messages", "seconds"}]);
--   disk_bytes: the size of the database's disk as Storage:DiskBytes gives it (NULL when unset), for the headroom alert.
CREATE TABLE pipeline_minutes (
    minute                 timestamptz      NOT NULL,
    consumer               text             NOT NULL,
    batches                integer          NOT NULL,
    messages               integer          NOT NULL,
    write_seconds          double precision NOT NULL,
    dead_letters           integer          NOT NULL,
    dead_letters_by_reason jsonb            NOT NULL,
    lag_messages           bigint           NOT NULL,
    lag_seconds            double precision,
    lag_by_partition       jsonb            NOT NULL,
    disk_bytes             bigint,
    PRIMARY KEY (minute, consumer)
);
