-- Trimmed payloads restored for the watched repositories (issue 15).

-- What was added to a row's payload from GitHub's GraphQL answers, as paths of members ('commits',
-- 'pull_request.title'): NULL, nothing (never restored, or not a trimmed event of a watched repository); '{}', GitHub no
-- longer had the commit or pull request. Only members GitHub did not send are ever added.
ALTER TABLE events ADD COLUMN restored text[];

-- GitHub's answers, in the REST payloads' names (a commit as a PushEvent's commits entry, a pull request's members of
-- pull_request); value NULL: GitHub no longer has it, which is final. A commit never changes; a pull request is asked for
-- again for an event newer than the answer, whose state that event may have changed.
CREATE TABLE restored_objects (
    repo       text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('commit', 'pull_request')),
    key        text        NOT NULL,
    value      jsonb,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (repo, kind, key)
);

-- 0012's index of the watched feeds' events, with their sources, so that their aggregate (0014: its refreshes and the
-- part of it read at query time) reads the index alone.
DROP INDEX events_watched_idx;
CREATE INDEX events_watched_idx ON events (repo, time) INCLUDE (sources) WHERE sources & 4 <> 0;
