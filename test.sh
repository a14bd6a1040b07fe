#!/usr/bin/env bash
# Runs every Berth test: unit tests, then integration tests against real berthd instances (root, runc, overlayfs).
set -euo pipefail
cd "$(dirname "$0")"
PACKAGES=(runc busybox-static iproute2 procps curl ca-certificates docker-registry skopeo apache2-utils docker-compose tmux python3-docker tini nftables xz-utils bzip2 git)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
./scripts/build.sh
# Programs only the tests run (a volume plugin the integration tests start on the host), kept out of out/bin.
dotnet publish tests/Berth.TestPlugin -c Release -r linux-x64 -o out/test -p:DebugType=none -p:DebugSymbols=false --nologo -v quiet
export BERTH_BIN_DIR=$PWD/out/bin
export BERTH_SHIM_PATH=$PWD/out/bin/berth-shim
dotnet build Berth.slnx -c Release --nologo -v quiet
status=0
log=$(mktemp)
for project in tests/Berth.Tests tests/Berth.IntegrationTests tests/Berth.Registry.Tests; do
  dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done
# The failures again, just before the summary, so that a log read from its end shows what failed and why.
awk '/^  Failed / {show=1; n=0; print "FAILED: " substr($0, 10); next}
     /^  (Passed|Skipped) / || /^Test Run / {show=0}
     show && n < 40 {print "  " $0; n++}' "$log"
# One closing line over all projects, from each run's summary ("Passed: N", "Failed: N", "Skipped: N").
awk '/^ +Passed: [0-9]+$/ {p+=$2} /^ +Failed: [0-9]+$/ {f+=$2} /^ +Skipped: [0-9]+$/ {s+=$2}
     END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}' "$log"
rm -f "$log"
exit $status
