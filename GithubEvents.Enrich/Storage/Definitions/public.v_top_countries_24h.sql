-- The last 24 hours' countries by events, as refresh_top_24h() ranked them.
CREATE OR REPLACE VIEW v_top_countries_24h AS
SELECT country, country_code, events, actors FROM top_countries_24h ORDER BY rank;
