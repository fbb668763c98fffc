-- The archive's state for the dashboard (docs/archive.md): the hours archived (each counted once, at its newest
-- revision), the oldest and newest, the events and bytes in them, the hours exported more than once, and what retention
-- keeps for the archive (archive_state): from which hour, and how many hours past Storage:Retention.
CREATE OR REPLACE VIEW v_archive AS
WITH latest AS (
    SELECT DISTINCT ON (hour) hour, revision, events, json_bytes + parquet_bytes + manifest_bytes AS bytes
    FROM archive_exports
    ORDER BY hour, revision DESC
)
SELECT (SELECT count(*) FROM latest) AS hours,
       (SELECT min(hour) FROM latest) AS oldest_hour,
       (SELECT max(hour) FROM latest) AS newest_hour,
       (SELECT coalesce(sum(events), 0) FROM latest)::bigint AS events,
       (SELECT coalesce(sum(bytes), 0) FROM latest)::bigint AS bytes,
       (SELECT count(*) FROM latest WHERE revision > 1) AS revised_hours,
       s.keep_from AS unarchived_from, s.held_hours, s.location
FROM archive_state s;
