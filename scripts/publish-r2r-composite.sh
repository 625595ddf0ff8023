#!/usr/bin/env bash
# Publishes the tracequery CLI self-contained, trimmed and precompiled as one composite ReadyToRun image with the
# framework (linux-x64 unless a RID is given):
#   bash scripts/publish-r2r-composite.sh [rid] [output dir]
# A plain ReadyToRun publish (dotnet publish -r linux-x64) still JIT-compiles the generic instantiations of framework
# types over TraceQuery's value types (the framework is outside its version bubble); a composite image compiles the
# framework and the tool together, so those are precompiled too. Needs no native toolchain (unlike Native AOT), only
# the runtime packs from NuGet. Trimming keeps the framework part small; like the Native AOT build it leaves out
# TraceQuery.NetTrace (.nettrace) and TraceQuery.Parquet (export), which are not trim-safe. Slow (minutes on 2 cores),
# so it is not part of .ci/run. Compared with the other builds by benchmarks/cli-startup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
out="${2:-artifacts/r2r-composite/$rid}"

# Warnings are errors (Directory.Build.props), so any trim warning (IL2xxx) fails the publish.
dotnet publish src/TraceQuery.Cli -c Release -r "$rid" --self-contained true -p:PublishTrimmed=true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out"
"$out/TraceQuery.Cli" summary samples/indexer --budget 300 > /dev/null
echo "published $out/TraceQuery.Cli ($(du -sh "$out" | cut -f1) in all); it answered a summary of samples/indexer"
