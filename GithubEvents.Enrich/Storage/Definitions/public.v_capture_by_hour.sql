-- How complete each hour is (issue 14). Per hour of event time: the events stored, those the live poller delivered (n1),
-- those the archive delivered (n2) and those both did (m). Where both sources delivered events of the hour, Chapman's
-- estimate of how many events GitHub's feed showed in it, N = (n1+1)(n2+1)/(m+1) - 1, with a 95% interval from its
-- variance (n1+1)(n2+1)(n1-m)(n2-m) / ((m+1)^2 (m+2)) (never below the events seen), and each source's share of N.
-- Both sources sample the same feed, so N is what the feed showed, not all of GitHub's activity, and it assumes the
-- two samples independent: a live poller that ran only part of the hour, or an archive hour not yet in, biases it.
-- Hours with one source only have the counts and no estimate. The poll figures (ingest_polls) are by the hour of the
-- poll, which is not the hour of the events it returned: GitHub's feed lags by 30 seconds to hours.
--
-- The watched feeds' columns: the events they delivered in the hour, those the live poller delivered too, and the live
-- share of them, a direct measure of the public feed's coverage (v_watch_coverage_by_hour has it per repository). The
-- poll figures come from v_polls_by_hour.
--
-- kafka_gaps and kafka_gap_offsets (from v_kafka_gaps_by_hour): the gaps in Kafka that touch the hour and the messages
-- they lost. The events of such hours are fewer than the sources delivered.
--
-- undelivered_minutes (from v_polls_by_hour): minutes of the hour in which the live poller could not deliver the feed's
-- events because Kafka held back what it had sent. known_incomplete: the hour lost events for a reason the pipeline
-- recorded (undelivered minutes, missed polls or Kafka gaps), so its live counts and share read low; false says only
-- that nothing was recorded.
CREATE OR REPLACE VIEW v_capture_by_hour AS
WITH captured AS (
    SELECT date_bin(INTERVAL '1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
           sum(event_count)::bigint AS events,
           sum(event_count) FILTER (WHERE sources & 1 <> 0)::bigint AS live_events,
           sum(event_count) FILTER (WHERE sources & 2 <> 0)::bigint AS archive_events,
           sum(event_count) FILTER (WHERE sources & 3 = 3)::bigint AS both_events,
           sum(event_count) FILTER (WHERE sources & 4 <> 0)::bigint AS watch_events,
           sum(event_count) FILTER (WHERE sources & 5 = 5)::bigint AS watch_live_events
    FROM capture_stats_5m
    GROUP BY 1
),
hours AS (
    SELECT coalesce(c.hour, p.hour, g.hour) AS hour,
           coalesce(c.events, 0) AS events, coalesce(c.live_events, 0) AS live_events,
           coalesce(c.archive_events, 0) AS archive_events, coalesce(c.both_events, 0) AS both_events,
           coalesce(p.polls, 0) AS polls, coalesce(p.requests, 0) AS requests, coalesce(p.ok, 0) AS ok,
           coalesce(p.not_modified, 0) AS not_modified, coalesce(p.failed, 0) AS failed,
           coalesce(p.events_returned, 0) AS events_returned, coalesce(p.new_events, 0) AS new_events,
           coalesce(p.missed_polls, 0) AS missed_polls, coalesce(p.undelivered_minutes, 0) AS undelivered_minutes,
           coalesce(c.watch_events, 0) AS watch_events, coalesce(c.watch_live_events, 0) AS watch_live_events,
           coalesce(g.kafka_gaps, 0) AS kafka_gaps, coalesce(g.kafka_gap_offsets, 0) AS kafka_gap_offsets
    FROM captured c
    FULL JOIN v_polls_by_hour p ON p.hour = c.hour
    FULL JOIN v_kafka_gaps_by_hour g ON g.hour = coalesce(c.hour, p.hour)
),
estimated AS (
    SELECT *,
           CASE WHEN live_events > 0 AND archive_events > 0
                THEN (live_events + 1::float8) * (archive_events + 1::float8) / (both_events + 1::float8) - 1 END AS n,
           CASE WHEN live_events > 0 AND archive_events > 0
                THEN (live_events + 1::float8) * (archive_events + 1::float8) * (live_events - both_events) * (archive_events - both_events)
                     / ((both_events + 1::float8) ^ 2 * (both_events + 2::float8)) END AS variance
    FROM hours
),
bounded AS (
    SELECT *,
           CASE WHEN n IS NOT NULL THEN greatest(n - 1.96 * sqrt(variance), (live_events + archive_events - both_events)::float8) END AS low,
           n + 1.96 * sqrt(variance) AS high
    FROM estimated
)
SELECT hour, events, live_events, archive_events, both_events,
       n AS estimated_events, low AS estimate_low, high AS estimate_high,
       live_events / n AS live_share, live_events / high AS live_share_low, live_events / low AS live_share_high,
       archive_events / n AS archive_share,
       polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls,
       new_events::double precision / nullif(requests, 0) AS new_events_per_request,
       watch_events, watch_live_events, watch_live_events::double precision / nullif(watch_events, 0) AS watch_live_share,
       kafka_gaps, kafka_gap_offsets,
       undelivered_minutes, undelivered_minutes > 0 OR missed_polls > 0 OR kafka_gaps > 0 AS known_incomplete
FROM bounded;
