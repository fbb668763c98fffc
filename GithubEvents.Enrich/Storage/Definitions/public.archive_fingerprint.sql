-- What the archiver compares to find that an hour's rows changed (Archive/ArchiveStore, archive_changed_hour): the
-- events from from_time to to_time, and a fingerprint that changes when a backfill adds events or sightings, a
-- restoration adds members, or a late fill adds a profile or a place; cheaper than the rows themselves.
CREATE OR REPLACE FUNCTION archive_fingerprint(from_time timestamptz, to_time timestamptz, OUT event_count bigint, OUT fingerprint text)
LANGUAGE sql STABLE
AS $$
    SELECT count(*), concat_ws(':', count(*), sum(sources), count(restored), sum(cardinality(restored)), sum(length(detail)),
                               count(country_code), count(location), count(company), count(public_repos), count(*) FILTER (WHERE is_bot))
    FROM events WHERE time >= from_time AND time < to_time;
$$;
