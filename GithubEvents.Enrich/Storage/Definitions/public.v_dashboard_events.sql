-- The events as Grafana's reader sees them: what the dashboards and alert rules read, and not the payloads, the actors'
-- places and companies, or the coordinates (docs/configuration.md, "Roles"). The reader has no grant on events itself.
-- A plain view, so the planner folds it into the query and the time filter still narrows the chunks and indexes read.
CREATE OR REPLACE VIEW v_dashboard_events AS
SELECT time, event_id, ingested_at, event_type, actor, repo, detail, country, is_bot
FROM events;
