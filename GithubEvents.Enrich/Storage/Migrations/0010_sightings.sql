-- Which of Ingest's sources delivered each event (issue 14), from the message's event.source header, as a bit set:
-- 1 live (the events API, polled), 2 archive (a GH Archive hour); the other bits are free for sources to come. 0: written
-- before sources were recorded, or by a producer that named no source Enrich knows. A later delivery of the same event
-- by another source adds its bit (EventWriter); one by the same source changes nothing.
ALTER TABLE events ADD COLUMN sources smallint NOT NULL DEFAULT 0;

-- Ingest's own figures, per minute and poller (one Ingest process: a name of its own at every start), as the poller
-- counts them and publishes them to the polls topic: the polls, the feed requests by answer, the events the 200s
-- returned, those new to the poller, and the polls whose deepest page was all new (events were missed before it).
CREATE TABLE ingest_polls (
    minute          timestamptz NOT NULL,
    poller          text        NOT NULL,
    polls           integer     NOT NULL,
    requests        integer     NOT NULL,
    ok              integer     NOT NULL,
    not_modified    integer     NOT NULL,
    failed          integer     NOT NULL,
    events_returned integer     NOT NULL,
    new_events      integer     NOT NULL,
    missed_polls    integer     NOT NULL,
    PRIMARY KEY (minute, poller)
);

-- Actors of rows older than the resolver's activity window (a backfilled hour, say) that the enrichment could not fill
-- when they were written: the actor was not looked up yet, or its place not geocoded. The resolver looks up the first
-- kind within Profiles:BacklogBudgetShare; the late filling fills the rows from first_time to last_time once both are
-- known and sets filled_at. A later such row of the same actor queues it again; version counts the writes that queued
-- it, so that a fill marks an actor done only if nothing was queued since it read the backlog.
CREATE TABLE actor_backlog (
    actor_id   bigint      PRIMARY KEY,
    login      text        NOT NULL,
    first_time timestamptz NOT NULL,
    last_time  timestamptz NOT NULL,
    queued_at  timestamptz NOT NULL DEFAULT now(),
    filled_at  timestamptz,
    version    bigint      NOT NULL DEFAULT 1
);

CREATE INDEX actor_backlog_queued_idx ON actor_backlog (queued_at) WHERE filled_at IS NULL;
