# Shared by the bench/*.sh scripts (source it): a berthd of the bench's own beside the reference dockerd, a busybox
# image in both, timing helpers, and one cleanup trap. Binaries come from $BERTH_BIN_DIR (default out/bin: run
# scripts/build.sh first).
# shellcheck shell=bash

bench_here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_bin=${BERTH_BIN_DIR:-$bench_here/out/bin}
bench_work=$(mktemp -d /tmp/berth-bench.XXXXXX)
bench_suffix=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
bench_exec_root=/run/bb-$bench_suffix
bench_pids=()
bench_cleanups=()
REFERENCE_HOST=unix:///tmp/reference-dockerd/docker.sock
BERTH_HOST=unix://$bench_work/berthd/berth.sock

bench_cleanup() {
  local step
  for step in "${bench_cleanups[@]}"; do eval "$step" >/dev/null 2>&1 || true; done
  if [[ -S $bench_work/berthd/berth.sock ]]; then
    DOCKER_HOST=$BERTH_HOST docker rm -f $(DOCKER_HOST=$BERTH_HOST docker ps -aq) >/dev/null 2>&1 || true
  fi
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # berthd keeps its bridges when it stops (as dockerd keeps docker0); this one's data root goes, so its devices go
  # too: those whose alias is its owner tag (see DeviceNames), and no other.
  local tag
  tag="berth:$(printf %s "$bench_work/berthd/data" | sha256sum | cut -c1-16)"
  ip -o link show 2>/dev/null | grep -F " alias $tag" | awk '{sub(/@.*/, "", $2); sub(/:$/, "", $2); print $2}' |
    xargs -r -n1 ip link delete 2>/dev/null || true
  # ... and its nftables table (BridgeFirewall: "berth_" + the same hash).
  if command -v nft >/dev/null; then
    nft delete table ip "berth_${tag#berth:}" 2>/dev/null || true
    nft delete table ip6 "berth_${tag#berth:}" 2>/dev/null || true
  fi
  # berthd mounts a tmpfs for its runtime state in the exec root where that is on disk (Runtime/Mounts/StateTmpfs.cs).
  grep -o " $bench_exec_root[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$bench_work" "$bench_exec_root"
}
trap bench_cleanup EXIT

# bench_on_exit 'command': run at exit before the daemons stop (e.g. removing what the bench made in the reference).
bench_on_exit() { bench_cleanups+=("$1"); }

bench_require() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "${0##*/}: $tool is not installed" >&2; exit 1; }; done
}

bench_require_binaries() {
  local program
  for program in "$@"; do
    [[ -x $bench_bin/$program ]] || { echo "${0##*/}: $bench_bin/$program is missing (run scripts/build.sh)" >&2; exit 1; }
  done
}

bench_start_reference() {
  local tool=$bench_here/../shared/tools/reference-dockerd
  [[ -x $tool ]] || tool=/work/shared/tools/reference-dockerd
  "$tool" start >/dev/null
}

bench_start_berthd() {
  bench_require_binaries berthd berth-shim
  mkdir -p "$bench_work/berthd"
  "$bench_bin/berthd" -H "$BERTH_HOST" --data-root "$bench_work/berthd/data" --exec-root "$bench_exec_root" \
    --pidfile "$bench_work/berthd/berthd.pid" --shim "$bench_bin/berth-shim" >"$bench_work/berthd/log" 2>&1 &
  bench_pids+=($!)
  BERTHD_PID=$!
  for _ in $(seq 100); do curl -fs --unix-socket "$bench_work/berthd/berth.sock" http://d/_ping >/dev/null && return; sleep 0.1; done
  echo "${0##*/}: berthd did not start; log:" >&2; cat "$bench_work/berthd/log" >&2; exit 1
}

# bench_busybox HOST: makes sure busybox:latest exists on that daemon (the project's own busybox rootfs image).
bench_busybox() {
  DOCKER_HOST=$1 docker image inspect busybox:latest >/dev/null 2>&1 && return
  [[ -f $bench_work/busybox.tar ]] || "$bench_here/scripts/busybox-rootfs.sh" "$bench_work/busybox.tar"
  DOCKER_HOST=$1 docker import -c 'CMD ["sh"]' "$bench_work/busybox.tar" busybox:latest >/dev/null
}

bench_now() { date +%s.%N; }
# bench_seconds COMMAND...: runs it (output discarded) and prints the elapsed seconds.
bench_seconds() {
  local s e
  s=$(bench_now); "$@" >/dev/null 2>"$bench_work/last.err" || { cat "$bench_work/last.err" >&2; return 1; }; e=$(bench_now)
  echo "$e - $s" | bc
}
# bench_median: the median of the numbers on stdin, 3 decimals.
bench_median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
# bench_median_of N COMMAND...: runs the command N times and prints the median seconds.
bench_median_of() {
  local n=$1 i; shift
  for ((i = 0; i < n; i++)); do bench_seconds "$@"; done | bench_median
}
bench_mbps() { echo "scale=1; $1 / 1000000 / $2" | bc; }
bench_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# bench_start_both: the reference dockerd and a berthd of the bench's own, each with busybox:latest.
bench_start_both() {
  bench_start_reference
  bench_start_berthd
  bench_busybox "$BERTH_HOST"
  bench_busybox "$REFERENCE_HOST"
}

# bench_wait_http URL: waits (up to 10 s) until URL answers 2xx.
bench_wait_http() {
  for _ in $(seq 100); do curl -fs "$1" >/dev/null && return; sleep 0.1; done
  echo "${0##*/}: $1 did not answer" >&2; return 1
}

# bench_start_berth_registry NAME [BINARY]: a berth-registry on a free 127.0.0.1 port with its root in the bench's
# work dir; sets port_NAME and pid_NAME. BINARY defaults to $bench_bin/berth-registry.
bench_start_berth_registry() {
  local name=$1 binary=${2:-$bench_bin/berth-registry} port
  port=$(bench_free_port)
  "$binary" serve --addr "127.0.0.1:$port" --root "$bench_work/registry-$name" >/dev/null 2>"$bench_work/registry-$name.err" &
  bench_pids+=($!)
  printf -v "pid_$name" '%s' "$!"
  printf -v "port_$name" '%s' "$port"
  bench_wait_http "http://127.0.0.1:$port/v2/"
}

# bench_rss_kb PID FIELD: a /proc/PID/status field in kB (VmRSS now, VmHWM the peak).
bench_rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# bench_make_image LAYOUT COUNT BYTES: an OCI layout (tag latest) with COUNT uncompressed layers, each one file of
# BYTES random bytes; its config runs /file-0.
bench_make_image() {
  local layout=$1 count=$2 bytes=$3 layers="" diffs="" i hex size tmp=$bench_work/make-image
  mkdir -p "$layout/blobs/sha256" "$tmp"
  for ((i = 0; i < count; i++)); do
    head -c "$bytes" /dev/urandom >"$tmp/file-$i"
    tar -C "$tmp" -cf "$tmp/layer.tar" "file-$i"
    rm "$tmp/file-$i"
    size=$(stat -c %s "$tmp/layer.tar")
    hex=$(bench_layout_blob "$layout" "$tmp/layer.tar")
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    diffs+="${diffs:+,}\"sha256:$hex\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/file-0"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffs" >"$tmp/config"
  size=$(stat -c %s "$tmp/config"); hex=$(bench_layout_blob "$layout" "$tmp/config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$hex" "$size" "$layers" >"$tmp/manifest"
  size=$(stat -c %s "$tmp/manifest"); hex=$(bench_layout_blob "$layout" "$tmp/manifest")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' "$hex" "$size" >"$layout/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
}

# bench_layout_blob LAYOUT FILE: moves FILE into the layout under its sha256 and prints the hex digest.
bench_layout_blob() {
  local hex
  hex=$(sha256sum "$2" | cut -d' ' -f1)
  mv "$2" "$1/blobs/sha256/$hex"
  echo "$hex"
}
