# Sourced by the benchmarks: starts bench/KafkaMock (built) and sets mock_pid and bootstrap. `echo down >&3` takes
# every broker down, `echo up >&3` brings them back (the holder answers each on its standard output, after the first
# line, the bootstrap servers). The mock cluster lives
# as long as the holder's standard input (fd 3) stays open: `exec 3>&-` ends it.
start_kafka_mock() {
  local work=$1
  mkfifo "$work/hold"
  dotnet bench/KafkaMock/bin/Release/net10.0/KafkaMock.dll < "$work/hold" > "$work/bootstrap" &
  mock_pid=$!
  exec 3> "$work/hold"
  for _ in $(seq 100); do [[ -s $work/bootstrap ]] && break; sleep 0.1; done
  bootstrap=$(head -n 1 "$work/bootstrap")
}
