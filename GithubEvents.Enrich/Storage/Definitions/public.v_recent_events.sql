-- The newest events first.
CREATE OR REPLACE VIEW v_recent_events AS
SELECT time, event_type, actor, repo, detail, country, company, public_repos
FROM events
ORDER BY time DESC;
