-- One row per GitHub event. The primary key keeps a redelivered event from being stored twice: the writer's
-- INSERT ... ON CONFLICT DO UPDATE only adds the bit of the source that delivered it again (events.sources, 0010).
-- payload is the event's payload object as GitHub sent it (payload->'commits' and the like); envelope holds the
-- event's other members, so that the two together are the whole original event (see v_raw_events).
CREATE TABLE events (
    time         timestamptz      NOT NULL,
    event_id     bigint           NOT NULL,
    event_type   text             NOT NULL,
    actor        text             NOT NULL,
    actor_id     bigint           NOT NULL,
    repo         text,
    repo_id      bigint,
    org          text,
    detail       text             NOT NULL,
    location     text,
    country      text,
    country_code text,
    lat          double precision,
    lng          double precision,
    company      text,
    public_repos integer,
    is_bot       boolean          NOT NULL DEFAULT false,
    payload      jsonb            NOT NULL,
    envelope     jsonb            NOT NULL,
    ingested_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (time, event_id)
);

CREATE INDEX events_event_type_time_idx ON events (event_type, time DESC);
CREATE INDEX events_actor_time_idx ON events (actor, time DESC);
CREATE INDEX events_repo_time_idx ON events (repo, time DESC);
CREATE INDEX events_country_time_idx ON events (country, time DESC);
