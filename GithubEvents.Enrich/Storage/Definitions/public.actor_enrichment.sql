-- What the enrichment knows about each actor, as the events' enrichment columns take it: the profile of an account
-- GitHub knows, and the place its location was geocoded to. The write path fills new rows from it, and the late
-- filling (Filling/RowFiller.cs) the rows written before an actor or a place was known.
CREATE OR REPLACE VIEW actor_enrichment AS
SELECT a.id, a.login, a.location_key, a.location, a.company, a.public_repos, a.is_bot,
       l.country, l.country_code, l.lat, l.lng
FROM actors a
LEFT JOIN locations l ON l.key = a.location_key
WHERE NOT a.not_found;
