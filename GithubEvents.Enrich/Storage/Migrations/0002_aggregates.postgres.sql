-- Without TimescaleDB the aggregates work as its continuous aggregates do: completed slices are materialised in the
-- rollup schema by rollup.refresh(), and the views of the same names (Definitions/public.*.postgres.sql) aggregate
-- everything from the watermark on from events at query time.
CREATE SCHEMA rollup;

CREATE TABLE rollup.watermark (
    singleton          boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    materialized_until timestamptz NOT NULL
);
INSERT INTO rollup.watermark (materialized_until) VALUES ('-infinity');

CREATE TABLE rollup.invalidations (
    from_time timestamptz NOT NULL,
    to_time   timestamptz NOT NULL
);

CREATE TABLE rollup.event_stats_5m (
    bucket      timestamptz NOT NULL,
    event_type  text        NOT NULL,
    event_count bigint      NOT NULL
);
CREATE INDEX ON rollup.event_stats_5m (bucket);

CREATE TABLE rollup.country_stats_5m (
    bucket        timestamptz NOT NULL,
    country       text,
    country_code  text,
    event_count   bigint      NOT NULL,
    unique_actors bigint      NOT NULL
);
CREATE INDEX ON rollup.country_stats_5m (bucket);

CREATE TABLE rollup.actor_stats_1h (
    bucket        timestamptz NOT NULL,
    actor_id      bigint      NOT NULL,
    actor         text        NOT NULL,
    country       text,
    company       text,
    event_count   bigint      NOT NULL,
    repos_touched bigint      NOT NULL,
    is_bot        boolean
);
CREATE INDEX ON rollup.actor_stats_1h (bucket);
