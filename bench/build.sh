#!/usr/bin/env bash
# docker build (the classic builder) latency: berthd beside the reference dockerd, in one run, with the same docker CLI,
# the same busybox image and the same context: a first build without cache, a rebuild taken whole from the cache,
# and a rebuild after the copied file changed (COPY and the steps after it run again).
#   bench/build.sh [runs=5]
# (binaries from $BERTH_BIN_DIR, default out/bin: run scripts/build.sh first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${1:-5}
bench_require docker curl bc
bench_start_both
median() { bench_median; }

context=$bench_work/context
mkdir -p "$context/conf"
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG FLAVOUR=plain
ENV APP=/app MODE=bench
LABEL purpose=bench
COPY conf/ /etc/app/
COPY data.txt /app/
RUN echo "$FLAVOUR $(cat /app/data.txt)" > /app/out && mkdir -p /app/cache
WORKDIR /app
RUN wc -c /app/out > /app/size
EXPOSE 8080
CMD ["cat", "/app/out"]
DOCKERFILE
for i in $(seq 1 50); do echo "key$i=value$i" >"$context/conf/$i.conf"; done

elapsed() { local s e; s=$(bench_now); "$@" >/dev/null 2>&1; e=$(bench_now); echo "$e - $s" | bc; }

measure() { # $1 = DOCKER_HOST; sets FRESH CACHED CHANGED
  export DOCKER_HOST=$1
  local tag="bench-build-$bench_suffix" fresh=() cached=() changed=()
  bench_on_exit "DOCKER_HOST=$1 docker rmi -f $tag >/dev/null 2>&1 || true"
  echo one >"$context/data.txt"
  docker build -q -t "$tag" "$context" >/dev/null 2>&1 # warm up
  for i in $(seq 1 "$RUNS"); do
    fresh+=("$(elapsed docker build --no-cache -t "$tag" "$context")")
    cached+=("$(elapsed docker build -t "$tag" "$context")")
    echo "change $i" >"$context/data.txt"
    changed+=("$(elapsed docker build -t "$tag" "$context")")
  done
  [ "$(docker run --rm "$tag")" = "plain change $RUNS" ] || { echo "the image built on $1 does not run as built" >&2; exit 1; }
  FRESH=$(printf '%s\n' "${fresh[@]}" | median)
  CACHED=$(printf '%s\n' "${cached[@]}" | median)
  CHANGED=$(printf '%s\n' "${changed[@]}" | median)
  docker rmi -f "$tag" >/dev/null
  docker image prune -f >/dev/null
}

measure "$BERTH_HOST"; B=("$FRESH" "$CACHED" "$CHANGED")
measure "$REFERENCE_HOST"; R=("$FRESH" "$CACHED" "$CHANGED")

printf '%-58s %10s %10s\n' "measure (median of $RUNS, seconds)" "berthd" "reference"
printf '%-58s %10s %10s\n' "docker build --no-cache, 11 instructions, 2 RUN" "${B[0]}" "${R[0]}"
printf '%-58s %10s %10s\n' "docker build, every step from the cache" "${B[1]}" "${R[1]}"
printf '%-58s %10s %10s\n' "docker build after the copied file changed" "${B[2]}" "${R[2]}"
