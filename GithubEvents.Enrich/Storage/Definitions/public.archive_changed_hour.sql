-- The oldest hour before before_time, still in the database, whose rows changed since the archive's newest revision of
-- it was written or last checked (archive_fingerprint against archive_exports.fingerprint): more events, or as many
-- with another fingerprint. Fewer events is no change to export (rows left the hour: its retention under way, or a
-- deletion by hand). NULL when there is none. The archiver exports such an hour again; retention keeps it until then.
CREATE OR REPLACE FUNCTION archive_changed_hour(before_time timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
    WITH latest AS MATERIALIZED (
        SELECT DISTINCT ON (a.hour) a.hour, a.events, a.fingerprint
        FROM archive_exports a
        WHERE a.hour < before_time
          AND a.hour >= date_bin(INTERVAL '1 hour', (SELECT min(time) FROM events), TIMESTAMPTZ '2000-01-01 00:00:00+00')
          AND EXISTS (SELECT FROM events e WHERE e.time >= a.hour AND e.time < a.hour + INTERVAL '1 hour')
        ORDER BY a.hour, a.revision DESC
    )
    SELECT min(l.hour)
    FROM latest l CROSS JOIN LATERAL archive_fingerprint(l.hour, l.hour + INTERVAL '1 hour') f
    WHERE f.event_count >= l.events AND f.fingerprint <> l.fingerprint;
$$;
