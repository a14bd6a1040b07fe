#!/usr/bin/env bash
# docker exec and docker stats latency: berthd beside the reference dockerd, measured in one run with the same docker
# CLI and the same busybox image, over 10 running containers.
#   bench/exec-latency.sh [runs=20] [containers=10]
# berthd: $BERTH_HOST if set, else /run/berth/berth.sock when it answers (./install.sh), else a berthd started here from
# $BERTH_BIN_DIR (out/bin of scripts/build.sh) on a temporary root, with busybox copied from the reference daemon.
set -euo pipefail
RUNS=${1:-20}
N=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
REF=unix:///tmp/reference-dockerd/docker.sock
"$HERE/../../shared/tools/reference-dockerd" start >/dev/null 2>&1 || /work/shared/tools/reference-dockerd start >/dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
elapsed() { local s e; s=$(now); "$@" >/dev/null; e=$(now); echo "$e - $s" | bc; }

OWN_ROOT=""
cleanup() {
  if [ -n "$OWN_ROOT" ]; then
    DOCKER_HOST=$BERTH docker rm -f $(DOCKER_HOST=$BERTH docker ps -aq) >/dev/null 2>&1 || true
    [ -f "$OWN_ROOT/berthd.pid" ] && kill "$(cat "$OWN_ROOT/berthd.pid")" 2>/dev/null || true
    sleep 1; rm -rf "$OWN_ROOT" "$OWN_EXEC" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ -n "${BERTH_HOST:-}" ]; then
  BERTH=$BERTH_HOST
elif curl -sf --unix-socket /run/berth/berth.sock http://d/_ping >/dev/null 2>&1; then
  BERTH=unix:///run/berth/berth.sock
else
  BIN=${BERTH_BIN_DIR:?no berthd at /run/berth/berth.sock: set BERTH_HOST or BERTH_BIN_DIR}
  OWN_ROOT=$(mktemp -d /tmp/berth-bench-XXXXXX); OWN_EXEC=/run/bb-${OWN_ROOT##*-}
  BERTH=unix://$OWN_ROOT/berth.sock
  BERTH_SHIM_PATH=${BERTH_SHIM_PATH:-$BIN/berth-shim} "$BIN/berthd" -H "$BERTH" --data-root "$OWN_ROOT/data" --exec-root "$OWN_EXEC" \
    --pidfile "$OWN_ROOT/berthd.pid" >"$OWN_ROOT/berthd.log" 2>&1 </dev/null &
  for _ in $(seq 1 100); do curl -sf --unix-socket "$OWN_ROOT/berth.sock" http://d/_ping >/dev/null 2>&1 && break; sleep 0.1; done
  DOCKER_HOST=$REF docker save busybox | DOCKER_HOST=$BERTH docker load >/dev/null
fi

BERTH_CLI=$(command -v "${BERTH_BIN_DIR:-/nonexistent}/berth" || command -v berth || true)

api_stats() { # the daemon's side alone: one stream=false request per container, all at once, as the CLI sends them
  local sock=${DOCKER_HOST#unix://}
  for id in "$@"; do curl -sf -o /dev/null --unix-socket "$sock" "http://d/v1.41/containers/$id/stats?stream=false" & done
  wait
}

measure() { # $1 = DOCKER_HOST; sets EXEC, STATS_FIRST, STATS, BSTATS, API
  export DOCKER_HOST=$1
  local ids=() times=() stats=()
  for i in $(seq 1 "$N"); do ids+=("$(docker run -d busybox sleep 1000)"); done
  docker exec "${ids[0]}" true # warm up
  for _ in $(seq 1 "$RUNS"); do times+=("$(elapsed docker exec "${ids[0]}" true)"); done
  EXEC=$(printf '%s\n' "${times[@]}" | median)
  STATS_FIRST=$(printf '%.3f' "$(elapsed docker stats --no-stream)")
  for _ in $(seq 1 "$RUNS"); do stats+=("$(elapsed docker stats --no-stream)"); done
  STATS=$(printf '%s\n' "${stats[@]}" | median)
  local berth_stats=() api=()
  if [ -n "$BERTH_CLI" ]; then
    for _ in $(seq 1 "$RUNS"); do berth_stats+=("$(elapsed "$BERTH_CLI" stats --no-stream)"); done
    BSTATS=$(printf '%s\n' "${berth_stats[@]}" | median)
  else
    BSTATS=n/a
  fi
  for _ in $(seq 1 "$RUNS"); do api+=("$(elapsed api_stats "${ids[@]}")"); done
  API=$(printf '%s\n' "${api[@]}" | median)
  [ "$(docker stats --no-stream --format '{{.ID}}' | wc -l)" -eq "$N" ] || { echo "stats did not list $N containers on $1" >&2; exit 1; }
  docker rm -f "${ids[@]}" >/dev/null
}

measure "$BERTH"; B=("$EXEC" "$STATS_FIRST" "$STATS" "$BSTATS" "$API")
measure "$REF"; R=("$EXEC" "$STATS_FIRST" "$STATS" "$BSTATS" "$API")

# docker CLI 28 prints its --no-stream table on a 500 ms ticker, after the answers are in: ~0.5 s is its floor.
printf '%-58s %10s %10s %10s\n' "measure (median of $RUNS unless said, seconds)" "berthd" "reference" "target"
printf '%-58s %10s %10s %10s\n' "docker exec C true" "${B[0]}" "${R[0]}" "$(echo "scale=3; ${R[0]}/3" | bc)"
printf '%-58s %10s %10s %10s\n' "docker stats --no-stream, $N containers, first run" "${B[1]}" "${R[1]}" "0.2"
printf '%-58s %10s %10s %10s\n' "docker stats --no-stream, $N containers" "${B[2]}" "${R[2]}" "0.2"
printf '%-58s %10s %10s %10s\n' "berth stats --no-stream, $N containers" "${B[3]}" "${R[3]}" "0.2"
printf '%-58s %10s %10s %10s\n' "API: $N x GET stats?stream=false in parallel (curl)" "${B[4]}" "${R[4]}" "0.2"
