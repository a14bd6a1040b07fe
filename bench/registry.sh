#!/usr/bin/env bash
# berth-registry beside docker-registry 2.8.2, both on 127.0.0.1, in one run:
#   skopeo push/pull of an image with one 256 MiB layer and of one with 50 small layers (seconds, MB/s);
#   hey, 32 connections: GET /v2/, manifest GET, blob HEAD (requests/s, p50, p99);
#   RSS idle (after start) and peak (VmHWM, after the whole run).
# Usage: bench/registry.sh            (publishes berth-registry AOT unless BERTH_TEST_REGISTRY_BIN is set)
# Needs: skopeo, docker-registry, hey (Debian packages).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/berth-registry-bench.XXXXXX)
requests=${BENCH_REQUESTS:-20000}
big_mib=${BENCH_BIG_MIB:-256}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in skopeo docker-registry hey; do
  command -v "$tool" >/dev/null || { echo "bench/registry.sh: $tool is not installed (apt-get install -y ${tool/docker-registry/docker-registry})" >&2; exit 1; }
done

bin=${BERTH_TEST_REGISTRY_BIN:-}
if [[ -z "$bin" ]]; then
  echo "publishing berth-registry (NativeAOT)..." >&2
  dotnet publish "$here/src/Berth.Registry" -c Release -o "$work/publish" >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
  bin="$work/publish/berth-registry"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# ---- test images as OCI layouts ----
write_blob() { # file -> prints digest, moves file into layout $1
  local layout=$1 file=$2 hex
  hex=$(sha256sum "$file" | cut -d' ' -f1)
  mv "$file" "$layout/blobs/sha256/$hex"
  echo "$hex"
}
make_image() { # layout-dir layer-count layer-bytes
  local layout=$1 count=$2 bytes=$3 layers="" diffs="" i hex size
  mkdir -p "$layout/blobs/sha256" "$work/tmp"
  for ((i = 0; i < count; i++)); do
    head -c "$bytes" /dev/urandom >"$work/tmp/file-$i"
    tar -C "$work/tmp" -cf "$work/tmp/layer.tar" "file-$i"
    rm "$work/tmp/file-$i"
    size=$(stat -c %s "$work/tmp/layer.tar")
    hex=$(write_blob "$layout" "$work/tmp/layer.tar")
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    diffs+="${diffs:+,}\"sha256:$hex\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffs" >"$work/tmp/config"
  size=$(stat -c %s "$work/tmp/config"); hex=$(write_blob "$layout" "$work/tmp/config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$hex" "$size" "$layers" >"$work/tmp/manifest"
  size=$(stat -c %s "$work/tmp/manifest"); hex=$(write_blob "$layout" "$work/tmp/manifest")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' "$hex" "$size" >"$layout/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
}
echo "making images: 1 x ${big_mib} MiB layer, 50 small layers..." >&2
make_image "$work/big" 1 $((big_mib * 1024 * 1024))
make_image "$work/small" 50 $((64 * 1024))
big_bytes=$(du -sb "$work/big/blobs" | cut -f1)
small_bytes=$(du -sb "$work/small/blobs" | cut -f1)

# ---- the two registries ----
berth_port=$(free_port)
"$bin" serve --addr "127.0.0.1:$berth_port" --root "$work/berth-root" >/dev/null 2>"$work/berth.err" &
berth_pid=$!; pids+=("$berth_pid")
docker_port=$(free_port)
cat >"$work/docker-registry.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/docker-root
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$docker_port
YAML
docker-registry serve "$work/docker-registry.yml" >/dev/null 2>"$work/docker.err" &
docker_pid=$!; pids+=("$docker_pid")
for port in "$berth_port" "$docker_port"; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
done
sleep 1
rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
declare -A result
result[berth,rss_idle]=$(rss_kb "$berth_pid" VmRSS)
result[docker,rss_idle]=$(rss_kb "$docker_pid" VmRSS)

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; return 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
mbps() { echo "scale=1; $1 / 1000000 / $2" | bc; }

for who in berth docker; do
  port=${who}_port; port=${!port}
  for image in big small; do
    bytes=${image}_bytes; bytes=${!bytes}
    t=$(seconds skopeo copy -q --dest-tls-verify=false "oci:$work/$image:latest" "docker://127.0.0.1:$port/bench/$image:latest")
    result[$who,${image}_push]="$t s, $(mbps "$bytes" "$t") MB/s"
    rm -rf "$work/pulled"
    t=$(seconds skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/$image:latest" "oci:$work/pulled:latest")
    result[$who,${image}_pull]="$t s, $(mbps "$bytes" "$t") MB/s"
    rm -rf "$work/pulled"
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
result[berth,rss_peak]=$(rss_kb "$berth_pid" VmHWM)
result[docker,rss_peak]=$(rss_kb "$docker_pid" VmHWM)

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
echo "($requests requests per hey run; manifest digest sha256:$manifest_digest)"
