#!/usr/bin/env bash
# Container start/list/remove latency and memory: berthd beside the reference dockerd, measured in one run with the
# same docker CLI and the same busybox image (binaries from $BERTH_BIN_DIR, default out/bin: scripts/build.sh first).
#   bench/run-latency.sh [runs=20] [containers=30]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${1:-20}
N=${2:-30}
bench_require docker curl bc
bench_start_both
BERTH=$BERTH_HOST
REF=$REFERENCE_HOST

now() { bench_now; }
median() { bench_median; }
# 0 for a process gone meanwhile or a zombie (no VmRSS line), e.g. the shim of a container that just ended
rss_kb() { awk '/^VmRSS/ {v=$2} END {print v+0}' /proc/$1/status 2>/dev/null || echo 0; }
rss_split_mb() { awk '/^RssAnon/ {a=$2} /^RssFile/ {f=$2} END {printf "%.1f anon + %.1f file", a/1024, f/1024}' /proc/$1/status 2>/dev/null; }
pss_kb() { awk '/^Pss:/ {v=$2} END {print v+0}' /proc/$1/smaps_rollup 2>/dev/null || echo 0; }

measure() { # $1 = DOCKER_HOST, prints: run_median run_d_total ps rm_f
  export DOCKER_HOST=$1
  docker run --rm busybox true >/dev/null # warm up
  local times=()
  for _ in $(seq 1 "$RUNS"); do s=$(now); docker run --rm busybox true >/dev/null; e=$(now); times+=("$(echo "$e - $s" | bc)"); done
  RUN_MEDIAN=$(printf '%s\n' "${times[@]}" | median)
  s=$(now); ids=(); for _ in $(seq 1 "$N"); do ids+=("$(docker run -d busybox sleep 1000)"); done; e=$(now)
  RUN_D=$(printf "%.3f" "$(echo "$e - $s" | bc)")
  local ps_times=(); for _ in 1 2 3 4 5; do s=$(now); docker ps >/dev/null; e=$(now); ps_times+=("$(echo "$e - $s" | bc)"); done
  PS=$(printf '%s\n' "${ps_times[@]}" | median)
  # The daemons' memory is read once they have settled: berthd returns what a burst of requests left committed after
  # a quiet second (Hosting/IdleMemoryTrim.cs), as Go's scavenger does for dockerd in the background.
  sleep 2
}

per_container_memory() { # $1 = process name pattern of the per-container process; prints avg RSS MB and PSS MB
  local pids; pids=$(pgrep -f "$1" || true)
  local count=0 rss=0 pss=0
  for p in $pids; do count=$((count+1)); rss=$((rss + $(rss_kb $p))); pss=$((pss + $(pss_kb $p))); done
  if [ $count -eq 0 ]; then echo "n/a n/a"; else echo "$(echo "scale=2; $rss/$count/1024" | bc) $(echo "scale=2; $pss/$count/1024" | bc)"; fi
}

remove_all() { s=$(now); docker rm -f "${ids[@]}" >/dev/null; e=$(now); RM=$(printf "%.3f" "$(echo "$e - $s" | bc)"); }

measure $BERTH
# The list berthd gave, for the stand-in below to replay (so the CLI formats the same rows).
curl -fs --unix-socket "${BERTH#unix://}" "http://d/containers/json" >"$bench_work/list.json"
B_DAEMON_RSS=$(echo "scale=1; $(rss_kb $BERTHD_PID)/1024" | bc)
B_DAEMON_SPLIT=$(rss_split_mb $BERTHD_PID)
read -r B_SHIM_RSS B_SHIM_PSS < <(per_container_memory "^$bench_bin/berth-shim")
remove_all; B=("$RUN_MEDIAN" "$RUN_D" "$PS" "$RM")

measure $REF
REF_PID=$(cat /tmp/reference-dockerd/pid)
R_DAEMON_RSS=$(echo "scale=1; $(rss_kb $REF_PID)/1024" | bc)
CONTAINERD_PID=$(pgrep -x containerd | head -1 || true)
R_CONTAINERD_RSS=$([ -n "$CONTAINERD_PID" ] && echo "scale=1; $(rss_kb $CONTAINERD_PID)/1024" | bc || echo n/a)
read -r R_SHIM_RSS R_SHIM_PSS < <(per_container_memory 'containerd-shim')
remove_all; R=("$RUN_MEDIAN" "$RUN_D" "$PS" "$RM")

# The same commands against a stand-in that answers at once and runs nothing (bench/instant-daemon.py): the docker
# CLI's own share of each figure on this machine.
C=(n/a n/a n/a n/a)
if command -v python3 >/dev/null; then
  python3 "$bench_here/bench/instant-daemon.py" "$bench_work/instant.sock" "$bench_work/list.json" &
  bench_pids+=($!)
  for _ in $(seq 50); do [[ -S $bench_work/instant.sock ]] && break; sleep 0.1; done
  measure "unix://$bench_work/instant.sock"
  remove_all; C=("$RUN_MEDIAN" "$RUN_D" "$PS" "$RM")
fi

printf '%-44s %12s %12s %10s %10s\n' "measure" "berthd" "reference" "target" "CLI alone"
printf '%-44s %12s %12s %10s %10s\n' "run --rm busybox true, median of $RUNS (s)" "${B[0]}" "${R[0]}" "0.15" "${C[0]}"
printf '%-44s %12s %12s %10s %10s\n' "$N x run -d busybox sleep 1000, total (s)" "${B[1]}" "${R[1]}" "3" "${C[1]}"
printf '%-44s %12s %12s %10s %10s\n' "ps with $N containers, median of 5 (s)" "${B[2]}" "${R[2]}" "0.03" "${C[2]}"
printf '%-44s %12s %12s %10s %10s\n' "rm -f of the $N (s)" "${B[3]}" "${R[3]}" "1" "${C[3]}"
printf '%-44s %12s %12s %10s\n' "daemon RSS with $N containers (MB)" "$B_DAEMON_RSS" "$R_DAEMON_RSS+$R_CONTAINERD_RSS" "40"
printf '%-44s %12s %12s %10s\n' "per-container process RSS (MB)" "$B_SHIM_RSS" "$R_SHIM_RSS" "3"
printf '%-44s %12s %12s %10s\n' "per-container process PSS (MB)" "$B_SHIM_PSS" "$R_SHIM_PSS" "0.5"
echo "berthd RSS with $N containers: $B_DAEMON_SPLIT (MB)"
echo "CLI alone: the same docker commands against bench/instant-daemon.py, which answers at once and runs nothing"
