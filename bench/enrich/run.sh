#!/usr/bin/env bash
# Write-path throughput: Kafka -> Enrich (the service process) -> PostgreSQL, side by side in one run with
# `psql \copy` of the same rows into the same schema and with the naive baseline writer (one INSERT per event),
# for both payload shapes (full, and trimmed as GitHub sends them since October 2025). Enrich runs twice: the write
# path alone, and with all enrichment on (profile resolver, geocoding, late filling) against the fakes of GitHub and
# Nominatim the tests use. Prints events/s, the ratios, Enrich's peak resident memory and the resolver's actors per
# GitHub request.
#
#   bench/enrich/run.sh                                   # 200,000 events per shape, on the path the server offers
#   EVENTS=500000 Storage__TimescaleDb=Never bench/enrich/run.sh
#   SHAPES=trimmed bench/enrich/run.sh                    # one shape only
#
# The events are made at run time from the recorded GH Archive sample (800 events) with fresh ids and times.
set -euo pipefail
cd "$(dirname "$0")/../.."

events=${EVENTS:-200000}
fixtures=${GITHUB_EVENTS_UPSTREAM_FIXTURES:-$(cd .. && pwd)/shared/fixtures/upstream}
sample="$fixtures/gharchive-sample-pinot/2021-07-21-few-hours.json"
locations=GithubEvents.Tests/Geocoding/location-strings.tsv
bin=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
work=$(mktemp -d)
chmod 777 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mock_pid=""
enrich_pid=""
cleanup() {
  [[ -n $enrich_pid ]] && kill "$enrich_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  [[ -n $mock_pid ]] && wait "$mock_pid" 2>/dev/null || true
  as_postgres "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [[ -n ${KEEP_WORK:-} ]] && echo "work: $work" || rm -rf "$work"
}
trap cleanup EXIT

build() { dotnet build "$1" --configuration Release -v quiet -nologo >/dev/null; }
build GithubEvents.Enrich
build bench/KafkaMock
build bench/EnrichBench
bench() { dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll "$@"; }

# A PostgreSQL cluster with default durability settings, TimescaleDB preloaded where the server has it.
as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
preload=""
[[ -f $bin/../lib/timescaledb.so ]] && preload="-c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -k $work $preload" start >/dev/null
connection() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1"; }
psql_db() { psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d "$1" "${@:2}"; }
count() { psql_db "$1" -At -c "SELECT count(*) FROM events"; }
fresh_database() { psql_db postgres -c "CREATE DATABASE $1"; bench setup "$(connection "$1")"; }
# Ends a timed run's work in the server before the next run starts, so that each run pays for its own work only: the
# autovacuum of the rows it wrote (an insert-driven vacuum and an analyze of 200,000 rows, some 25 s of a core) and,
# on TimescaleDB, the jobs of its database (its aggregates' first refresh comes a minute after the schema's set-up)
# would otherwise land in the next run. The vacuum is done now, the jobs are paused, and a checkpoint writes its pages.
settle() {
  [[ $path == TimescaleDb ]] && psql_db "$1" -At -c "SELECT count(*) FROM timescaledb_information.jobs j, alter_job(j.job_id, scheduled => false) WHERE j.job_id >= 1000" >/dev/null
  psql_db "$1" -c "VACUUM (ANALYZE)"
  psql_db "$1" -c CHECKPOINT
}

source bench/KafkaMock/start.sh
start_kafka_mock "$work"

now() { date +%s.%N; }
rate() { echo "$1 / $2" | bc -l; }

# Runs the Enrich service on a fresh database while the bench feeds its topic, at most 12,000 messages ahead of the
# group's committed offsets (the mock cluster keeps only about 6,000 messages a partition). Sets enrich_rate (from the
# group's first commit to its last, so start-up is not counted), peak_kb (Enrich's peak resident memory) and
# enrich_db (the database it wrote).
run_enrich() {
  local shape=$1 name=$2 topic="bench-$1-$2-$RANDOM" group="bench-$RANDOM" database="enrich_$1_$2"
  shift 2
  enrich_db=$database
  fresh_database "$database" >/dev/null
  (cd GithubEvents.Enrich/bin/Release/net10.0 && exec env "ConnectionStrings__kafka=$bootstrap" "ConnectionStrings__github-events=$(connection "$database")" \
    "Kafka__Topics__Raw=$topic" "Kafka__Consumer__Config__group.id=$group" ASPNETCORE_URLS=http://127.0.0.1:0 "$@" \
    dotnet GithubEvents.Enrich.dll) > "$work/enrich-$shape-$name.log" 2>&1 &
  enrich_pid=$!
  enrich_rate=$(bench feed "$bootstrap" "$topic" "$group" "$work/$shape/events.ndjson" 12000)
  local stored
  stored=$(count "$database")
  (( stored == events )) || { echo "Enrich ($name) stored $stored of $events events"; cat "$work/enrich-$shape-$name.log"; exit 1; }
  peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$enrich_pid/status")
  kill "$enrich_pid"; wait "$enrich_pid" 2>/dev/null || true; enrich_pid=""
  settle "$database"
}

for shape in ${SHAPES:-full trimmed}; do
  mkdir -p "$work/$shape"
  bench generate "$shape" "$events" "$sample" "$work/$shape"
  size=$(stat -c %s "$work/$shape/events.ndjson")

  path=$(fresh_database "copy_$shape")
  start=$(now)
  psql_db "copy_$shape" -c "\\copy events (time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, is_bot, payload, envelope) FROM '$work/$shape/rows.csv' WITH (FORMAT csv)"
  copy_seconds=$(echo "$(now) - $start" | bc -l)
  settle "copy_$shape"

  # Enrich, the write path alone (no profile lookups), and then with all enrichment on against the fakes of GitHub
  # and Nominatim: the profile resolver, geocoding and late filling run beside the write path.
  run_enrich "$shape" plain Profiles__Enabled=false
  plain_rate=$enrich_rate plain_peak_kb=$peak_kb

  coproc FAKES { exec dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll fakes "$work/$shape/actors.tsv" "$locations"; }
  read -r github_url <&"${FAKES[0]}"
  read -r nominatim_url <&"${FAKES[0]}"
  # A short idle wait and fill interval, so that the bench sees them at work within its minute.
  run_enrich "$shape" enriched Profiles__Enabled=true Profiles__IdleInterval=00:00:01 Profiles__FillInterval=00:00:30 \
    "GitHub__ApiUrl=$github_url" GitHub__Token=bench-token \
    "Geocoding__NominatimUrl=$nominatim_url" "Geocoding__UserAgent=GithubEvents-bench/1.0 (bench@example.org)"
  enriched_rate=$enrich_rate enriched_peak_kb=$peak_kb enriched_db=$enrich_db
  profiles=$(psql_db "$enriched_db" -At -c "SELECT count(*) FILTER (WHERE fetched_at IS NOT NULL AND NOT not_found) FROM actors")
  filled=$(psql_db "$enriched_db" -At -c "SELECT count(*) FILTER (WHERE public_repos IS NOT NULL), count(*) FILTER (WHERE country_code IS NOT NULL) FROM events")
  fakes_in=${FAKES[1]}; exec {fakes_in}>&-
  read -r graphql_requests logins_asked rest_requests nominatim_requests <&"${FAKES[0]}"
  wait "$FAKES_PID" 2>/dev/null || true

  fresh_database "naive_$shape" >/dev/null
  start=$(now)
  bench naive "$(connection "naive_$shape")" "$work/$shape/events.ndjson"
  naive_seconds=$(echo "$(now) - $start" | bc -l)
  settle "naive_$shape"

  copy_rate=$(rate "$events" "$copy_seconds")
  naive_rate=$(rate "$events" "$naive_seconds")
  printf '\n%s payloads: %d events, %.0f MB of JSON, %s path\n' "$shape" "$events" "$(echo "$size / 1048576" | bc -l)" "$path"
  printf '  psql \\copy        %8.0f events/s\n' "$copy_rate"
  printf '  Enrich from Kafka %8.0f events/s   %.2f of \\copy   peak RSS %.0f MB   (write path alone)\n' \
    "$plain_rate" "$(echo "$plain_rate / $copy_rate" | bc -l)" "$(echo "$plain_peak_kb / 1024" | bc -l)"
  printf '  ... with enrichment %6.0f events/s   %.2f of \\copy   peak RSS %.0f MB   %.2f of the write path alone\n' \
    "$enriched_rate" "$(echo "$enriched_rate / $copy_rate" | bc -l)" "$(echo "$enriched_peak_kb / 1024" | bc -l)" "$(echo "$enriched_rate / $plain_rate" | bc -l)"
  printf '      resolver: %d GraphQL requests for %d logins (%.1f a request), %d REST requests; %d profiles stored;\n' \
    "$graphql_requests" "$logins_asked" "$(echo "$logins_asked / ($graphql_requests + $rest_requests + 0.000001)" | bc -l)" "$rest_requests" "$profiles"
  printf '      rows filled: %s with a profile, %s with a country; %d Nominatim requests\n' "${filled%%|*}" "${filled##*|}" "$nominatim_requests"
  printf '  naive INSERTs     %8.0f events/s   %.2f of \\copy   (Enrich is %.1f times faster)\n' "$naive_rate" "$(echo "$naive_rate / $copy_rate" | bc -l)" "$(echo "$plain_rate / $naive_rate" | bc -l)"
done
