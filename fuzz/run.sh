#!/usr/bin/env bash
# Usage: fuzz/run.sh <target> <seconds>      one target: atf, filter, request, chrome, otlp, jsonfile, nettrace, cpuprofile, perfetto (FuzzTargets.All)
#        fuzz/run.sh all <seconds>           every target, one after the other
# Builds the harness, instruments TraceQuery.dll with SharpFuzz, runs AFL++ on the target for the given
# time, starting from the target's seeds (SeedCorpus) plus earlier interesting inputs kept in
# fuzz/corpus/<target>/, copies every new crash or hang to fuzz/crashes/<target>/ (named by content
# hash; the test suite replays that folder) and prints executions per second and corpus size.
# Exit code: 0 no new finding, 1 a new finding, 2 the harness or afl-fuzz did not run.
# Tools: fuzz/install.sh (AFL++ from Debian, SharpFuzz.CommandLine from NuGet), run here if missing.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh <target|all> <seconds>}
seconds=${2:?usage: fuzz/run.sh <target|all> <seconds>}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if ! command -v afl-fuzz >/dev/null || [ ! -x .tools/sharpfuzz ]; then
  ./install.sh || { echo "fuzz tools could not be installed"; exit 2; }
fi

# Build once per source change: out/plain is the harness as built (seeds, replays), out/bin the same with
# TraceQuery.dll instrumented by SharpFuzz (instrumented code runs only under afl-fuzz).
stamp=out/bin/.built
if [ ! -f "$stamp" ] || [ -n "$(find ../src/TraceQuery TraceQuery.Fuzz -name '*.cs' -newer "$stamp" -print -quit)" ]; then
  rm -rf out/plain out/bin out/seeds
  dotnet publish TraceQuery.Fuzz/TraceQuery.Fuzz.csproj -c Release -o out/plain --nologo -v quiet >/dev/null || { echo "harness build failed"; exit 2; }
  dotnet out/plain/TraceQuery.Fuzz.dll seed out/seeds >/dev/null
  cp -r out/plain out/bin
  .tools/sharpfuzz out/bin/TraceQuery.dll >/dev/null
  touch "$stamp"
fi

if [ "$target" = all ]; then
  status=0
  for t in $(ls out/seeds); do
    "./$(basename "$0")" "$t" "$seconds" || { code=$?; [ $code -gt $status ] && status=$code; }
  done
  exit $status
fi

[ -d "out/seeds/$target" ] || { echo "unknown target '$target'; targets: $(ls out/seeds | tr '\n' ' ')"; exit 2; }
seeds=out/run-seeds/$target
rm -rf "$seeds" && mkdir -p "$seeds" && cp out/seeds/"$target"/* "$seeds"/
if [ -d "corpus/$target" ]; then cp corpus/"$target"/* "$seeds"/ 2>/dev/null || true; fi

findings=out/findings/$target
rm -rf "$findings" && mkdir -p out/findings
# Scratch files (the ATF target writes each input as a session) go to memory when /dev/shm is there.
if [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
# The target process gets 1 GiB of GC heap: an input that makes the reader allocate more is a finding (OOM).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_GCHeapHardLimit=0x40000000
afl-fuzz -i "$seeds" -o "$findings" -V "$seconds" -t 10000 -m none -- dotnet out/bin/TraceQuery.Fuzz.dll "$target" >"out/afl-$target.log" 2>&1 || {
  echo "afl-fuzz failed on $target; see fuzz/out/afl-$target.log"; tail -5 "out/afl-$target.log"; exit 2; }

stats=$findings/default/fuzzer_stats
value() { sed -n "s/^$1 *: *//p" "$stats"; }
new=0
for kind in crashes hangs; do
  for file in "$findings"/default/$kind/id:*; do
    [ -f "$file" ] || continue
    name="$kind-$(sha1sum "$file" | cut -c1-16)"
    mkdir -p "crashes/$target"
    if [ ! -f "crashes/$target/$name" ]; then
      cp "$file" "crashes/$target/$name"; new=$((new + 1))
      echo "new finding: fuzz/crashes/$target/$name (replay: dotnet fuzz/out/plain/TraceQuery.Fuzz.dll replay $target fuzz/crashes/$target/$name)"
    fi
  done
done
echo "$target: $(value execs_done) executions in $(value run_time) s, $(value execs_per_sec) exec/s, corpus $(value corpus_count), crashes $(value saved_crashes), hangs $(value saved_hangs), new findings $new"
[ "$new" -eq 0 ] || exit 1
