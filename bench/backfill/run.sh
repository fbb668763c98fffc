#!/usr/bin/env bash
# Backfill throughput: Ingest's `backfill --path` of one local gzip file into a librdkafka mock cluster, side by
# side with `zcat FILE | wc -l` on the same file. Prints both rates, their ratio and Ingest's peak resident memory.
#
#   bench/backfill/run.sh            # 200,000 events
#   EVENTS=500000 bench/backfill/run.sh
#
# The input is made at run time from the recorded GH Archive sample (800 events), replicated with fresh ids.
set -euo pipefail
cd "$(dirname "$0")/../.."

events=${EVENTS:-200000}
fixtures=${GITHUB_EVENTS_UPSTREAM_FIXTURES:-$(cd .. && pwd)/shared/fixtures/upstream}
sample="$fixtures/gharchive-sample-pinot/2021-07-21-few-hours.json"
work=$(mktemp -d)
mock_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [[ -n $mock_pid ]] && wait "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

build() { dotnet build "$1" --configuration Release -v quiet -nologo >/dev/null; }
build GithubEvents.Ingest
build bench/KafkaMock

input="$work/2025-01-01-0.json.gz"
# Each line starts {"id":"NNN", ...: the id is swapped for a fresh one (index, not a regex: mawk is slow on long lines).
awk -v n="$events" '
  { sample[NR - 1] = substr($0, 8 + index(substr($0, 8), "\"")); count = NR }
  END {
    for (i = 0; i < n; i++) {
      printf "{\"id\":\"9%010d\"%s\n", i, sample[i % count]
    }
  }' "$sample" | gzip -6 > "$input"

source bench/KafkaMock/start.sh
start_kafka_mock "$work"

now() { date +%s.%N; }

start=$(now)
lines=$(zcat "$input" | wc -l)
zcat_seconds=$(echo "$(now) - $start" | bc -l)

start=$(now)
/usr/bin/time -v -o "$work/time" \
  dotnet GithubEvents.Ingest/bin/Release/net10.0/GithubEvents.Ingest.dll backfill --path "$input" \
    "--ConnectionStrings:kafka=$bootstrap" \
    "--GhArchive:ProgressFile=$work/progress" \
    "--Kafka:Topics:CreateTimeout=00:00:01" > "$work/backfill.log"
process_seconds=$(echo "$(now) - $start" | bc -l)

finished=$(grep "Backfill finished" "$work/backfill.log")
published=$(sed -E 's/.* ([0-9]+) events and.*/\1/' <<< "$finished")
backfill_rate=$(sed -E 's/.*\(([0-9]+) events\/s\).*/\1/' <<< "$finished")
peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")

zcat_rate=$(echo "$lines / $zcat_seconds" | bc -l)
process_rate=$(echo "$published / $process_seconds" | bc -l)
printf 'input                 %d events, %.1f MB gzip\n' "$lines" "$(echo "$(stat -c %s "$input") / 1048576" | bc -l)"
printf 'zcat | wc -l          %10.0f lines/s\n' "$zcat_rate"
printf 'backfill              %10.0f events/s (%d events; as Ingest reports it, from the first hour to the last acknowledgement)\n' "$backfill_rate" "$published"
printf 'backfill, whole run   %10.0f events/s (process start to exit, including start-up and topic creation)\n' "$process_rate"
printf 'ratio                 %10.2f (backfill / zcat), %.2f for the whole run\n' "$(echo "$backfill_rate / $zcat_rate" | bc -l)" "$(echo "$process_rate / $zcat_rate" | bc -l)"
printf 'peak RSS of Ingest    %10.0f MB\n' "$(echo "$peak_kb / 1024" | bc -l)"
