#!/usr/bin/env bash
# Usage: fuzz/run.sh <target> <seconds>      targets: atf, filter, request (see FuzzTargets.All)
#        fuzz/run.sh all <seconds>           every target, one after the other
# Builds the harness, instruments TraceQuery.dll with SharpFuzz, runs AFL++ on the target for the given
# time from fuzz/out/seeds/<target> (written by the harness) plus earlier findings kept in
# fuzz/corpus/<target>, copies every new crash to fuzz/crashes/<target>/ (named by content hash) and
# prints executions per second and corpus size. Exit code 1 when a new crash was found.
# Tools: fuzz/install.sh (AFL++ from Debian, SharpFuzz.CommandLine from NuGet).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh <target|all> <seconds>}
seconds=${2:?usage: fuzz/run.sh <target|all> <seconds>}
if [ "$target" = all ]; then
  status=0
  for t in $(dotnet out/plain/TraceQuery.Fuzz.dll 2>&1 | sed -n 's/.*targets: //p' | tr -d ',' || true); do
    "$0" "$t" "$seconds" || status=1
  done
  [ -n "${t:-}" ] || { echo "build the harness first: fuzz/run.sh atf 1"; exit 2; }
  exit $status
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
command -v afl-fuzz >/dev/null && [ -x .tools/sharpfuzz ] || ./install.sh

# Build once per source change: out/plain is the harness as built (seeds, replays), out/bin the same with
# TraceQuery.dll instrumented by SharpFuzz (instrumented code runs only under afl-fuzz).
stamp=out/bin/.built
if [ ! -f "$stamp" ] || [ -n "$(find ../src/TraceQuery TraceQuery.Fuzz -name '*.cs' -newer "$stamp" -print -quit)" ]; then
  rm -rf out/plain out/bin out/seeds
  dotnet publish TraceQuery.Fuzz/TraceQuery.Fuzz.csproj -c Release -o out/plain --nologo -v quiet >/dev/null
  dotnet out/plain/TraceQuery.Fuzz.dll seed out/seeds >/dev/null
  cp -r out/plain out/bin
  .tools/sharpfuzz out/bin/TraceQuery.dll >/dev/null
  touch "$stamp"
fi

seeds=out/run-seeds/$target
[ -d "out/seeds/$target" ] || { echo "unknown target '$target'"; exit 2; }
rm -rf "$seeds" && mkdir -p "$seeds" && cp out/seeds/"$target"/* "$seeds"/
[ -d "corpus/$target" ] && cp -n corpus/"$target"/* "$seeds"/ 2>/dev/null || true

findings=out/findings/$target
rm -rf "$findings" && mkdir -p out/findings
# The target process gets 1 GiB of GC heap: an input that makes the reader allocate more is a finding (OOM).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_GCHeapHardLimit=0x40000000
afl-fuzz -i "$seeds" -o "$findings" -V "$seconds" -t 10000 -m none -- dotnet out/bin/TraceQuery.Fuzz.dll "$target" >"out/afl-$target.log" 2>&1 || {
  echo "afl-fuzz failed; see fuzz/out/afl-$target.log"; tail -20 "out/afl-$target.log"; exit 2; }

stats=$findings/default/fuzzer_stats
value() { sed -n "s/^$1 *: *//p" "$stats"; }
new=0
mkdir -p "crashes/$target"
for kind in crashes hangs; do
  for file in "$findings"/default/$kind/id:*; do
    [ -f "$file" ] || continue
    name="$kind-$(sha1sum "$file" | cut -c1-16)"
    if [ ! -f "crashes/$target/$name" ]; then
      cp "$file" "crashes/$target/$name"; new=$((new + 1))
      echo "new finding: fuzz/crashes/$target/$name"
    fi
  done
done
rmdir "crashes/$target" 2>/dev/null || true
echo "$target: $(value execs_done) executions in $(value run_time) s, $(value execs_per_sec) exec/s, corpus $(value corpus_count), crashes $(value saved_crashes), hangs $(value saved_hangs), new findings $new"
[ "$new" -eq 0 ]
