-- Geocoding answers by normalised location string (Geocoding/LocationKey.cs). country_code NULL is a negative
-- answer (no location, or nothing found), cached like the others. provider: gazetteer, nominatim, or unresolved
-- (not known offline while Nominatim is switched off; asked again once it is on).
CREATE TABLE locations (
    key          text             PRIMARY KEY,
    country      text,
    country_code text,
    lat          double precision,
    lng          double precision,
    provider     text             NOT NULL,
    resolved_at  timestamptz      NOT NULL DEFAULT now(),
    CHECK ((country_code IS NULL) = (lat IS NULL) AND (lat IS NULL) = (lng IS NULL) AND (lng IS NULL) = (country IS NULL))
);

-- Nominatim allows one request a second per application: every Enrich replica takes its turn through this one row
-- (SELECT ... FOR UPDATE), on the database's clock. next_request_at is the earliest time of the next request;
-- failures counts the failed requests in a row, for the back-off they all share.
CREATE TABLE nominatim_pacing (
    id              integer     PRIMARY KEY CHECK (id = 1),
    next_request_at timestamptz NOT NULL,
    failures        integer     NOT NULL DEFAULT 0
);
INSERT INTO nominatim_pacing (id, next_request_at) VALUES (1, '-infinity');
