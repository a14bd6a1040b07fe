#!/usr/bin/env bash
# Builds every Berth program NativeAOT into out/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/bin
for project in Berth.Shim Berth.Daemon Berth.Cli Berth.Registry; do
  dotnet publish "src/$project" -c Release -r linux-x64 -o out/bin -p:DebugType=none -p:DebugSymbols=false --nologo -v quiet
done
