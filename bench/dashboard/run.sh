#!/usr/bin/env bash
# Dashboard cost at volume: a PostgreSQL of its own, the schema from Enrich's migrations, EVENTS synthetic events over
# the last 24 hours (bench/dashboard/load.sql, made inside the server), materialised by the product's own refresh
# (plain PostgreSQL: rollup.refresh, as Enrich calls it every Storage:AggregateRefreshInterval; TimescaleDB: the
# refresh policies' jobs), then every panel's SQL of the live dashboard as Grafana expands it, at the dashboard's
# default range and at 24 hours, and the queries and views of README.md and docs/ (bench/DashboardBench). Prints the first (cold:
# server restarted, the OS page cache dropped where allowed) and the median of five warm runs of each, as a table and
# as JSON, the bytes on disk per event, and the CPU the refreshes take while events keep arriving at the load's rate.
#
#   bench/dashboard/run.sh                                  # 10,000,000 events, on TimescaleDB where the server has it
#   EVENTS=3000000 Storage__TimescaleDb=Never bench/dashboard/run.sh
#   OUT=/tmp/dash bench/dashboard/run.sh                    # keep the JSON (default: a folder under /tmp)
#   COMPRESS=0 bench/dashboard/run.sh                       # skip compressing the chunks for the compressed size
#   TIMINGS=0 bench/dashboard/run.sh                        # skip timing the queries (the load, refreshes and ranking only)
#   MIGRATION=1 EVENTS=2000000 bench/dashboard/run.sh       # instead of the refreshes and queries: Enrich's setup applies
#       bench/dashboard/migrations/*.sql (indexes over every event) after the product's migrations while Enrich's write
#       path stores WRITE_RATE events/s (default 200, twice the budget's rate); prints each migration's duration and the
#       writes' delays (bench/EnrichBench migrate)
#
# Run it under the machine's build lock (flock /tmp/gh-build.lock ...): it keeps both cores busy for minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."

events=${EVENTS:-10000000}
rounds=${REFRESH_ROUNDS:-5}
out=${OUT:-$(mktemp -d /tmp/dashboard-bench.XXXXXX)}
mkdir -p "$out"
bin=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
work=$(mktemp -d)
chmod 777 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_postgres "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [[ -n ${KEEP_WORK:-} ]] && echo "work: $work" || rm -rf "$work"
}
trap cleanup EXIT

build() { dotnet build "$1" --configuration Release -v quiet -nologo >/dev/null; }
build bench/EnrichBench
build bench/DashboardBench
dashboard_bench() { dotnet bench/DashboardBench/bin/Release/net10.0/DashboardBench.dll "$@"; }

# Default settings but for memory a dashboard server would be given (a quarter of this machine's).
as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
options="-p $port -c listen_addresses=127.0.0.1 -k $work -c shared_buffers=2GB -c effective_cache_size=8GB -c max_wal_size=8GB"
[[ -f $bin/../lib/timescaledb.so ]] && options+=" -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
server() { as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "$options" "$@" >/dev/null; }
server start
db=github_events
connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"
psql_db() { nice -n 10 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"; }
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $db"
path=$(dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll setup "$connection")
timescaledb=false
[[ $path == TimescaleDb ]] && timescaledb=true

# The load: events evenly spaced over the 24 hours up to the load's start, in slices of a million; then the events
# of the minutes the load took, at the same rate, so that the newest event is a few seconds old.
t0_end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0_epoch=$(date -u -d "$t0_end" +%s)
loaded=0
load_until() { # load_until LAST_ROW: two slices at a time, one a core
  local hi
  while (( loaded < $1 )); do
    for _ in 1 2; do
      (( loaded < $1 )) || break
      hi=$(( loaded + 500000 < $1 ? loaded + 500000 : $1 ))
      psql_db -v lo=$((loaded + 1)) -v hi=$hi -v n="$events" -v t0_end="$t0_end" -f bench/dashboard/load.sql &
      loaded=$hi
    done
    wait
  done
}
catch_up() { load_until $(( events + ($(date +%s) - t0_epoch) * events / 86400 )); }
start=$(date +%s.%N)
load_until "$events"
load_seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
catch_up
# The poller's figures for every minute of the retention (90 days), as a poller at the budget's pace leaves them.
psql_db -v t0_end="$t0_end" <<'SQL'
INSERT INTO ingest_polls
SELECT m, 'bench-poller', 22, 66, 60 - f, 4, 2 + f, 100 * (60 - f), 70 * (60 - f), (random() < 0.1)::int
FROM generate_series(date_bin(INTERVAL '1 minute', :'t0_end'::timestamptz, TIMESTAMPTZ 'epoch') - INTERVAL '90 days',
                     :'t0_end'::timestamptz, INTERVAL '1 minute') AS m,
     LATERAL (SELECT floor(random() * 3)::int AS f) AS failures;
SQL
psql_db -c "VACUUM ANALYZE events" -c "VACUUM ANALYZE ingest_polls"
if [[ ${MIGRATION:-0} == 1 ]]; then
  dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll migrate "$connection" "${WRITE_RATE:-200}" bench/dashboard/migrations/*.sql
  psql_db -c "SELECT count(*) AS events, pg_size_pretty(pg_total_relation_size('events')) AS events_with_indexes FROM events"
  exit
fi

# The product's refresh: what Enrich's PostgresMaintenance calls on plain PostgreSQL with the default
# Storage:AggregateRefreshLag, or the continuous aggregates' refresh policies' jobs on TimescaleDB, in their order;
# and the ranking of the last 24 hours (refresh_top_24h), which runs every Storage:RankingRefreshInterval (15 minutes).
if $timescaledb; then
  refresh_sql=$(psql_db -At -c "SELECT string_agg(format('CALL run_job(%s)', job_id), '; ' ORDER BY job_id) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'")
  rank_sql=$(psql_db -At -c "SELECT coalesce(string_agg(format('CALL run_job(%s)', job_id), '; '), 'SELECT 1') FROM timescaledb_information.jobs WHERE proc_name = 'refresh_top_24h_job'")
else
  refresh_sql="SELECT rollup.refresh(INTERVAL '1 minute', 12)"
  rank_sql="SELECT refresh_top_24h()"
fi
ranking_interval_minutes=15
# On TimescaleDB the policies' jobs ran in the background during the load; from here on they are paused, so that
# the refreshes below do all the work and their CPU is counted (a background job's is in processes of its own).
$timescaledb && psql_db -At -c "SELECT count(*) FROM timescaledb_information.jobs j, alter_job(j.job_id, scheduled => false) WHERE j.proc_name IN ('policy_refresh_continuous_aggregate', 'refresh_top_24h_job')" >/dev/null
# A job already under way goes on: wait for it, or the refresh below fails on its lock.
while $timescaledb && (( $(psql_db -At -c "SELECT count(*) FROM timescaledb_information.job_stats WHERE job_status = 'Running'") > 0 )); do sleep 1; done
# The first refresh: on plain PostgreSQL the catch-up over the whole day in statements of 12 slices, as Enrich's
# maintenance makes it (each with Storage:MaintenanceTimeout).
if $timescaledb; then
  dashboard_bench refresh "$connection" "$refresh_sql" > "$work/first"
else
  dashboard_bench catch-up "$connection" 00:01:00 > "$work/first"
fi
read -r _ first_refresh_ms first_longest_ms first_statements < "$work/first"

# Steady state: every minute the events of that minute arrive and the refresh runs, as in production; its CPU time
# (the server process's user and system time) over the rounds, plus a ranking's every 15 minutes, is the share
# of one core the refreshes take.
refresh_cpu_ms=0
for _ in $(seq "$rounds"); do
  round_start=$(date +%s)
  catch_up
  dashboard_bench refresh "$connection" "$refresh_sql" > "$work/refresh"
  refresh_cpu_ms=$(echo "$refresh_cpu_ms + $(cut -d' ' -f1 "$work/refresh")" | bc -l)
  sleep $(( 60 - ($(date +%s) - round_start) > 0 ? 60 - ($(date +%s) - round_start) : 0 ))
done
catch_up
dashboard_bench refresh "$connection" "$refresh_sql" >/dev/null
dashboard_bench refresh "$connection" "$rank_sql" > "$work/rank"
read -r rank_cpu_ms rank_wall_ms rank_longest_ms _ < "$work/rank"
# The refresh policies run again while the queries are timed, so that the real-time part is as small as in production.
$timescaledb && psql_db -At -c "SELECT count(*) FROM timescaledb_information.jobs j, alter_job(j.job_id, scheduled => true, next_start => now()) WHERE j.proc_name = 'policy_refresh_continuous_aggregate'" >/dev/null
catch_up

sizes=$(psql_db -At -F' ' -c "
  SELECT count(*), $(if $timescaledb; then echo "hypertable_size('events')"; else echo "pg_total_relation_size('events')"; fi),
         (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'm') AND (n.nspname IN ('rollup', '_timescaledb_internal') AND c.relname NOT LIKE '%hyper_1_%' AND c.relname NOT LIKE 'compress%'
                 OR n.nspname = 'public' AND c.relname NOT IN ('events')))
  FROM events")
read -r stored bytes aggregate_bytes <<< "$sizes"

# The timings: the server restarted and the page cache dropped before each range, so that the first runs are cold.
for range in 1h 24h; do
  [[ ${TIMINGS:-1} == 1 ]] || break
  server restart
  sync; (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null || echo "(the OS page cache could not be dropped: the first runs are cold for PostgreSQL only)"
  echo
  dashboard_bench time "$connection" "$range" "$timescaledb" "$(ls README.md docs/*.md | paste -sd,)" "$out/$path-$range.json"
done

compressed=""
if $timescaledb && [[ ${COMPRESS:-1} == 1 ]]; then
  psql_db -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('events') c" >/dev/null
  compressed=$(psql_db -At -c "SELECT hypertable_size('events')")
fi

printf '\n%s path, %d events over 24 hours (%d loaded in %.0f s, %.0f events/s)\n' "$path" "$stored" "$events" "$load_seconds" "$(echo "$events / $load_seconds" | bc -l)"
printf '  on disk: events (table and indexes) %.0f bytes an event; the aggregates %.1f bytes an event\n' \
  "$(echo "$bytes / $stored" | bc -l)" "$(echo "$aggregate_bytes / $stored" | bc -l)"
[[ -n $compressed ]] && printf '  events compressed (every chunk): %.0f bytes an event\n' "$(echo "$compressed / $stored" | bc -l)"
refresh_per_minute=$(echo "$refresh_cpu_ms / $rounds" | bc -l)
total_per_minute=$(echo "$refresh_per_minute + $rank_cpu_ms / $ranking_interval_minutes" | bc -l)
printf '  first refresh over the whole day: %.1f s in %d statements, the longest %.1f s; the ranking: the longest statement %.1f s\n' \
  "$(echo "$first_refresh_ms / 1000" | bc -l)" "$first_statements" "$(echo "$first_longest_ms / 1000" | bc -l)" "$(echo "$rank_longest_ms / 1000" | bc -l)"
printf '  refresh: first %.1f s over the whole day; then at %.0f events/s, %.2f s CPU a minute (%d rounds), and a ranking %.2f s CPU (%.2f s wall) every %d minutes:\n' \
  "$(echo "$first_refresh_ms / 1000" | bc -l)" "$(echo "$events / 86400" | bc -l)" "$(echo "$refresh_per_minute / 1000" | bc -l)" "$rounds" \
  "$(echo "$rank_cpu_ms / 1000" | bc -l)" "$(echo "$rank_wall_ms / 1000" | bc -l)" "$ranking_interval_minutes"
printf '           %.1f%% of one core together\n' "$(echo "$total_per_minute / 60000 * 100" | bc -l)"
python3 - "$out" "$path" "$stored" "$bytes" "$aggregate_bytes" "${compressed:-0}" "$load_seconds" "$first_refresh_ms" "$first_statements" "$first_longest_ms" \
  "$refresh_per_minute" "$rank_cpu_ms" "$rank_longest_ms" "$total_per_minute" <<'EOF'
import json, sys
out, path, stored, size, aggregates, compressed, load, first, first_statements, first_longest, refresh, rank, rank_longest, total = sys.argv[1:]
summary = {"path": path, "events": int(stored), "bytesPerEvent": int(size) / int(stored), "aggregateBytesPerEvent": int(aggregates) / int(stored),
           "compressedBytesPerEvent": int(compressed) / int(stored) if int(compressed) else None, "loadSeconds": float(load),
           "firstRefreshSeconds": float(first) / 1000, "firstRefreshStatements": int(first_statements),
           "firstRefreshLongestStatementSeconds": float(first_longest) / 1000, "refreshCpuSecondsPerMinute": float(refresh) / 1000, "rankingCpuSeconds": float(rank) / 1000, "rankingLongestStatementSeconds": float(rank_longest) / 1000,
           "coreShare": float(total) / 60000}
json.dump(summary, open(f"{out}/{path}-summary.json", "w"), indent=2)
EOF
echo "  JSON: $out"
