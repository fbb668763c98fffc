-- Poll figures by hour, through an index the view's time filter can use.
CREATE INDEX ingest_polls_hour_idx ON ingest_polls (date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00'));

-- How complete each hour is (issue 14). Per hour of event time: the events stored, those the live poller delivered (n1),
-- those the archive delivered (n2) and those both did (m). Where both sources delivered events of the hour, Chapman's
-- estimate of how many events GitHub's feed showed in it, N = (n1+1)(n2+1)/(m+1) - 1, with a 95% interval from its
-- variance (n1+1)(n2+1)(n1-m)(n2-m) / ((m+1)^2 (m+2)) (never below the events seen), and each source's share of N.
-- Both sources sample the same feed, so N is what the feed showed, not all of GitHub's activity, and it assumes the
-- two samples independent: a live poller that ran only part of the hour, or an archive hour not yet in, biases it.
-- Hours with one source only have the counts and no estimate. The poll figures (ingest_polls) are by the hour of the
-- poll, which is not the hour of the events it returned: GitHub's feed lags by 30 seconds to hours.
CREATE VIEW v_capture_by_hour AS
WITH hours AS (
    SELECT hour,
           sum(events)::bigint AS events, sum(live)::bigint AS live_events, sum(archive)::bigint AS archive_events,
           sum(seen_by_both)::bigint AS both_events,
           sum(polls)::bigint AS polls, sum(requests)::bigint AS requests, sum(ok)::bigint AS ok,
           sum(not_modified)::bigint AS not_modified, sum(failed)::bigint AS failed,
           sum(events_returned)::bigint AS events_returned, sum(new_events)::bigint AS new_events,
           sum(missed_polls)::bigint AS missed_polls
    FROM (
        SELECT date_bin(INTERVAL '1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour, event_count AS events,
               CASE WHEN sources & 1 <> 0 THEN event_count ELSE 0 END AS live,
               CASE WHEN sources & 2 <> 0 THEN event_count ELSE 0 END AS archive,
               CASE WHEN sources & 3 = 3 THEN event_count ELSE 0 END AS seen_by_both,
               0 AS polls, 0 AS requests, 0 AS ok, 0 AS not_modified, 0 AS failed, 0 AS events_returned, 0 AS new_events, 0 AS missed_polls
        FROM capture_stats_5m
        UNION ALL
        SELECT date_bin(INTERVAL '1 hour', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00'), 0, 0, 0, 0,
               polls, requests, ok, not_modified, failed, events_returned, new_events, missed_polls
        FROM ingest_polls
    ) AS parts
    GROUP BY hour
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
       new_events::double precision / nullif(requests, 0) AS new_events_per_request
FROM bounded;
