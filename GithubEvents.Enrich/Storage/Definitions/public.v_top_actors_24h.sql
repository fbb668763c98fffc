-- The last 24 hours' busiest actors, bots included, as refresh_top_24h() ranked them.
CREATE OR REPLACE VIEW v_top_actors_24h AS
SELECT actor, country, company, events FROM top_actors_24h WHERE include_bots ORDER BY rank;
