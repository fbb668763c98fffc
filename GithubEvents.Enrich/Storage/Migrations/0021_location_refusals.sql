-- Locations Nominatim refused (issue 25): a 4xx for the query, or a 5xx, a timeout or an unreadable answer right after a
-- request Nominatim answered (a failure that follows another is taken for Nominatim's own trouble and charged to no
-- location). Each is set aside until retry_at, a back-off of its own that doubles with its refusals
-- (Geocoding:LocationBackoffDelay up to Geocoding:MaxLocationBackoffDelay), on the database's clock so that every replica
-- honours it; the place filling goes on with the other locations meanwhile. At Geocoding:MaxLocationRefusals the location
-- is answered in locations with provider 'unresolvable' and its row here keeps the last reason (the reply's outcome).
-- A location Nominatim answers later keeps its row, the history of its refusals (Enrich's role may not delete).
CREATE TABLE location_refusals (
    key      text        PRIMARY KEY,
    refusals integer     NOT NULL,
    retry_at timestamptz NOT NULL,
    reason   text        NOT NULL
);
