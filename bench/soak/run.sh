#!/usr/bin/env bash
# A soak with faults (issue 25): the whole pipeline for DURATION, with a fault every FAULT_PERIOD, in turn: Enrich killed
# with SIGKILL (and started again; in the first ENRICH_KILLS rounds only), PostgreSQL stopped, the broker down, Nominatim
# blocking, GitHub answering 5xx.
#
#   Ingest (the service, polling live)  ->  bench/KafkaMock (librdkafka's mock cluster)  ->  Enrich (the service)  ->  PostgreSQL
#   the fake GitHub (bench/SoakBench: the public feed at RATE events/s with bursts of 5xx and slow answers, GraphQL and
#   REST profiles) and the fake Nominatim, both the tests' fakes
#
# Then it reports the events the feed showed (served in a 200), stored, stored more than once, on the raw topic more
# than once, consumed again after each kill, lost (shown, never stored) and for each lost event whether a recorded gap
# covers it, the dead letters by reason, each process's memory (start, middle, end, growth over the last 20 minutes)
# and the database's bytes per hour. The report and the series go to OUT.
#
#   flock /tmp/ge-build.lock bench/soak/run.sh                          # 30 minutes, a fault every 3 minutes
#   DURATION=4m FAULT_PERIOD=40s POSTGRES_DOWN=10s BROKER_DOWN=15s NOMINATIM_DOWN=15s GITHUB_DOWN=15s bench/soak/run.sh
#
# Durations take s, m or h (plain numbers are seconds). Storage__TimescaleDb=Never runs the plain PostgreSQL path.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds() { local v=$1; case $v in *h) echo $(( ${v%h} * 3600 ));; *m) echo $(( ${v%m} * 60 ));; *s) echo "${v%s}";; *) echo "$v";; esac; }
duration=$(seconds "${DURATION:-30m}")
period=$(seconds "${FAULT_PERIOD:-3m}")
postgres_down=$(seconds "${POSTGRES_DOWN:-30s}")
broker_down=$(seconds "${BROKER_DOWN:-60s}")
nominatim_down=$(seconds "${NOMINATIM_DOWN:-60s}")
github_down=$(seconds "${GITHUB_DOWN:-60s}")
enrich_restart=$(seconds "${ENRICH_RESTART:-5s}")
settle_limit=$(seconds "${SETTLE:-5m}")
sample_every=$(seconds "${SAMPLE_INTERVAL:-10s}")
rate=${RATE:-100}
out=${OUT:-/tmp/soak-$(date -u +%Y%m%dT%H%M%S)}
fixtures=${GITHUB_EVENTS_UPSTREAM_FIXTURES:-$(cd .. && pwd)/shared/fixtures/upstream}
sample="$fixtures/gharchive-sample-pinot/2021-07-21-few-hours.json"
locations=GithubEvents.Tests/Geocoding/location-strings.tsv
raw_topic=github.events.raw dlq_topic=github.events.dlq group=github-events-enricher
bin=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
mkdir -p "$out"
work=$(mktemp -d)
chmod 777 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# Every process started after the mock cluster's and the fakes' control pipes (fd 3 and 4) are open closes its copies,
# so that closing ours ends them.
pg() { as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w "$@" >/dev/null 3>&- 4>&-; }
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d soak "$@"; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/run.log" >&2; }

mock_pid="" fakes_pid="" ingest_pid="" enrich_pid="" sampler_pid="" raw_tap_pid="" dlq_tap_pid=""
cleanup() {
  for pid in $sampler_pid $raw_tap_pid $dlq_tap_pid $ingest_pid $enrich_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $ingest_pid $enrich_pid; do wait "$pid" 2>/dev/null || true; done
  exec 3>&- 2>/dev/null || true
  exec 4>&- 2>/dev/null || true
  for pid in $mock_pid $fakes_pid; do wait "$pid" 2>/dev/null || true; done
  pg -m immediate stop 2>/dev/null || true
  for name in ingest enrich fakes; do [[ -f $work/$name.log ]] && gzip -c "$work/$name.log" > "$out/$name.log.gz"; done
  [[ -n ${KEEP_WORK:-} ]] && echo "work: $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build() { dotnet build "$1" --configuration Release -v quiet -nologo >/dev/null; }
build GithubEvents.Ingest
build GithubEvents.Enrich
build bench/KafkaMock
build bench/SoakBench
soak_bench() { dotnet bench/SoakBench/bin/Release/net10.0/SoakBench.dll "$@"; }

# PostgreSQL with default durability, TimescaleDB preloaded where the server has it.
as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
preload=""
[[ -f $bin/../lib/timescaledb.so ]] && preload="-c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
pg_options="-p $port -c listen_addresses=127.0.0.1 -k $work $preload"
pg -o "$pg_options" start
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE soak"

source bench/KafkaMock/start.sh
start_kafka_mock "$work"

mkfifo "$work/fakes.in"
ACTOR_COPIES=${ACTOR_COPIES:-50} dotnet bench/SoakBench/bin/Release/net10.0/SoakBench.dll fakes "$sample" "$locations" "$rate" "$work/shown.tsv" < "$work/fakes.in" > "$work/fakes.out" 2> "$work/fakes.log" 3>&- &
fakes_pid=$!
exec 4> "$work/fakes.in"
for _ in $(seq 600); do (( $(wc -l < "$work/fakes.out") >= 2 )) && break; sleep 0.1; done
github_url=$(sed -n 1p "$work/fakes.out")
nominatim_url=$(sed -n 2p "$work/fakes.out")
fakes() { echo "$1" >&4; }

common=("ConnectionStrings__kafka=$bootstrap" "GitHub__ApiUrl=$github_url" GitHub__Token=soak-token
        Kafka__Topics__CreateTimeout=00:00:01 ASPNETCORE_URLS=http://127.0.0.1:0 Logging__LogLevel__System.Net.Http=Warning "Logging__Console__TimestampFormat=HH:mm:ss.fff ")
start_enrich() {
  (cd GithubEvents.Enrich/bin/Release/net10.0 && exec env "${common[@]}" "ConnectionStrings__github-events=Host=127.0.0.1;Port=$port;Username=postgres;Database=soak" \
    "Geocoding__NominatimUrl=$nominatim_url" "Geocoding__UserAgent=GithubEvents-soak/1.0 (soak@example.org)" \
    dotnet GithubEvents.Enrich.dll) >> "$work/enrich.log" 2>&1 3>&- 4>&- &
  enrich_pid=$!
  echo "$enrich_pid" > "$work/enrich.pid"
}
start_enrich
(cd GithubEvents.Ingest/bin/Release/net10.0 && exec env "${common[@]}" dotnet GithubEvents.Ingest.dll) > "$work/ingest.log" 2>&1 3>&- 4>&- &
ingest_pid=$!
start=$(date +%s)
log "soak: ${duration}s, a fault every ${period}s, $rate events/s; Ingest $ingest_pid, Enrich $enrich_pid, Kafka mock $mock_pid ($bootstrap), fakes $fakes_pid; out: $out"

# Taps: every message of the raw topic (partition, offset, Kafka's time in ms, event id) and of the dead-letter topic
# (time, headers), read as they come: the mock cluster keeps only a few MB a partition. A topic not there yet is made
# as the broker makes it for Ingest and Enrich (the mock cluster cannot create topics on request).
kcat -C -q -u -b "$bootstrap" -t "$raw_topic" -X allow.auto.create.topics=true -o beginning -f '%p\t%o\t%T\t%s\n' \
  > >(exec 3>&- 4>&-; awk -F'\t' '{ match($4, /"id":"[0-9]+"/); print $1 "\t" $2 "\t" $3 "\t" substr($4, RSTART + 6, RLENGTH - 7); fflush() }' > "$work/raw.tsv") 2> "$work/raw-tap.log" 3>&- 4>&- &
raw_tap_pid=$!
kcat -C -q -u -b "$bootstrap" -t "$dlq_topic" -X allow.auto.create.topics=true -o beginning -f '%T\t%h\n' > "$out/dead-letters.tsv" 2> "$work/dlq-tap.log" 3>&- 4>&- &
dlq_tap_pid=$!

# Memory every SAMPLE_INTERVAL (seconds since the start, process, pid, kB): RSS of the .NET processes (Enrich's current
# one), and PSS summed over the PostgreSQL cluster's processes (their shared buffers counted once; the postmaster's pid);
# the database's size alongside.
rss() { printf '%d\t%s\t%d\t%d\n' "$t" "$1" "$2" "$(awk '/^VmRSS/ { print $2 }' "/proc/$2/status" 2>/dev/null || echo 0)"; }
postgres_pss() {
  local postmaster
  postmaster=$(head -n 1 "$work/pg/postmaster.pid" 2>/dev/null) || return 0
  for pid in $postmaster $(ps -o pid= --ppid "$postmaster"); do awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null; done \
    | awk -v t="$t" -v pid="$postmaster" '{ s += $1 } END { printf "%d\tpostgres\t%d\t%d\n", t, pid, s }'
}
(
  exec 3>&- 4>&-
  set +e
  while true; do
    t=$(( $(date +%s) - start ))
    { rss ingest "$ingest_pid"; rss enrich "$(cat "$work/enrich.pid")"; rss kafka "$mock_pid"; rss fakes "$fakes_pid"; postgres_pss; } >> "$out/memory.tsv"
    # Bounded: a connection that waits on Enrich's start-up would stop the sampling for good.
    size=$(timeout 5 psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d soak -At -c "SELECT pg_database_size('soak')" 2>/dev/null) && printf '%d\t%s\n' "$t" "$size" >> "$out/database-size.tsv"
    sleep "$sample_every"
  done
) &
sampler_pid=$!

# The faults, in turn. Each records its start and end (seconds since the start) in faults.tsv.
fault_kill_enrich() {
  kill -KILL "$enrich_pid"; wait "$enrich_pid" 2>/dev/null || true
  local killed_at
  killed_at=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  # The group's offsets as the killed process left them: what follows is delivered again to the next.
  soak_bench committed "$bootstrap" "$raw_topic" "$group" | while read -r partition committed end; do
    printf '%s\t%s\t%s\t%s\n' "$killed_at" "$partition" "$committed" "$end"; done >> "$work/kills.tsv"
  sleep "$enrich_restart"
  start_enrich
}
fault_stop_postgres() { pg -m fast stop; sleep "$postgres_down"; pg -o "$pg_options" start; }
fault_broker_down() { echo down >&3; sleep "$broker_down"; echo up >&3; }
fault_nominatim_down() { fakes "nominatim down"; sleep "$nominatim_down"; fakes "nominatim up"; }
fault_github_down() { fakes "github down"; sleep "$github_down"; fakes "github up"; }
# Enrich is killed in the first ENRICH_KILLS rounds only (1 by default): the memory growth over the last 20 minutes is
# then one Enrich process's, not a restarted one's warming up. The other faults come in every round.
declare -A lengths=([kill_enrich]=$enrich_restart [stop_postgres]=$postgres_down [broker_down]=$broker_down
                    [nominatim_down]=$nominatim_down [github_down]=$github_down)
schedule=()
for (( round = 0; ${#schedule[@]} * period < duration; round++ )); do
  (( round < ${ENRICH_KILLS:-1} )) && schedule+=(kill_enrich)
  schedule+=(stop_postgres broker_down nominatim_down github_down)
done
for (( k = 0; ; k++ )); do
  at=$(( (k + 1) * period )) fault=${schedule[k]}
  (( at + ${lengths[$fault]} < duration )) || break
  wait_for=$(( start + at - $(date +%s) ))
  if (( wait_for > 0 )); then sleep "$wait_for"; fi
  log "fault: $fault"
  from=$(( $(date +%s) - start ))
  "fault_$fault"
  printf '%s\t%d\t%d\n' "$fault" "$from" "$(( $(date +%s) - start ))" >> "$out/faults.tsv"
  kill -0 "$ingest_pid" 2>/dev/null || { log "Ingest has stopped"; tail -n 30 "$work/ingest.log"; exit 1; }
  kill -0 "$enrich_pid" 2>/dev/null || { log "Enrich has stopped"; tail -n 30 "$work/enrich.log"; exit 1; }
done
remaining=$(( start + duration - $(date +%s) ))
if (( remaining > 0 )); then sleep "$remaining"; fi

# The feed stops moving; the pipeline gets until everything Enrich was given is committed and the rows stop growing.
fakes stop
log "feed stopped; settling (at most ${settle_limit}s)"
stored_before=-1 still=0
for (( i = 0; i < settle_limit / 5; i++ )); do
  sleep 5
  stored=$(psql_db -At -c "SELECT count(*) FROM events")
  behind=$(soak_bench committed "$bootstrap" "$raw_topic" "$group" | awk '{ s += $3 - $2 } END { print s + 0 }')
  if (( stored == stored_before && behind == 0 )); then (( ++still >= 3 )) && break; else still=0; fi
  stored_before=$stored
done
ended=$(( $(date +%s) - start ))
log "settled after ${ended}s: $stored rows, $behind messages not committed"

# Measured before the bench's own tables go into the database.
final_size=$(psql_db -At -c "SELECT pg_database_size('soak')")
kill "$sampler_pid" "$raw_tap_pid" "$dlq_tap_pid" 2>/dev/null || true
wait "$sampler_pid" "$raw_tap_pid" "$dlq_tap_pid" 2>/dev/null || true
sampler_pid="" raw_tap_pid="" dlq_tap_pid=""
exec 4>&-
wait "$fakes_pid" || true
fakes_pid=""
IFS=$'\t' read -r released shown_count bursts statuses < <(tail -n 1 "$work/fakes.out")

psql_db <<SQL
CREATE SCHEMA soak;
CREATE TABLE soak.shown (event_id bigint PRIMARY KEY, created_at timestamptz NOT NULL);
CREATE TABLE soak.raw (partition int, "offset" bigint, kafka_ms bigint, event_id bigint);
CREATE TABLE soak.kills (killed_at timestamptz, partition int, committed bigint, end_offset bigint);
\copy soak.shown FROM '$work/shown.tsv'
\copy soak.raw FROM '$work/raw.tsv'
SQL
[[ -s $work/kills.tsv ]] && psql_db -c "\\copy soak.kills FROM '$work/kills.tsv'"

# Each lost event (shown, not stored) against the recorded gaps: it is in one when the poll figures of the minute it
# reached the feed (or the next) say polls missed events or the minute was not delivered, or a Kafka gap spans the time
# Kafka stamped it with.
psql_db <<'SQL'
CREATE TABLE soak.lost AS
WITH lost AS (
    SELECT s.event_id, s.created_at, (SELECT min(to_timestamp(r.kafka_ms / 1000.0)) FROM soak.raw r WHERE r.event_id = s.event_id) AS kafka_time
    FROM soak.shown s WHERE NOT EXISTS (SELECT FROM events e WHERE e.event_id = s.event_id)
)
SELECT l.*,
       EXISTS (SELECT FROM ingest_polls p WHERE p.minute BETWEEN date_trunc('minute', l.created_at) AND date_trunc('minute', l.created_at) + INTERVAL '1 minute'
               AND (p.missed_polls > 0 OR p.undelivered)) AS in_poll_gap,
       EXISTS (SELECT FROM kafka_gaps g WHERE l.kafka_time BETWEEN coalesce(g.before_time, g.after_time - INTERVAL '1 hour') AND g.after_time) AS in_kafka_gap
FROM lost l;
SQL
unexplained=$(psql_db -At -c "SELECT count(*) FROM soak.lost WHERE NOT in_poll_gap AND NOT in_kafka_gap")
{
  echo "Soak: $(date -u +%Y-%m-%d), ${duration}s with a fault every ${period}s, $rate events/s ($(git rev-parse --short HEAD), $(psql_db -At -c "SELECT CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb') THEN 'TimescaleDB' ELSE 'plain PostgreSQL' END"))"
  echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
  echo
  echo "Faults (seconds from the start):"
  awk -F'\t' '{ printf "  %-16s %5d to %5d\n", $1, $2, $3 }' "$out/faults.tsv" 2>/dev/null
  echo "  feed bursts (502s or a slow 504): $bursts"
  echo "  the fake GitHub's answers by path and status: $statuses"
  echo
  echo "Events:"
  printf '  %-62s %10s\n' "released on the feed" "$released"
  psql_db -At -F $'\t' <<SQL | awk -F'\t' '{ printf "  %-62s %10s\n", $1, $2 }'
SELECT label, value FROM (VALUES
  (0, 'released, never shown (the feed moved past them between polls)', $released - (SELECT count(*) FROM soak.shown)),
  (1, 'shown (served in a 200 of the public feed)', (SELECT count(*) FROM soak.shown)),
  (2, 'stored (distinct ids)', (SELECT count(DISTINCT event_id) FROM events)),
  (3, 'stored more than once (ids with more than one row)', (SELECT count(*) FROM (SELECT event_id FROM events GROUP BY 1 HAVING count(*) > 1) d)),
  (4, 'on the raw topic more than once (ids)', (SELECT count(*) FROM (SELECT event_id FROM soak.raw GROUP BY 1 HAVING count(*) > 1) d)),
  (5, 'consumed again after a kill (stored before it, not committed)', (SELECT count(*) FROM soak.kills k
      JOIN soak.raw r ON r.partition = k.partition AND r."offset" >= k.committed AND r."offset" < k.end_offset
      JOIN events e ON e.event_id = r.event_id AND e.ingested_at < k.killed_at)),
  (6, 'lost (shown, not stored)', (SELECT count(*) FROM soak.lost)),
  (7, '  of which never on the raw topic (lost before Kafka)', (SELECT count(*) FROM soak.lost WHERE kafka_time IS NULL)),
  (8, 'stored, never shown (should be 0)', (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT FROM soak.shown s WHERE s.event_id = e.event_id)))
) figures (n, label, value) ORDER BY n
SQL
  echo
  echo "Lost events and the recorded gaps:"
  psql_db -At -F $'\t' <<'SQL' | awk -F'\t' '{ printf "  %-62s %10s\n", $1, $2 }'
SELECT label, value FROM (
    SELECT 1, 'lost', count(*) FROM soak.lost
    UNION ALL SELECT 2, '  in a minute whose poll figures missed events or not delivered', count(*) FILTER (WHERE in_poll_gap) FROM soak.lost
    UNION ALL SELECT 3, '  in a Kafka gap (kafka_gaps)', count(*) FILTER (WHERE in_kafka_gap) FROM soak.lost
    UNION ALL SELECT 4, '  in no recorded gap', count(*) FILTER (WHERE NOT in_poll_gap AND NOT in_kafka_gap) FROM soak.lost
    UNION ALL SELECT 5 + extract(epoch FROM date_trunc('minute', created_at)) / 1e10, '    created at ' || to_char(date_trunc('minute', created_at), 'HH24:MI'), count(*)
    FROM soak.lost WHERE NOT in_poll_gap AND NOT in_kafka_gap GROUP BY date_trunc('minute', created_at)
) figures (n, label, value) ORDER BY n
SQL
  echo "  Ingest's poll figures over the run: $(psql_db -At -c "SELECT format('%s polls, %s requests (%s 200, %s 304, %s failed), %s events returned, %s new, %s polls that missed events, %s minutes not delivered',
    sum(polls), sum(requests), sum(ok), sum(not_modified), sum(failed), sum(events_returned), sum(new_events), sum(missed_polls),
    count(DISTINCT minute) FILTER (WHERE undelivered)) FROM ingest_polls")"
  echo "  minutes with missed polls, failed requests or not delivered (minute, polls, failed, missed polls, not delivered):"
  psql_db -At -F $'\t' -c "SELECT to_char(minute, 'HH24:MI'), sum(polls), sum(failed), sum(missed_polls), bool_or(undelivered) FROM ingest_polls GROUP BY minute HAVING sum(missed_polls) > 0 OR sum(failed) > 0 OR bool_or(undelivered) ORDER BY minute" \
    | awk -F'\t' '{ printf "    %s %5d %5d %5d %5s\n", $1, $2, $3, $4, $5 }'
  echo "  hours v_capture_by_hour marks known incomplete: $(psql_db -At -c "SELECT coalesce(string_agg(to_char(hour, 'HH24:MI'), ' ' ORDER BY hour), 'none') FROM v_capture_by_hour WHERE known_incomplete")"
  echo "  Kafka gaps: $(psql_db -At -c "SELECT count(*) || ' gaps, ' || coalesce(sum(to_offset - from_offset), 0) || ' messages' FROM kafka_gaps")"
  echo
  echo "Dead letters by reason:"
  if [[ -s $out/dead-letters.tsv ]]; then
    sed -E 's/.*dlq\.reason=([^,]*).*/\1/' "$out/dead-letters.tsv" | sort | uniq -c | sort -rn | sed 's/^/  /'
  else
    echo "  none"
  fi
  echo
  echo "Memory (MB; RSS, PostgreSQL's PSS over its processes) at the start (first minute), the middle and the end; growth"
  echo "over the last 20 minutes, or from two minutes after the process started when that is later (the fakes keep every"
  echo "event the feed served, for this report, so they grow by design):"
  : > "$work/growth.tsv"
  awk -F'\t' -v end="$ended" -v duration="$duration" -v growth_file="$work/growth.tsv" '
    { t[$2, ++n[$2]] = $1; pid[$2, n[$2]] = $3; kb[$2, n[$2]] = $4; roles[$2] = 1 }
    END {
      printf "  %-10s %8s %8s %8s %8s   %s\n", "process", "start", "middle", "end", "peak", "last 20 minutes"
      for (r in roles) {
        s = m = e = 0; peak = 0; from = -1; since = 120
        for (i = 1; i <= n[r]; i++) {
          if (kb[r, i] == 0) continue
          if (i > 1 && pid[r, i] != pid[r, i - 1]) { from = -1; since = t[r, i] + 120 }
          if (t[r, i] <= 60 || s == 0) s = kb[r, i]
          if (m == 0 && t[r, i] >= duration / 2) m = kb[r, i]
          e = kb[r, i]; if (kb[r, i] > peak) peak = kb[r, i]
          if (from < 0 && t[r, i] >= end - 1200 && t[r, i] >= since) from = kb[r, i]
        }
        growth = from > 0 ? sprintf("%+.1f%% (%.0f to %.0f)", 100 * (e - from) / from, from / 1024, e / 1024) : "-"
        if (from > 0) printf "%s\t%.1f\n", r, 100 * (e - from) / from > growth_file
        printf "  %-10s %8.0f %8.0f %8.0f %8.0f   %s\n", r, s / 1024, m / 1024, e / 1024, peak / 1024, growth
      }
    }' "$out/memory.tsv"
  echo
  first_size=$(head -n 1 "$out/database-size.tsv" | cut -f2)
  echo "Database:"
  awk -v a="$first_size" -v b="$final_size" -v s="$ended" 'BEGIN { printf "  %.1f MB at the first sample, %.1f MB at the end: %.1f MB an hour\n", a / 1048576, b / 1048576, (b - a) / 1048576 / (s / 3600) }'
  psql_db -At -F $'\t' -c "SELECT relation, size FROM v_storage ORDER BY bytes DESC LIMIT 8" 2>/dev/null \
    | awk -F'\t' '{ printf "    %-28s %s\n", $1, $2 }' || true
  echo "  bytes an event stored: $(psql_db -At -c "SELECT round(($final_size - $first_size)::numeric / nullif(count(*), 0)) FROM events")"
  echo
  met() { if (( $1 )); then echo "met"; else echo "NOT MET"; fi; }
  twice=$(psql_db -At -c "SELECT count(*) FROM (SELECT event_id FROM events GROUP BY 1 HAVING count(*) > 1) d")
  echo "Goals (issue 25):"
  echo "  no event stored twice: $(met $(( twice == 0 ))) ($twice)"
  echo "  every event not stored lies in a recorded gap: $(met $(( unexplained == 0 ))) ($unexplained in none)"
  (( ended >= 1200 )) || echo "  (the run is shorter than 20 minutes: memory growth is over the whole run)"
  # The fakes are the bench's own: they keep every event the feed served, for this report, and grow with it.
  awk -F'\t' '$1 != "fakes" { printf "  %s memory grows less than 10%% over the last 20 minutes: %s (%+.1f%%)\n", $1, ($2 < 10 ? "met" : "NOT MET"), $2 }' "$work/growth.tsv"
} | tee "$out/report.txt"
