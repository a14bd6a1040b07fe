#!/usr/bin/env bash
# Compose latency: `up -d` and `down` of one project (three services, one scaled to three, a named volume, a depends_on
# on a health check), with berth compose and Debian's docker-compose 1.29 each against berthd and the reference
# dockerd, in one run, with the same busybox image. berth compose speaks only the Engine API, so it drives the
# reference dockerd as well: the four figures separate the client's share from the daemon's.
#   bench/compose.sh [runs=5]
# (binaries from $BERTH_BIN_DIR, default out/bin: run scripts/build.sh first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${1:-5}
bench_require docker docker-compose curl bc
bench_require_binaries berth
bench_start_both
median() { bench_median; }

project=$bench_work/project
mkdir -p "$project"
cat >"$project/docker-compose.yml" <<'COMPOSE'
version: "3.4"
services:
  web:
    image: busybox
    command: sh -c "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 80 -h /www"
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]
      interval: 1s
      retries: 30
  worker:
    image: busybox
    command: sleep 1000
    stop_grace_period: 1s
    volumes: ["data:/data"]
    depends_on: [web]
  client:
    image: busybox
    command: sleep 1000
    stop_grace_period: 1s
    depends_on: [web]
volumes:
  data:
COMPOSE

elapsed() { local s e; s=$(bench_now); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(bench_now); echo "$e - $s" | bc; }

measure() { # $1 = DOCKER_HOST, $2 = compose command (words); sets UP DOWN
  export DOCKER_HOST=$1
  local -a compose=($2)
  local name="bench$bench_suffix" ups=() downs=()
  bench_on_exit "cd $project && DOCKER_HOST=$1 ${compose[*]} -p $name down -v >/dev/null 2>&1 || true"
  cd "$project"
  for _ in $(seq 1 "$RUNS"); do
    ups+=("$(elapsed "${compose[@]}" -p "$name" up -d --scale worker=3)")
    downs+=("$(elapsed "${compose[@]}" -p "$name" down -v -t 1)")
  done
  UP=$(printf '%s\n' "${ups[@]}" | median)
  DOWN=$(printf '%s\n' "${downs[@]}" | median)
}

measure "$BERTH_HOST" "$bench_bin/berth compose"; BB=("$UP" "$DOWN")
measure "$REFERENCE_HOST" "$bench_bin/berth compose"; BR=("$UP" "$DOWN")
measure "$BERTH_HOST" "docker-compose"; DB=("$UP" "$DOWN")
measure "$REFERENCE_HOST" "docker-compose"; DR=("$UP" "$DOWN")

printf '%-46s %10s %10s\n' "measure (median of $RUNS, seconds)" "berthd" "reference"
printf '%-46s %10s %10s\n' "berth compose up -d (5 containers)" "${BB[0]}" "${BR[0]}"
printf '%-46s %10s %10s\n' "berth compose down -v" "${BB[1]}" "${BR[1]}"
printf '%-46s %10s %10s\n' "docker-compose 1.29 up -d (5 containers)" "${DB[0]}" "${DR[0]}"
printf '%-46s %10s %10s\n' "docker-compose 1.29 down -v" "${DB[1]}" "${DR[1]}"
