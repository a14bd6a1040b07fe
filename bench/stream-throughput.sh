#!/usr/bin/env bash
# A container writing MiB of lines (100 bytes each) to stdout, read by `docker run` (attach) and by `docker logs`
# afterwards: MB/s for berthd beside the reference dockerd, in one run, with the same docker CLI.
# Usage: bench/stream-throughput.sh [MiB=256]   (binaries from $BERTH_BIN_DIR, default out/bin: scripts/build.sh first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mib=${1:-256}
bytes=$((mib * 1024 * 1024))
bench_require docker curl bc
bench_start_both

# 99 characters and a newline per line, like a chatty program's log: one MiB of lines made first, then written
# again and again by cat, so the writer costs little beside the stream it makes.
line=012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678
writer="yes $line | head -c 1048576 > /tmp/lines; i=0; while [ \$i -lt $mib ]; do cat /tmp/lines; i=\$((i+1)); done"
declare -A result
for who in berth reference; do
  host=BERTH_HOST; [[ $who == reference ]] && host=REFERENCE_HOST
  export DOCKER_HOST=${!host}
  name=bench-stream-$bench_suffix
  bench_on_exit "DOCKER_HOST=$DOCKER_HOST docker rm -f $name"
  # attach: the CLI reads the stream as the container writes it; the count proves every byte arrived.
  s=$(bench_now)
  got=$(docker run --name "$name" busybox sh -c "$writer" | wc -c)
  e=$(bench_now)
  [[ $got == "$bytes" ]] || { echo "$who: attach delivered $got of $bytes bytes" >&2; exit 1; }
  t=$(echo "$e - $s" | bc)
  result[$who,attach]="$(bench_mbps "$bytes" "$t") MB/s ($t s)"
  s=$(bench_now)
  got=$(docker logs "$name" | wc -c)
  e=$(bench_now)
  [[ $got == "$bytes" ]] || { echo "$who: logs delivered $got of $bytes bytes" >&2; exit 1; }
  t=$(echo "$e - $s" | bc)
  result[$who,logs]="$(bench_mbps "$bytes" "$t") MB/s ($t s)"
  docker rm -f "$name" >/dev/null
done

printf '\n%-28s | %-26s | %-26s | %s\n' "$mib MiB to stdout" "berthd" "reference dockerd" "target"
printf -- '-----------------------------+----------------------------+----------------------------+--------\n'
printf '%-28s | %-26s | %-26s | %s\n' "docker run (attach)" "${result[berth,attach]}" "${result[reference,attach]}" "300 MB/s"
printf '%-28s | %-26s | %-26s | %s\n' "docker logs" "${result[berth,logs]}" "${result[reference,logs]}" ""
