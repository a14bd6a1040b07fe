#!/usr/bin/env bash
# Networking costs, berthd beside the reference dockerd in one run with the same docker CLI:
#   - start latency of `run --rm busybox true` with --network none, on the default bridge and on a user network
#     (median of N), and what each network adds over none (target: at most 0.05 s; the reference adds about 0.2 s);
#   - throughput through a published port: busybox httpd in a container serving MiB, fetched by curl on 127.0.0.1
#     (target: at least the reference's docker-proxy).
# Usage: bench/network.sh [runs=10] [MiB=256]   (binaries from $BERTH_BIN_DIR, default out/bin: scripts/build.sh first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${1:-10}
mib=${2:-256}
bench_require docker curl bc python3
bench_start_both

net=bench-net-$bench_suffix
server=bench-httpd-$bench_suffix
declare -A result
for who in berth reference; do
  host=BERTH_HOST; [[ $who == reference ]] && host=REFERENCE_HOST
  export DOCKER_HOST=${!host}
  bench_on_exit "DOCKER_HOST=$DOCKER_HOST docker rm -f $server; DOCKER_HOST=$DOCKER_HOST docker network rm $net"
  docker network create "$net" >/dev/null
  docker run --rm --network none busybox true >/dev/null # warm up
  for mode in none bridge "$net"; do
    key=$mode; [[ $mode == "$net" ]] && key=user
    result[$who,$key]=$(bench_median_of "$runs" docker run --rm --network "$mode" busybox true)
  done
  for key in bridge user; do
    result[$who,$key+]=$(echo "${result[$who,$key]} - ${result[$who,none]}" | bc | sed 's/^\./0./; s/^-\./-0./')
  done

  port=$(bench_free_port)
  docker run -d --name "$server" -p "127.0.0.1:$port:80" busybox \
    sh -c "mkdir /www && head -c $((mib * 1024 * 1024)) /dev/zero > /www/blob && exec httpd -f -p 80 -h /www" >/dev/null
  for _ in $(seq 200); do curl -fsI "http://127.0.0.1:$port/blob" >/dev/null 2>&1 && break; sleep 0.1; done
  speeds=()
  for _ in 1 2 3; do
    speeds+=("$(curl -fs -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$port/blob")")
  done
  best=$(printf '%s\n' "${speeds[@]}" | sort -n | tail -1)
  result[$who,proxy]=$(echo "scale=1; $best / 1000000" | bc)
  docker rm -f "$server" >/dev/null
  docker network rm "$net" >/dev/null
done

printf '\n%-50s | %-10s | %-10s | %s\n' "" "berthd" "reference" "target"
printf -- '---------------------------------------------------+------------+------------+----------------------\n'
row() { printf '%-50s | %-10s | %-10s | %s\n' "$1" "${result[berth,$2]}" "${result[reference,$2]}" "$3"; }
row "run --rm true, --network none, median (s)" none ""
row "run --rm true, default bridge, median (s)" bridge ""
row "run --rm true, user network, median (s)" user ""
row "  added by the default bridge (s)" bridge+ "<= 0.05"
row "  added by a user network (s)" user+ "<= 0.05"
row "published port, $mib MiB by curl, best of 3 (MB/s)" proxy ">= reference"
