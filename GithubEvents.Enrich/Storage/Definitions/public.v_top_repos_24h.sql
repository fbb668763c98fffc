-- The last 24 hours' busiest repositories, bots included, as refresh_top_24h() ranked them.
CREATE OR REPLACE VIEW v_top_repos_24h AS
SELECT repo, events, actors FROM top_repos_24h WHERE include_bots ORDER BY rank;
