-- The busiest repositories, actors and countries of the last 24 hours, as refresh_top_24h() ranks them
-- (Definitions/public.refresh_top_24h.sql); the dashboard reads a few rows here.
CREATE TABLE top_repos_24h (
    include_bots boolean     NOT NULL,
    rank         integer     NOT NULL,
    repo         text        NOT NULL,
    events       bigint      NOT NULL,
    actors       bigint      NOT NULL,
    as_of        timestamptz NOT NULL,
    PRIMARY KEY (include_bots, rank)
);

CREATE TABLE top_actors_24h (
    include_bots boolean     NOT NULL,
    rank         integer     NOT NULL,
    actor_id     bigint      NOT NULL,
    actor        text        NOT NULL,
    country      text,
    company      text,
    events       bigint      NOT NULL,
    as_of        timestamptz NOT NULL,
    PRIMARY KEY (include_bots, rank)
);

CREATE TABLE top_countries_24h (
    rank         integer     PRIMARY KEY,
    country      text        NOT NULL,
    country_code text,
    events       bigint      NOT NULL,
    actors       bigint      NOT NULL,
    as_of        timestamptz NOT NULL
);
