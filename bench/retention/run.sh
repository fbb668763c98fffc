#!/usr/bin/env bash
# A month and more unattended, in minutes (issue 24): a PostgreSQL of its own whose clock (libfaketime) moves a day at a
# time; each day EVENTS_PER_DAY synthetic events (bench/dashboard/load.sql, spread over that day), the poll figures of
# every minute, the day's profiles, places, backlog and restored objects; then the product's maintenance (plain
# PostgreSQL: Enrich's, `EnrichBench maintain`; TimescaleDB: its jobs, run in order). Prints the database's size and the
# bytes and days of every relation (v_storage) day by day, and the size at day 30 beside day DAYS.
#
# First, the bytes a day of every relation at the budget's rate (100 events a second, 8,640,000 a day): one hour of it
# (360,000 events), materialised by the same maintenance, times 24.
#
#   bench/retention/run.sh                                   # 60 days of 200,000 events, on TimescaleDB where the server has it
#   DAYS=40 EVENTS_PER_DAY=100000 Storage__TimescaleDb=Never bench/retention/run.sh
#
# The relations that keep longer than the run by default (the 5-minute aggregates, a year or half of one; the poll
# tables, a year) keep 20 days here (Retention__*), so that every relation reaches its steady state by day 30; set them
# to see the defaults grow. Run it under the machine's build lock (flock /tmp/gh-build.lock ...).
set -euo pipefail
cd "$(dirname "$0")/../.."

days=${DAYS:-60}
per_day=${EVENTS_PER_DAY:-200000}
export Retention__EventStats5m=${Retention__EventStats5m:-20.00:00:00} Retention__CountryStats5m=${Retention__CountryStats5m:-20.00:00:00} \
       Retention__CaptureStats5m=${Retention__CaptureStats5m:-20.00:00:00} Retention__WatchStats5m=${Retention__WatchStats5m:-20.00:00:00} \
       Retention__EventStats1m=${Retention__EventStats1m:-20.00:00:00} Retention__Polls=${Retention__Polls:-20.00:00:00}
faketime_lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
if [[ -z $faketime_lib ]]; then
  echo "libfaketime is missing: apt-get install faketime" >&2
  exit 2
fi
bin=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
work=$(mktemp -d)
chmod 777 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
server() { as_postgres env LD_PRELOAD="$faketime_lib" FAKETIME="$clock" "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "$options" "$@" >/dev/null; }
cleanup() { as_postgres "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build bench/EnrichBench --configuration Release -v quiet -nologo >/dev/null
enrich_bench() { dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll "$@"; }

as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
options="-p $port -c listen_addresses=127.0.0.1 -k $work -c shared_buffers=1GB -c max_wal_size=4GB"
[[ -f $bin/../lib/timescaledb.so ]] && options+=" -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
clock=+0d
server start
psql_at() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$1" "${@:2}"; }

# The database's clock: DAYS days ago plus the day the run has reached, from the server's restart on.
set_day() { clock=$(printf '%+dd' $(( $1 - days ))); server restart; }

# Sets a database up on the path the environment picks; prints the path.
setup() {
  psql_at postgres -c "CREATE DATABASE $1"
  enrich_bench setup "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1"
}

# One turn of the product's maintenance, to the end: Enrich's without TimescaleDB; with it, every job of the schema's
# (refresh policies, compression, retention policies, the ranking, the tables' retention), refreshes first, scheduled
# off so that they run here and only here.
maintain() {
  if [[ $2 == TimescaleDb ]]; then
    local jobs
    jobs=$(psql_at "$1" -At -c "SELECT string_agg(format('CALL run_job(%s);', job_id), ' ' ORDER BY proc_name <> 'policy_refresh_continuous_aggregate', job_id)
                                FROM timescaledb_information.jobs WHERE job_id >= 1000")
    psql_at "$1" <<< "$jobs" >/dev/null
  else
    enrich_bench maintain "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1" >/dev/null
  fi
}

pause_jobs() {
  [[ $2 == TimescaleDb ]] || return 0
  psql_at "$1" -At -c "SELECT count(*) FROM timescaledb_information.jobs j, alter_job(j.job_id, scheduled => false) WHERE j.job_id >= 1000" >/dev/null
  while (( $(psql_at "$1" -At -c "SELECT count(*) FROM timescaledb_information.job_stats WHERE job_status = 'Running'") > 0 )); do sleep 1; done
}

# What the rest of a day brings besides events: the poller's figures for every minute (and 20 watched feeds'), the
# profiles of the day's people (and their places), a thousand backlog rows and restored objects.
day_extras() {
  psql_at "$1" <<'SQL'
INSERT INTO ingest_polls
SELECT m, 'bench-poller', 22, 66, 60, 4, 2, 6000, 4200, 0
FROM generate_series(date_trunc('minute', now()) - INTERVAL '1 day' + INTERVAL '1 minute', date_trunc('minute', now()), INTERVAL '1 minute') AS m
ON CONFLICT DO NOTHING;
INSERT INTO watch_polls
SELECT m, 'bench-poller', 1, 1, 1, 0, 0, 30, 10, 0, 'repos/org' || f || '/repo' || f || '/events'
FROM generate_series(date_trunc('minute', now()) - INTERVAL '1 day' + INTERVAL '1 minute', date_trunc('minute', now()), INTERVAL '1 minute') AS m,
     generate_series(1, 20) AS f
ON CONFLICT DO NOTHING;
INSERT INTO locations (key, country, country_code, lat, lng, provider)
SELECT DISTINCT lower(country), country, country_code, lat, lng, 'gazetteer' FROM events WHERE time > now() - INTERVAL '1 day' AND country IS NOT NULL
ON CONFLICT (key) DO UPDATE SET resolved_at = now();
INSERT INTO actors (id, login, type, company, location, location_key, public_repos, fetched_at)
SELECT DISTINCT ON (actor_id) actor_id, actor, 'User', company, country, lower(country), public_repos, now()
FROM events WHERE time > now() - INTERVAL '1 day' AND public_repos IS NOT NULL
ON CONFLICT (id) DO UPDATE SET fetched_at = now();
INSERT INTO actor_backlog (actor_id, login, first_time, last_time)
SELECT 10000000 + (extract(epoch FROM now())::bigint / 86400) * 1000 + i, 'late' || i, now() - INTERVAL '30 hours', now() - INTERVAL '25 hours'
FROM generate_series(1, 1000) AS i;
INSERT INTO restored_objects (repo, kind, key, value, fetched_at)
SELECT 'org1/repo1', 'commit', md5(now()::text || i), jsonb_build_object('message', 'restored'), now() FROM generate_series(1, 1000) AS i;
SQL
}

sizes() { # DATABASE: the database's bytes, then relation bytes days, a line each
  psql_at "$1" -At -F' ' -c "SELECT 'database', pg_database_size(current_database()), 0 UNION ALL SELECT relation, bytes, coalesce(days, 0) FROM v_storage"
}

# 1. A day at the budget's rate: one hour of 8,640,000 events a day (the first of the 24 before now), materialised by
# the refresh, its bytes per relation times 24; on TimescaleDB then compressed.
path=$(setup budget)
pause_jobs budget "$path"
t0_end=$(psql_at budget -At -c "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
psql_at budget -v lo=1 -v hi=180000 -v n=8640000 -v t0_end="$t0_end" -f bench/dashboard/load.sql &
psql_at budget -v lo=180001 -v hi=360000 -v n=8640000 -v t0_end="$t0_end" -f bench/dashboard/load.sql &
wait
if [[ $path == TimescaleDb ]]; then
  psql_at budget <<< "$(psql_at budget -At -c "SELECT string_agg(format('CALL run_job(%s);', job_id), ' ')
                                              FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'")" >/dev/null
else
  maintain budget "$path"
fi
echo "A day at 100 events a second ($path path): one hour of 360,000 events, times 24"
sizes budget | awk '$1 == "events" || $1 ~ /_stats_/ { printf "  %-18s %8.1f MB a day\n", $1, $2 * 24 / 1e6 }'
if [[ $path == TimescaleDb ]]; then
  psql_at budget -At -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('events') c" >/dev/null
  psql_at budget -At -c "SELECT hypertable_size('events')" | awk '{ printf "  %-18s %8.1f MB a day (every chunk compressed)\n", "events", $1 * 24 / 1e6 }'
fi

# 2. DAYS days at EVENTS_PER_DAY.
db=github_events
path=$(setup $db)
pause_jobs $db "$path"
echo
echo "$days days of $per_day events a day ($path path; Storage:Retention ${Storage__Retention:-5 days}, the 5-minute and 1-minute aggregates and the polls 20 days)"
printf '%4s %14s %10s %8s %8s\n' day database events 'ev. days' seconds
for day in $(seq 1 "$days"); do
  set_day "$day"
  start=$(date +%s.%N)
  half=$(( per_day / 2 ))
  base=$(( (day - 1) * per_day ))
  # Row numbers go on from day to day (they are the events' ids); t0_end moves back so that the day's rows span its 24 hours.
  shifted=$(psql_at $db -At -c "SELECT to_char((now() - $(( day - 1 )) * INTERVAL '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
  psql_at $db -v lo=$(( base + 1 )) -v hi=$(( base + half )) -v n="$per_day" -v t0_end="$shifted" -f bench/dashboard/load.sql &
  psql_at $db -v lo=$(( base + half + 1 )) -v hi=$(( base + per_day )) -v n="$per_day" -v t0_end="$shifted" -f bench/dashboard/load.sql &
  wait
  day_extras $db
  maintain $db "$path"
  sizes $db > "$work/day-$day"
  read -r _ bytes _ < <(grep '^database ' "$work/day-$day")
  read -r _ _ event_days < <(grep '^events ' "$work/day-$day")
  printf '%4d %14d %10d %8.2f %8.1f\n' "$day" "$bytes" "$(psql_at $db -At -c 'SELECT count(*) FROM events')" "$event_days" "$(echo "$(date +%s.%N) - $start" | bc -l)"
done

(( days >= 30 )) || exit 0
echo
echo "Relations at day 30 and at day $days: bytes (days held)"
join <(sort "$work/day-30") <(sort "$work/day-$days") | awk '{ printf "  %-18s %14d (%6.2f) %14d (%6.2f)\n", $1, $2, $3, $4, $5 }'
read -r _ at30 _ < <(grep '^database ' "$work/day-30")
read -r _ atend _ < <(grep '^database ' "$work/day-$days")
printf 'The database: %d bytes at day 30, %d at day %d: %+.1f%%\n' "$at30" "$atend" "$days" "$(echo "($atend - $at30) * 100 / $at30" | bc -l)"
