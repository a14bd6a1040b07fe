#!/usr/bin/env bash
# docker exec and docker stats latency: berthd beside the reference dockerd, measured in one run with the same docker
# CLI and the same busybox image, over 10 running containers.
#   bench/exec-latency.sh [runs=20] [containers=10]
# (binaries from $BERTH_BIN_DIR, default out/bin: run scripts/build.sh first)
# EXEC_ONLY=1 measures docker exec alone. BERTH_SHIM_EXEC=runc makes berthd's shims run execs with runc exec instead of
# starting them natively (see src/Berth.Shim/README.md), for comparing the two paths.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${1:-20}
N=${2:-10}
bench_require docker curl bc
bench_start_both
BERTH=$BERTH_HOST
REF=$REFERENCE_HOST
median() { bench_median; }
elapsed() { local s e; s=$(bench_now); "$@" >/dev/null; e=$(bench_now); echo "$e - $s" | bc; }
BERTH_CLI=$bench_bin/berth
[ -x "$BERTH_CLI" ] || BERTH_CLI=""

api_stats() { # the daemon's side alone: one stream=false request per container, all at once, as the CLI sends them
  local sock=${DOCKER_HOST#unix://}
  for id in "$@"; do curl -sf -o /dev/null --unix-socket "$sock" "http://d/v1.41/containers/$id/stats?stream=false" & done
  wait
}

measure() { # $1 = DOCKER_HOST; sets EXEC, STATS_FIRST, STATS, BSTATS, API
  export DOCKER_HOST=$1
  local ids=() times=() stats=()
  for i in $(seq 1 "$N"); do ids+=("$(docker run -d busybox sleep 1000)"); done
  bench_on_exit "DOCKER_HOST=$1 docker rm -f ${ids[*]}" # also when a check below fails
  docker exec "${ids[0]}" true # warm up
  for _ in $(seq 1 "$RUNS"); do times+=("$(elapsed docker exec "${ids[0]}" true)"); done
  EXEC=$(printf '%s\n' "${times[@]}" | median)
  if [ -n "${EXEC_ONLY:-}" ]; then
    STATS_FIRST=- STATS=- BSTATS=- API=-
    docker rm -f "${ids[@]}" >/dev/null
    return
  fi
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
  # The reference is shared: other containers may run there too, so check that ours are listed.
  local listed
  listed=$(docker stats --no-stream --format '{{.ID}}')
  for id in "${ids[@]}"; do
    grep -q "^${id:0:12}" <<<"$listed" || { echo "stats did not list container $id on $1" >&2; exit 1; }
  done
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
