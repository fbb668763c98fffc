-- With the archive on, retention keeps every event until the archiver has said what is archived (issue 26): keep_from
-- starts at -infinity, which holds everything, and only Enrich with Archive:Enabled false sets it to NULL (ArchiveOff),
-- which holds nothing. A database whose archive was off holds again until its next start says so.
ALTER TABLE archive_state ALTER COLUMN keep_from SET DEFAULT '-infinity';
UPDATE archive_state SET keep_from = '-infinity' WHERE keep_from IS NULL;
