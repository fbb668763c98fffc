#!/usr/bin/env bash
# The archive at volume (issue 26): the dashboard bench's synthetic day (bench/dashboard/load.sql, EVENTS events over
# the 24 whole hours before the current one) in a PostgreSQL of its own, the schema from Enrich's migrations, the
# aggregates refreshed as Enrich's maintenance does. Then, side by side:
#   1. export: Enrich's exporter writing the 24 hours as the archiver does (json.gz, Parquet and manifest, put at their
#      keys, recorded) beside `psql -c "COPY (v_raw_events' rows of the hour, in the archive's order) TO STDOUT" | gzip`
#      of the same hours, in events per second, and their ratio;
#   2. bytes per event of our json.gz and Parquet, and of GH Archive's hour in the fixtures gzipped at gzip's default;
#      and real events (the fixtures: GH Archive's hours, a recorded /events page) through our json.gz and Parquet writers;
#   3. DuckDB (bench/ArchiveBench, DuckDB.NET) over the 24 Parquet and the 24 json.gz files: cold and the median of WARM
#      warm runs (default 5; JSON_WARM, default 1, over the json.gz files, which take a minute a read at 10,000,000) of
#      the docs' queries (docs/archive.md), REPO's history (default the busiest, org1/repo1), and the Parquet files'
#      bytes per column, and the same rows as DuckDB writes them (zstd, its row groups), with and without the payload;
#   4. where the exporter's time goes, over the first PROFILE_HOURS hours (default 3): the rows read alone, read and
#      written as json.gz alone, as Parquet alone (bench/ArchiveBench profile).
# Prints a table and writes JSON (OUT, default a folder under /tmp).
#
#   bench/archive/run.sh                                    # 10,000,000 events, on TimescaleDB where the server has it
#   EVENTS=300000 Storage__TimescaleDb=Never bench/archive/run.sh
#
# Run it under the machine's build lock (flock /tmp/ge-build.lock ...): it keeps both cores busy.
set -euo pipefail
cd "$(dirname "$0")/../.."

events=${EVENTS:-10000000}
warm=${WARM:-5}
json_warm=${JSON_WARM:-1}
profile_hours=${PROFILE_HOURS:-3}
repo=${REPO:-org1/repo1}
out=${OUT:-$(mktemp -d /tmp/archive-bench.XXXXXX)}
mkdir -p "$out"
gharchive=../shared/fixtures/upstream/gharchive-sample-pinot/2021-07-21-few-hours.json
recording=../shared/fixtures/upstream/github-api-recordings-pygithub/Github.testGetEvents.txt

# The server and the schema as bench/dashboard/run.sh starts them (its lines, which that script does not offer as functions).
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
for project in EnrichBench ArchiveBench; do dotnet build bench/$project --configuration Release -v quiet -nologo >/dev/null; done
as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
options="-p $port -c listen_addresses=127.0.0.1 -k $work -c shared_buffers=2GB -c effective_cache_size=8GB -c max_wal_size=8GB"
[[ -f $bin/../lib/timescaledb.so ]] && options+=" -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "$options" start >/dev/null
db=github_events
connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"; }
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $db"
path=$(dotnet bench/EnrichBench/bin/Release/net10.0/EnrichBench.dll setup "$connection")

# The day: 24 whole hours ending at the current hour's start, in slices of 500,000, two at a time (one a core).
t0_end=$(date -u +%Y-%m-%dT%H:00:00Z)
first_hour=$(date -u -d "$t0_end - 24 hours" +%Y-%m-%dT%H:00:00Z)
start=$(date +%s)
for (( lo = 1; lo <= events; lo += 1000000 )); do
  for half in 0 500000; do
    (( lo + half <= events )) || continue
    hi=$(( lo + half + 499999 < events ? lo + half + 499999 : events ))
    psql_db -v lo=$((lo + half)) -v hi=$hi -v n="$events" -v t0_end="$t0_end" -f bench/dashboard/load.sql &
  done
  wait
done
echo "loaded $events events in $(( $(date +%s) - start )) s ($path)"
psql_db -c "VACUUM ANALYZE events"
# What Enrich's maintenance has done by the time an hour settles, for the manifests' capture figures.
if [[ $path != TimescaleDb ]]; then
  while (( $(psql_db -At -c "SELECT coalesce(rollup.refresh(INTERVAL '1 minute', 12), 0)") >= 12 )); do :; done
fi

# 1. Export, ours then the baseline, each over the same 24 hours, the events' pages warm for both (the VACUUM read them).
archive=$work/archive
dotnet bench/ArchiveBench/bin/Release/net10.0/ArchiveBench.dll export "$connection" "$archive" "$first_hour" 24 > "$work/export"
read -r exported ours_seconds ours_cpu json_bytes parquet_bytes manifest_bytes < "$work/export"
mkdir -p "$work/baseline"
baseline() {
  for h in $(seq 0 23); do
    hour=$(date -u -d "$first_hour + $h hours" +%Y-%m-%dT%H:00:00Z)
    psql_db -c "COPY (SELECT event FROM v_raw_events WHERE time >= '$hour' AND time < TIMESTAMPTZ '$hour' + INTERVAL '1 hour' ORDER BY time, event_id) TO STDOUT" \
      | gzip > "$work/baseline/$h.json.gz"
  done
}
TIMEFORMAT='%R %U %S'
{ time baseline; } 2> "$work/baseline.time"
read -r baseline_seconds baseline_user baseline_system < "$work/baseline.time"
baseline_cpu=$(echo "$baseline_user + $baseline_system" | bc -l)
baseline_bytes=$(cat "$work"/baseline/*.json.gz | wc -c)
baseline_lines=$(zcat "$work"/baseline/*.json.gz | wc -l)
(( baseline_lines == exported )) || { echo "the baseline wrote $baseline_lines events, the exporter $exported" >&2; exit 1; }

# 2. GH Archive's recorded hours, gzipped as GH Archive serves them.
gharchive_events=$(wc -l < "$gharchive")
gharchive_bytes=$(gzip -c "$gharchive" | wc -c)
# And real events through our two writers: GH Archive's hours and a recorded /events page.
read -r real_events real_json real_parquet < <(dotnet bench/ArchiveBench/bin/Release/net10.0/ArchiveBench.dll real "$work/real" "$gharchive" "$recording")

# 3. DuckDB over the files.
echo
dotnet bench/ArchiveBench/bin/Release/net10.0/ArchiveBench.dll query "$archive" "$repo" "$warm" "$json_warm" "$out/duckdb.json"

# 4. Where the exporter's time goes (the profile's files are not kept).
echo
dotnet bench/ArchiveBench/bin/Release/net10.0/ArchiveBench.dll profile "$connection" "$work/profile" "$first_hour" "$profile_hours" | tee "$out/profile.tsv"

python3 - "$out" "$path" "$profile_hours" "$exported" "$ours_seconds" "$ours_cpu" "$baseline_seconds" "$baseline_cpu" "$json_bytes" "$parquet_bytes" "$manifest_bytes" "$baseline_bytes" \
  "$gharchive_events" "$gharchive_bytes" "$real_events" "$real_json" "$real_parquet" <<'PY'
import json, sys
out, path, profile_hours = sys.argv[1:4]
events, ours, ours_cpu, baseline, baseline_cpu, json_bytes, parquet, manifests, baseline_bytes, gh_events, gh_bytes, real_events, real_json, real_parquet = map(float, sys.argv[4:])
duckdb = json.load(open(f"{out}/duckdb.json"))
busiest = next(q for q in duckdb["Queries"] if q["Files"] == "Parquet" and q["Name"].startswith("busiest"))
profile = {name: {"seconds": float(wall), "cpuSeconds": float(cpu)} for name, wall, cpu in (line.split("\t") for line in open(f"{out}/profile.tsv") if line.strip())}
summary = {
    "path": path, "events": int(events),
    "export": {"oursSeconds": ours, "oursCpuSeconds": ours_cpu, "oursEventsPerSecond": events / ours, "baselineSeconds": baseline,
               "baselineCpuSecondsPsqlAndGzip": baseline_cpu, "baselineEventsPerSecond": events / baseline, "ratio": baseline / ours},
    "exportProfile": {"hours": int(profile_hours), "parts": profile},
    "bytesPerEvent": {"json": json_bytes / events, "parquet": parquet / events, "manifests": manifests / events,
                      "baselineJson": baseline_bytes / events, "ghArchiveJson": gh_bytes / gh_events, "ghArchiveEvents": int(gh_events)},
    "parquetShareOfJson": parquet / json_bytes,
    "realEvents": {"events": int(real_events), "jsonBytesPerEvent": real_json / real_events, "parquetBytesPerEvent": real_parquet / real_events,
                   "parquetShareOfJson": real_parquet / real_json},
    "rewrittenByDuckDbBytesPerEvent": {"all": duckdb["RewrittenByDuckDb"]["All"] / events, "withoutPayload": duckdb["RewrittenByDuckDb"]["WithoutPayload"] / events},
    "duckdb": duckdb,
    "goals": {"exportAtLeastBaseline": baseline / ours >= 1.0, "parquetAtMost40Percent": parquet / json_bytes <= 0.40,
              "busiestRepositoriesUnder1s": busiest["ColdMs"] < 1000 and busiest["WarmMs"] < 1000},
}
json.dump(summary, open(f"{out}/{path}-summary.json", "w"), indent=2)
e, b = summary["export"], summary["bytesPerEvent"]
print(f"\n{path} path, {int(events):,} events over 24 hours")
print(f"  export      ours (json.gz + Parquet + manifest) {e['oursEventsPerSecond']:>10,.0f} events/s ({ours:.1f} s, the exporter's CPU {ours_cpu:.1f} s)")
print(f"              COPY v_raw_events | gzip             {e['baselineEventsPerSecond']:>10,.0f} events/s ({baseline:.1f} s, psql's and gzip's CPU {baseline_cpu:.1f} s)")
print(f"              ours / baseline                      {e['ratio']:>10.2f}")
print(f"  bytes/event our json.gz {b['json']:.1f}, our Parquet {b['parquet']:.1f} ({100 * summary['parquetShareOfJson']:.1f}% of the json.gz), "
      f"manifests {b['manifests']:.2f}; the baseline's json.gz {b['baselineJson']:.1f}; GH Archive's {b['ghArchiveJson']:.1f} ({int(gh_events)} events)")
print(f"              real events ({int(real_events)}, GH Archive's of 2021 and a recorded /events page, full payloads) through our writers: "
      f"json.gz {real_json / real_events:.1f}, Parquet {real_parquet / real_events:.1f} ({100 * real_parquet / real_json:.1f}% of the json.gz)")
r = duckdb["RewrittenByDuckDb"]
print(f"              the same rows as DuckDB writes them (zstd): {r['All'] / events:.1f} bytes an event ({100 * r['All'] / json_bytes:.1f}% of our json.gz), "
      f"without the payload {r['WithoutPayload'] / events:.1f}")
print("  goals       " + ", ".join(f"{k}: {'holds' if v else 'FAILS'}" for k, v in summary["goals"].items()))
PY
echo "  JSON: $out"
