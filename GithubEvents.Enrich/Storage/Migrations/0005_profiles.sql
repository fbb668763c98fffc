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

-- For the last hour and the last 24 hours: how many events, the share whose actor has a profile, the share with a country.
CREATE VIEW v_enrichment_coverage AS
SELECT p.period,
       count(e.event_id) AS events,
       coalesce(avg(CASE WHEN a.id IS NOT NULL AND NOT a.not_found THEN 1.0 ELSE 0.0 END) FILTER (WHERE e.event_id IS NOT NULL), 0)::double precision AS profile_share,
       coalesce(avg(CASE WHEN e.country_code IS NOT NULL THEN 1.0 ELSE 0.0 END) FILTER (WHERE e.event_id IS NOT NULL), 0)::double precision AS country_share
FROM (VALUES ('1h', INTERVAL '1 hour', 1), ('24h', INTERVAL '24 hours', 2)) AS p (period, span, position)
LEFT JOIN events e ON e.time >= now() - p.span
LEFT JOIN actors a ON a.id = e.actor_id
GROUP BY p.period, p.position
ORDER BY p.position;
