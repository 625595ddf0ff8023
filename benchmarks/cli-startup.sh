#!/usr/bin/env bash
# Whole-process start-up of the tracequery CLI: `summary samples/indexer` against `--help`, both in the same run,
# for each build given, as ratios (issue 18: the summary of a small trace within 2x of --help).
#   bash benchmarks/cli-startup.sh [runs] [build dir...]
#   ROUNDS=3 bash benchmarks/cli-startup.sh 20 artifacts/cli/aot artifacts/cli/r2r
# A build dir holds a published TraceQuery.Cli (default: artifacts/cli/r2r and artifacts/cli/aot when present):
#   dotnet publish src/TraceQuery.Cli -c Release -r linux-x64 --self-contained false -o artifacts/cli/r2r
#   bash scripts/publish-aot.sh linux-x64 artifacts/cli/aot
# Each round runs every build's three commands back to back (hyperfine -N, 2 warm-ups, [runs] runs each) and prints,
# per build, each command's median and mean wall time and CPU, and the summary's ratio to --help by median and by
# mean. ROUNDS (default 1) repeats the whole round, so the spread between runs shows. The summaries of all builds must
# be byte-identical (checked first). Uses hyperfine and python3 when installed; otherwise a plain loop, wall time only.
# The machine is shared: the load average is printed before and after each round, and only the ratios are comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shift || true
rounds="${ROUNDS:-1}"
builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  for dir in artifacts/cli/r2r artifacts/cli/aot; do
    [ -x "$dir/TraceQuery.Cli" ] && builds+=("$dir")
  done
fi
[ ${#builds[@]} -gt 0 ] || { echo "no published build: see the usage at the top of $0"; exit 2; }

echo "TRACEQUERY_CACHE_DIR=${TRACEQUERY_CACHE_DIR-<unset: ~/.cache/tracequery>}"
reference=""
for dir in "${builds[@]}"; do
  sum=$("$dir/TraceQuery.Cli" summary samples/indexer | md5sum | cut -d' ' -f1)
  echo "summary md5 $sum  $dir"
  [ -z "$reference" ] && reference="$sum"
  [ "$sum" = "$reference" ] || { echo "the builds print different summaries"; exit 1; }
done

for round in $(seq "$rounds"); do
  echo "== round $round; load before: $(uptime)"
  for dir in "${builds[@]}"; do
    exe="$dir/TraceQuery.Cli"
    echo "-- $exe"
    if command -v hyperfine > /dev/null && command -v python3 > /dev/null; then
      json=$(mktemp)
      hyperfine -N -w 2 -r "$runs" --export-json "$json" "$exe --help" "$exe summary samples/indexer" "$exe info samples/indexer" > /dev/null
      # median and mean wall, user and system CPU per command, then the summary's ratios to --help
      python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for r in results:
    print(f"{' '.join(r['command'].split(' ')[1:]) or '(none)':<28} median {r['median'] * 1000:7.1f} ms  mean {r['mean'] * 1000:7.1f} ± {r['stddev'] * 1000:5.1f} ms  user {r['user'] * 1000:6.1f} ms  system {r['system'] * 1000:6.1f} ms")
help_, summary = results[0], results[1]
print(f"summary / --help: median {summary['median'] / help_['median']:.2f}x, mean {summary['mean'] / help_['mean']:.2f}x, user CPU {summary['user'] / help_['user']:.2f}x, user+system CPU {(summary['user'] + summary['system']) / (help_['user'] + help_['system']):.2f}x")
PY
      rm -f "$json"
    else
      for command in "--help" "summary samples/indexer"; do
        # shellcheck disable=SC2086
        "$exe" $command > /dev/null; "$exe" $command > /dev/null
        start=$(date +%s%N)
        for _ in $(seq "$runs"); do "$exe" $command > /dev/null; done # shellcheck disable=SC2086
        echo "$command: wall $(( ($(date +%s%N) - start) / runs / 1000000 )) ms"
      done
    fi
  done
  echo "load after: $(uptime)"
done
