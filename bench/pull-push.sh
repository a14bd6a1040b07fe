#!/usr/bin/env bash
# Berth's pull and push beside the reference dockerd's, in one run, against berth-registry on 127.0.0.1:
#   an image with one 256 MiB layer and one with 50 small layers, each pulled from one registry, then pushed to an
#   empty one (so every blob is uploaded, none mounted). Seconds and MB/s per daemon.
# Usage: bench/pull-push.sh   (binaries from $BERTH_BIN_DIR, default out/bin: run scripts/build.sh first)
# Needs: skopeo, docker CLI, the reference dockerd (/work/shared/tools/reference-dockerd).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
big_mib=${BENCH_BIG_MIB:-256}
work=$bench_work
bench_on_exit 'DOCKER_HOST=$REFERENCE_HOST docker rmi -f $(DOCKER_HOST=$REFERENCE_HOST docker images -q --filter "reference=127.0.0.1:*/bench/*")'
bench_require skopeo docker
bench_require_binaries berthd berth-registry berth-shim
bench_start_reference

# ---- test images as OCI layouts (uncompressed layers of random bytes) ----
echo "making images: 1 x ${big_mib} MiB layer, 50 small layers..." >&2
bench_make_image "$work/big" 1 $((big_mib * 1024 * 1024))
bench_make_image "$work/small" 50 $((64 * 1024))
declare -A bytes
bytes[big]=$(du -sb "$work/big/blobs" | cut -f1)
bytes[small]=$(du -sb "$work/small/blobs" | cut -f1)

# ---- registries: one to pull from, one empty push target per daemon ----
bench_start_berth_registry source; bench_start_berth_registry berth; bench_start_berth_registry reference
for image in big small; do
  skopeo copy -q --dest-tls-verify=false "oci:$work/$image:latest" "docker://127.0.0.1:$port_source/bench/$image:latest"
done

bench_start_berthd

declare -A host=([berth]="$BERTH_HOST" [reference]="$REFERENCE_HOST")
declare -A result

for who in berth reference; do
  export DOCKER_HOST=${host[$who]} DOCKER_CONFIG=$work/docker-config
  target=port_$who; target=${!target}
  for image in big small; do
    source_name=127.0.0.1:$port_source/bench/$image:latest
    docker rmi -f "$source_name" >/dev/null 2>&1 || true
    t=$(bench_seconds docker pull "$source_name")
    result[$who,${image}_pull]="$t s, $(bench_mbps "${bytes[$image]}" "$t") MB/s"
    docker tag "$source_name" "127.0.0.1:$target/bench/$image:latest"
    t=$(bench_seconds docker push "127.0.0.1:$target/bench/$image:latest")
    result[$who,${image}_push]="$t s, $(bench_mbps "${bytes[$image]}" "$t") MB/s"
    docker rmi -f "$source_name" "127.0.0.1:$target/bench/$image:latest" >/dev/null 2>&1 || true
  done
done

printf '\n%-24s | %-30s | %-30s\n' "" "berthd" "reference dockerd"
printf -- '-------------------------+--------------------------------+-------------------------------\n'
row() { printf '%-24s | %-30s | %-30s\n' "$1" "${result[berth,$2]}" "${result[reference,$2]}"; }
row "pull ${big_mib} MiB layer" big_pull
row "push ${big_mib} MiB layer" big_push
row "pull 50 small layers" small_pull
row "push 50 small layers" small_push
