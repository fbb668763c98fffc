-- Synthetic events, made inside the server: rows :lo to :hi of :n, spread evenly over the 24 hours before :'t0_end'.
-- Shaped like the feed: 15% of events from 30 bot accounts (two of them most of those), the rest from 2 million people
-- with a heavy tail (actor = 2e6 * r^3: the busiest person has about 0.8% of human events), 5 million repositories with
-- the same tail, GitHub's mix of event types, both payload shapes (even ids full, odd ids trimmed as since October
-- 2025), and a profile for 70% of people, a country for 47% of them (about 40% of all events), a company for a third.
-- Sources as if the live poller saw 60% of the feed and the archive 70%, independently: of the events either saw,
-- 48% both, 20% live only, 32% archive only; the 20 busiest repositories are watched (sources bit 4 too: about 1.6% of
-- the events).
INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, location, country, country_code,
                    lat, lng, company, public_repos, is_bot, payload, envelope, ingested_at, sources)
SELECT g.time, g.id, t.name, a.login, a.id, r.name, r.id, r.org,
       CASE t.name WHEN 'PushEvent' THEN 'pushed ' || g.size || CASE g.size WHEN 1 THEN ' commit' ELSE ' commits' END || ' to main'
                   WHEN 'WatchEvent' THEN 'starred'
                   WHEN 'CreateEvent' THEN 'created branch feature-' || g.number
                   WHEN 'PullRequestEvent' THEN 'opened pull request #' || g.number
                   WHEN 'IssueCommentEvent' THEN 'commented on issue #' || g.number
                   ELSE lower(replace(t.name, 'Event', '')) || ' #' || g.number END,
       p.country, p.country, p.code, p.lat, p.lng,
       CASE WHEN a.profile AND a.id % 3 = 0 THEN 'company' || a.id % 500 END,
       CASE WHEN a.profile THEN (a.id % 200)::int END,
       a.bot,
       CASE WHEN g.id % 2 = 1 THEN
                CASE t.name WHEN 'PushEvent' THEN jsonb_build_object('repository_id', r.id, 'push_id', g.id, 'ref', 'refs/heads/main', 'head', g.sha, 'before', md5(g.sha))
                            WHEN 'WatchEvent' THEN jsonb_build_object('action', 'started')
                            ELSE jsonb_build_object('action', 'opened', 'number', g.number) END
            WHEN t.name = 'PushEvent' THEN
                jsonb_build_object('repository_id', r.id, 'push_id', g.id, 'size', g.size, 'distinct_size', g.size, 'ref', 'refs/heads/main',
                    'head', g.sha, 'before', md5(g.sha),
                    'commits', (SELECT jsonb_agg(jsonb_build_object('sha', md5(g.sha || c), 'author', jsonb_build_object('email', a.login || '@users.noreply.github.com', 'name', a.login),
                                    'message', 'Change number ' || c || ' of push ' || g.id || ': update the dependencies and fix the tests', 'distinct', true,
                                    'url', 'https://api.github.com/repos/' || r.name || '/commits/' || md5(g.sha || c)))
                                FROM generate_series(1, g.size) c))
            WHEN t.name = 'WatchEvent' THEN jsonb_build_object('action', 'started')
            ELSE jsonb_build_object('action', 'opened', 'number', g.number,
                    'pull_request', jsonb_build_object('url', 'https://api.github.com/repos/' || r.name || '/pulls/' || g.number, 'id', g.id, 'number', g.number,
                        'state', 'open', 'title', 'Improve the handling of case ' || g.number, 'body', repeat('Some text of the description. ', 12),
                        'user', jsonb_build_object('login', a.login, 'id', a.id), 'created_at', g.stamp, 'updated_at', g.stamp))
       END,
       jsonb_build_object('id', g.id::text, 'type', t.name,
           'actor', jsonb_build_object('id', a.id, 'login', a.login, 'display_login', a.login, 'gravatar_id', '',
                                       'url', 'https://api.github.com/users/' || a.login, 'avatar_url', 'https://avatars.githubusercontent.com/u/' || a.id || '?'),
           'repo', jsonb_build_object('id', r.id, 'name', r.name, 'url', 'https://api.github.com/repos/' || r.name),
           'public', true, 'created_at', g.stamp),
       g.time + INTERVAL '2 seconds',
       CASE WHEN g.r_source < 0.42 / 0.88 THEN 3 WHEN g.r_source < 0.60 / 0.88 THEN 1 ELSE 2 END | CASE WHEN r.id <= 20 THEN 4 ELSE 0 END
FROM (
    SELECT i AS id, time, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS stamp,
           random() AS r_actor, random() AS r_human, random() AS r_repo, random() AS r_type, random() AS r_source,
           1 + (i % 3)::int AS size, (i % 5000)::int AS number, md5(i::text) AS sha
    FROM generate_series(:lo::bigint, :hi::bigint) AS i,
         LATERAL (SELECT :'t0_end'::timestamptz - INTERVAL '24 hours' + (i - 1) * (INTERVAL '24 hours' / :n)) AS at (time)
) g
CROSS JOIN LATERAL (
    SELECT id, login, bot, NOT bot AND id % 10 < 7 AS profile
    FROM (SELECT CASE WHEN g.r_actor < 0.15 THEN 1 + floor(power(g.r_actor / 0.15, 3) * 30)::bigint
                      ELSE 1000 + floor(2000000 * power(g.r_human, 3))::bigint END AS id) AS i,
         LATERAL (SELECT i.id < 1000 AS bot,
                         CASE i.id WHEN 1 THEN 'github-actions[bot]' WHEN 2 THEN 'dependabot[bot]'
                                   ELSE CASE WHEN i.id < 1000 THEN 'app-' || i.id || '[bot]' ELSE 'user' || i.id END END AS login) AS b
) a
CROSS JOIN LATERAL (
    SELECT id, 'org' || id % 100000 || '/repo' || id AS name, CASE WHEN id % 4 = 0 THEN 'org' || id % 100000 END AS org
    FROM (SELECT 1 + floor(5000000 * power(g.r_repo, 3))::bigint AS id) AS i
) r
JOIN (VALUES ('PushEvent', 0.0, 0.50), ('CreateEvent', 0.50, 0.60), ('PullRequestEvent', 0.60, 0.68), ('WatchEvent', 0.68, 0.76),
             ('IssueCommentEvent', 0.76, 0.83), ('IssuesEvent', 0.83, 0.87), ('DeleteEvent', 0.87, 0.91),
             ('PullRequestReviewEvent', 0.91, 0.94), ('ForkEvent', 0.94, 0.96), ('PullRequestReviewCommentEvent', 0.96, 0.98),
             ('ReleaseEvent', 0.98, 0.99), ('CommitCommentEvent', 0.99, 0.993), ('PublicEvent', 0.993, 0.996),
             ('MemberEvent', 0.996, 0.998), ('GollumEvent', 0.998, 1.01)) AS t (name, lo, hi)
  ON g.r_type >= t.lo AND g.r_type < t.hi
LEFT JOIN (VALUES (0, 'United States', 'US', 38.0, -97.0), (1, 'India', 'IN', 21.0, 78.0), (2, 'China', 'CN', 35.0, 105.0),
                  (3, 'Germany', 'DE', 51.0, 9.0), (4, 'Brazil', 'BR', -10.0, -55.0), (5, 'United Kingdom', 'GB', 54.0, -2.0),
                  (6, 'France', 'FR', 46.0, 2.0), (7, 'Canada', 'CA', 60.0, -95.0), (8, 'Japan', 'JP', 36.0, 138.0),
                  (9, 'Russia', 'RU', 60.0, 100.0), (10, 'Indonesia', 'ID', -5.0, 120.0), (11, 'Netherlands', 'NL', 52.5, 5.75),
                  (12, 'Spain', 'ES', 40.0, -4.0), (13, 'Poland', 'PL', 52.0, 20.0), (14, 'Australia', 'AU', -27.0, 133.0),
                  (15, 'Nigeria', 'NG', 10.0, 8.0), (16, 'South Korea', 'KR', 37.0, 127.5), (17, 'Italy', 'IT', 42.8, 12.8),
                  (18, 'Sweden', 'SE', 62.0, 15.0), (19, 'Switzerland', 'CH', 47.0, 8.0)) AS p (slot, country, code, lat, lng)
  ON a.profile AND a.id % 100 < 67 AND p.slot = floor(20 * power((a.id * 2654435761 % 1000) / 1000.0, 2))::int;
