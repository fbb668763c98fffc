-- The watched repositories' trimmed events not restored yet, each with what to ask GitHub for: a push's head commit, a
-- pull-request event's pull request (keys that could not be GitHub's are left out).
CREATE OR REPLACE VIEW unrestored_events AS
SELECT time, event_id, event_type, repo, payload, kind, key
FROM (
    SELECT time, event_id, event_type, repo, payload,
           CASE WHEN event_type = 'PushEvent' THEN 'commit' ELSE 'pull_request' END AS kind,
           CASE WHEN event_type = 'PushEvent' THEN payload->>'head'
                ELSE coalesce(payload->>'number', payload->'pull_request'->>'number') END AS key
    FROM events
    WHERE sources & 4 <> 0 AND restored IS NULL AND repo LIKE '_%/_%'
      AND (event_type = 'PushEvent' AND NOT payload ? 'commits'
           OR event_type = 'PullRequestEvent' AND NOT coalesce(payload->'pull_request' ? 'title', false))
) AS trimmed
WHERE kind = 'commit' AND key ~ '^[0-9a-f]{40}$' OR kind = 'pull_request' AND key ~ '^[0-9]{1,9}$';
