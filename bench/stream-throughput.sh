#!/usr/bin/env bash
# A container writing MiB of lines (100 bytes each) to stdout, read by `docker run` (attach) and by `docker logs`
# afterwards: MB/s for berthd beside the reference dockerd, with the same docker CLI. The two daemons take turns, run
# after run, so both see the same machine load; the figures are the medians of the runs.
# Usage: bench/stream-throughput.sh [MiB=256] [runs=3]   (binaries from $BERTH_BIN_DIR, default out/bin: scripts/build.sh first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mib=${1:-256}
runs=${2:-3}
bytes=$((mib * 1024 * 1024))
bench_require docker curl bc
bench_start_both

# 99 characters and a newline per line, like a chatty program's log: one MiB of lines made first, then written
# again and again by cat, so the writer costs little beside the stream it makes.
line=012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678
writer="yes $line | head -c 1048576 > /tmp/lines; i=0; while [ \$i -lt $mib ]; do cat /tmp/lines; i=\$((i+1)); done"
# seconds of one measured command, checking that it delivered every byte
timed_count() {
  local s e got
  s=$(bench_now)
  got=$("$@" | wc -c)
  e=$(bench_now)
  [[ $got == "$bytes" ]] || { echo "$who: $* delivered $got of $bytes bytes" >&2; exit 1; }
  echo "$e - $s" | bc
}
for ((run = 0; run < runs; run++)); do
  for who in berth reference; do
    host=BERTH_HOST; [[ $who == reference ]] && host=REFERENCE_HOST
    export DOCKER_HOST=${!host}
    name=bench-stream-$bench_suffix
    bench_on_exit "DOCKER_HOST=$DOCKER_HOST docker rm -f $name"
    # attach: the CLI reads the stream as the container writes it; the count proves every byte arrived.
    timed_count docker run --name "$name" busybox sh -c "$writer" >>"$bench_work/$who.attach"
    timed_count docker logs "$name" >>"$bench_work/$who.logs"
    docker rm -f "$name" >/dev/null
  done
done
declare -A result
for who in berth reference; do
  for what in attach logs; do
    t=$(bench_median <"$bench_work/$who.$what")
    result[$who,$what]="$(bench_mbps "$bytes" "$t") MB/s ($t s)"
  done
done

printf '\n%-28s | %-26s | %-26s | %s\n' "$mib MiB, median of $runs" "berthd" "reference dockerd" "target"
printf -- '-----------------------------+----------------------------+----------------------------+--------\n'
printf '%-28s | %-26s | %-26s | %s\n' "docker run (attach)" "${result[berth,attach]}" "${result[reference,attach]}" "300 MB/s"
printf '%-28s | %-26s | %-26s | %s\n' "docker logs" "${result[berth,logs]}" "${result[reference,logs]}" ""
