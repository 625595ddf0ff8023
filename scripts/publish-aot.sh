#!/usr/bin/env bash
# Publishes the tracequery CLI as a Native AOT executable (linux-x64 unless a RID is given):
#   bash scripts/publish-aot.sh [rid] [output dir]
# Native AOT links with clang and needs zlib's headers; on Debian/Ubuntu they are installed here when missing
# (as root, or with sudo). Slow (several minutes on 2 cores), so it is not part of .ci/run. The AOT build leaves out
# TraceQuery.NetTrace (.nettrace) and TraceQuery.Parquet (export): TraceEvent and Parquet.Net are not AOT-safe.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
out="${2:-artifacts/aot/$rid}"

if [[ "$rid" == linux-* ]] && { ! command -v clang > /dev/null || ! dpkg -s zlib1g-dev > /dev/null 2>&1; }; then
  echo "installing the Native AOT prerequisites: clang zlib1g-dev"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y clang zlib1g-dev
fi

# Warnings are errors (Directory.Build.props), so any trim or AOT warning (IL2xxx, IL3xxx) fails the publish.
dotnet publish src/TraceQuery.Cli -c Release -r "$rid" -p:PublishAot=true -o "$out"
"$out/TraceQuery.Cli" summary samples/indexer --budget 300 > /dev/null
echo "published $out/TraceQuery.Cli ($(du -h "$out/TraceQuery.Cli" | cut -f1)); it answered a summary of samples/indexer"
