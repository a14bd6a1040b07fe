#!/usr/bin/env bash
# berth-registry beside docker-registry 2.8.2, both on 127.0.0.1, in one run:
#   skopeo push/pull of an image with one 256 MiB layer and of one with 50 small layers (seconds, MB/s);
#   hey, 32 connections: GET /v2/, manifest GET, blob HEAD (requests/s, p50, p99);
#   RSS idle (after start) and peak (VmHWM, after the whole run).
# Usage: bench/registry.sh   (berth-registry: $BERTH_TEST_REGISTRY_BIN, else $BERTH_BIN_DIR/berth-registry, else an AOT
#        publish; BENCH_REPEAT transfers per figure, median shown, default 3; BENCH_BIG_MIB, BENCH_REQUESTS)
# Needs: skopeo, docker-registry, hey (Debian packages).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
work=$bench_work
requests=${BENCH_REQUESTS:-20000}
repeat=${BENCH_REPEAT:-3}
big_mib=${BENCH_BIG_MIB:-256}

for tool in skopeo docker-registry hey; do
  command -v "$tool" >/dev/null || { echo "bench/registry.sh: $tool is not installed (apt-get install -y ${tool/docker-registry/docker-registry})" >&2; exit 1; }
done

bin=${BERTH_TEST_REGISTRY_BIN:-}
[[ -z "$bin" && -x $bench_bin/berth-registry ]] && bin=$bench_bin/berth-registry
if [[ -z "$bin" ]]; then
  echo "publishing berth-registry (NativeAOT)..." >&2
  dotnet publish "$bench_here/src/Berth.Registry" -c Release -o "$work/publish" >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
  bin="$work/publish/berth-registry"
fi

# ---- test images as OCI layouts ----
echo "making images: 1 x ${big_mib} MiB layer, 50 small layers..." >&2
bench_make_image "$work/big" 1 $((big_mib * 1024 * 1024))
bench_make_image "$work/small" 50 $((64 * 1024))
big_bytes=$(du -sb "$work/big/blobs" | cut -f1)
small_bytes=$(du -sb "$work/small/blobs" | cut -f1)

# ---- the two registries ----
start_docker_registry() { # NAME: sets port_NAME and pid_NAME, like bench_start_berth_registry
  local name=$1 port
  port=$(bench_free_port)
  cat >"$work/docker-registry-$name.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/docker-root-$name
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  docker-registry serve "$work/docker-registry-$name.yml" >/dev/null 2>"$work/docker-$name.err" &
  bench_pids+=($!)
  printf -v "pid_$name" '%s' "$!"
  printf -v "port_$name" '%s' "$port"
  bench_wait_http "http://127.0.0.1:$port/v2/"
}
bench_start_berth_registry berth "$bin"
start_docker_registry docker
berth_port=$port_berth berth_pid=$pid_berth docker_port=$port_docker docker_pid=$pid_docker
sleep 1
declare -A result
result[berth,rss_idle]=$(bench_rss_kb "$berth_pid" VmRSS)
result[docker,rss_idle]=$(bench_rss_kb "$docker_pid" VmRSS)


# Each transfer runs $repeat times, alternating the registries (so a burst of load from elsewhere hits both), and the
# median counts. Pushes after the first go to a fresh registry of the same kind: skopeo remembers where it pushed a
# blob and would mount it instead of uploading it again.
for ((round = 0; round < repeat; round++)); do
  for who in berth docker; do
    port=${who}_port; port=${!port}
    push_port=$port
    if ((round > 0)); then
      if [[ $who == berth ]]; then bench_start_berth_registry "round$round" "$bin"; else start_docker_registry "round$round"; fi
      push_port=port_round$round; push_port=${!push_port}
    fi
    for image in big small; do
      bench_seconds skopeo copy -q --dest-tls-verify=false "oci:$work/$image:latest" "docker://127.0.0.1:$push_port/bench/$image:latest" >>"$work/$who-${image}_push"
      rm -rf "$work/pulled"
      bench_seconds skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/$image:latest" "oci:$work/pulled:latest" >>"$work/$who-${image}_pull"
      rm -rf "$work/pulled"
    done
    if ((round > 0)); then
      pid=pid_round$round; kill "${!pid}"; wait "${!pid}" 2>/dev/null || true
      rm -rf "$bench_work/registry-round$round" "$work/docker-root-round$round"
    fi
  done
done
for who in berth docker; do
  for image in big small; do
    bytes=${image}_bytes; bytes=${!bytes}
    for op in push pull; do
      t=$(bench_median <"$work/$who-${image}_$op")
      result[$who,${image}_$op]="$t s, $(bench_mbps "$bytes" "$t") MB/s"
      echo "$who $image $op: $(tr '\n' ' ' <"$work/$who-${image}_$op")" >&2
    done
  done
done

manifest_digest=$(skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$berth_port/bench/small:latest" | sha256sum | cut -d' ' -f1)
layer_digest=$(skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$berth_port/bench/small:latest" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')

run_hey() { # who name args...
  local who=$1 name=$2; shift 2
  hey -n "$requests" -c 32 "$@" >"$work/hey.txt" 2>&1
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/hey.txt")
  p50=$(awk '/ 50% in/ {printf "%.1f", $3 * 1000}' "$work/hey.txt")
  p99=$(awk '/ 99% in/ {printf "%.1f", $3 * 1000}' "$work/hey.txt")
  errors=$(awk '/Status code distribution/ {f=1; next} f && /\[/ && $1 !~ /\[200\]/ {n += $2} END {print n+0}' "$work/hey.txt")
  result[$who,$name]="$rps req/s, p50 $p50 ms, p99 $p99 ms"
  if [[ $errors != 0 ]]; then result[$who,$name]+=", $errors non-200"; fi
}
for who in berth docker; do
  port=${who}_port; port=${!port}
  base="http://127.0.0.1:$port"
  run_hey "$who" base "$base/v2/"
  run_hey "$who" manifest -H "Accept: application/vnd.oci.image.manifest.v1+json" "$base/v2/bench/small/manifests/latest"
  run_hey "$who" blob_head -m HEAD "$base/v2/bench/small/blobs/$layer_digest"
done
result[berth,rss_peak]=$(bench_rss_kb "$berth_pid" VmHWM)
result[docker,rss_peak]=$(bench_rss_kb "$docker_pid" VmHWM)

printf '\n%-26s | %-40s | %-40s\n' "" "berth-registry" "docker-registry 2.8.2"
printf -- '---------------------------+------------------------------------------+-----------------------------------------\n'
row() { printf '%-26s | %-40s | %-40s\n' "$1" "${result[berth,$2]}" "${result[docker,$2]}"; }
row "push ${big_mib} MiB layer" big_push
row "pull ${big_mib} MiB layer" big_pull
row "push 50 small layers" small_push
row "pull 50 small layers" small_pull
row "GET /v2/ (c=32)" base
row "manifest GET (c=32)" manifest
row "blob HEAD (c=32)" blob_head
printf '%-26s | %-40s | %-40s\n' "RSS idle" "$((result[berth,rss_idle] / 1024)) MB" "$((result[docker,rss_idle] / 1024)) MB"
printf '%-26s | %-40s | %-40s\n' "RSS peak (VmHWM)" "$((result[berth,rss_peak] / 1024)) MB" "$((result[docker,rss_peak] / 1024)) MB"
echo "($requests requests per hey run; transfers: median of $repeat; manifest digest sha256:$manifest_digest)"
