-- The hourly archive (issue 26; GithubEvents.Enrich/Archive, docs/archive.md). One row per export of an hour: revision 1
-- when the hour settled, the next when its rows changed while still in the database. counts: {"events", "by_source",
-- "by_type"}; fingerprint: what the archiver compares to find changed rows; each file's bytes and sha256 (lower-case hex),
-- as the hour's manifest names them. checked_at: when the newest revision was last compared with the rows. The rows are
-- kept when the hour leaves the database (24 a day): they are the archive's index.
CREATE TABLE archive_exports (
    hour            timestamptz NOT NULL,
    revision        integer     NOT NULL CHECK (revision > 0),
    events          bigint      NOT NULL,
    counts          jsonb       NOT NULL,
    fingerprint     text        NOT NULL,
    json_bytes      bigint      NOT NULL,
    json_sha256     text        NOT NULL,
    parquet_bytes   bigint      NOT NULL,
    parquet_sha256  text        NOT NULL,
    manifest_bytes  bigint      NOT NULL,
    manifest_sha256 text        NOT NULL,
    exported_at     timestamptz NOT NULL DEFAULT now(),
    checked_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hour, revision)
);

-- What retention keeps for the archive, as its leader last said: the events from keep_from on (the oldest hour not
-- archived yet; NULL: the archive is off and keeps nothing), held_hours of them past Storage:Retention; and where the
-- archive is, for the dashboard.
CREATE TABLE archive_state (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    keep_from  timestamptz,
    held_hours bigint      NOT NULL DEFAULT 0,
    location   text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO archive_state DEFAULT VALUES;
