-- One row per actor looked up on GitHub (or known to be a bot from its login). Rows are updated, never deleted: an
-- account GitHub no longer knows keeps its row with not_found, so that it is not asked about again before its time to
-- live ends. location_key is the normalised location (Geocoding's LocationKey), joined to locations.key.
CREATE TABLE actors (
    id           bigint      PRIMARY KEY,
    login        text        NOT NULL,
    type         text        CHECK (type IN ('User', 'Organization', 'Bot')),
    name         text,
    company      text,
    location     text,
    location_key text,
    public_repos integer,
    followers    integer,
    created_at   timestamptz,
    fetched_at   timestamptz NOT NULL,
    etag         text,
    not_found    boolean     NOT NULL DEFAULT false,
    is_bot       boolean     GENERATED ALWAYS AS (coalesce(type = 'Bot', false) OR right(login, 5) = '[bot]') STORED
);

CREATE INDEX actors_location_key_idx ON actors (location_key);
