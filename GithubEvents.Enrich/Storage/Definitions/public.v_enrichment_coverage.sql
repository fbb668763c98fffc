-- For the last hour and the last 24 hours (whole minutes, from event_stats_1m): how many events, the share whose row
-- carries its actor's profile (filled from a GitHub profile, or a bot), the share with a country.
CREATE OR REPLACE VIEW v_enrichment_coverage AS
SELECT p.period,
       coalesce(sum(s.event_count), 0)::bigint AS events,
       coalesce(sum(s.profile_events)::double precision / nullif(sum(s.event_count), 0), 0) AS profile_share,
       coalesce(sum(s.country_events)::double precision / nullif(sum(s.event_count), 0), 0) AS country_share
FROM (VALUES ('1h', INTERVAL '1 hour', 1), ('24h', INTERVAL '24 hours', 2)) AS p (period, span, position)
LEFT JOIN event_stats_1m s ON s.bucket > now() - p.span
GROUP BY p.period, p.position
ORDER BY p.position;
