-- What the events' retention keeps for the archive (drop_events_job, rollup.drop_events_older_than), for a retention
-- that would drop the events before before_time: NULL with the archive off (archive_state.keep_from NULL), nothing kept;
-- else the events from the earliest of keep_from (the oldest hour not archived yet; -infinity, everything, until the
-- archiver's first pass), the hour holding before_time (only whole hours go, each archived whole), and the oldest
-- archived hour whose rows changed since (archive_changed_hour), so that no event leaves the database unarchived.
CREATE OR REPLACE FUNCTION archive_hold(before_time timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN s.keep_from IS NOT NULL
                THEN least(s.keep_from, date_bin(INTERVAL '1 hour', before_time, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                           archive_changed_hour(least(before_time, s.keep_from)))
           END
    FROM archive_state s;
$$;
