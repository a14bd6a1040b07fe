#!/usr/bin/env bash
# Sets up Berth on this machine, idempotently: system packages, a NativeAOT build of every program, the programs
# in /usr/local/bin, berthd running in the background, and a busybox:latest image made from Debian's busybox-static.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(runc busybox-static iproute2 procps curl ca-certificates bc tini git)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

./scripts/build.sh

for b in berthd berth berth-shim berth-registry; do
  if [ -f "out/bin/$b" ] && ! cmp -s "out/bin/$b" "/usr/local/bin/$b"; then
    install -m 0755 "out/bin/$b" "/usr/local/bin/$b.new" && mv -f "/usr/local/bin/$b.new" "/usr/local/bin/$b"
  fi
done

# `docker compose` runs `berth compose` (the docker CLI's plugin protocol), unless a compose plugin is already there.
PLUGINS=/usr/local/lib/docker/cli-plugins
if [ ! -e "$PLUGINS/docker-compose" ] || [ "$(readlink "$PLUGINS/docker-compose")" = /usr/local/bin/berth ]; then
  mkdir -p "$PLUGINS" && ln -sfn /usr/local/bin/berth "$PLUGINS/docker-compose"
fi

SOCK=/run/berth/berth.sock
PIDFILE=/run/berth/berthd.pid
running_pid() { [ -f $PIDFILE ] && kill -0 "$(cat $PIDFILE)" 2>/dev/null && cat $PIDFILE; }
pid=$(running_pid || true)
if [ -n "$pid" ] && [ "$(readlink -f /proc/$pid/exe)" != "/usr/local/bin/berthd" ]; then
  # Running an older binary (replaced above): restart it. Containers keep running through the restart.
  kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; pid=""
fi
if [ -z "$pid" ]; then
  mkdir -p /run/berth /var/log
  setsid /usr/local/bin/berthd --pidfile $PIDFILE >>/var/log/berthd.log 2>&1 </dev/null &
  for _ in $(seq 1 100); do curl -sf --unix-socket $SOCK http://d/_ping >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf --unix-socket $SOCK http://d/_ping >/dev/null || { echo "berthd did not start; see /var/log/berthd.log" >&2; exit 1; }
fi

if ! curl -sf --unix-socket $SOCK http://d/images/busybox:latest/json >/dev/null; then
  ./scripts/busybox-rootfs.sh out/busybox.tar
  curl -sf --unix-socket $SOCK -X POST -H 'Content-Type: application/x-tar' --data-binary @out/busybox.tar \
    "http://d/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D" >/dev/null
fi
echo "berthd is running on unix://$SOCK; try: berth run --rm busybox echo hello"
