#!/usr/bin/env bash
# Whole-process start-up of the tracequery CLI: `summary samples/indexer` against `--help`, both in the same run,
# for each build given, as ratios (issue 18: the summary of a small trace within 2x of --help).
#   bash benchmarks/cli-startup.sh [runs] [build dir...]
# A build dir holds a published TraceQuery.Cli (default: artifacts/cli/r2r and artifacts/cli/aot when present):
#   dotnet publish src/TraceQuery.Cli -c Release -r linux-x64 --self-contained false -o artifacts/cli/r2r
#   bash scripts/publish-aot.sh linux-x64 artifacts/cli/aot
# Uses hyperfine and python3 when installed (wall and user CPU per command); otherwise a plain loop measuring wall time only.
# The machine is shared: the load average is printed before and after, and only the ratios are comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shift || true
builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  for dir in artifacts/cli/r2r artifacts/cli/aot; do
    [ -x "$dir/TraceQuery.Cli" ] && builds+=("$dir")
  done
fi
[ ${#builds[@]} -gt 0 ] || { echo "no published build: see the usage at the top of $0"; exit 2; }

echo "load before: $(uptime)"
for dir in "${builds[@]}"; do
  exe="$dir/TraceQuery.Cli"
  echo "== $exe"
  if command -v hyperfine > /dev/null && command -v python3 > /dev/null; then
    json=$(mktemp)
    hyperfine -N -w 2 -r "$runs" --export-json "$json" "$exe --help" "$exe summary samples/indexer" "$exe info samples/indexer" > /dev/null
    # mean wall and user CPU per command, then the summary's ratios to --help
    python3 - "$json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for r in results:
    print(f"{r['command']:<60} wall {r['mean'] * 1000:8.1f} ± {r['stddev'] * 1000:6.1f} ms  user {r['user'] * 1000:7.1f} ms  system {r['system'] * 1000:6.1f} ms")
help_, summary = results[0], results[1]
print(f"summary / --help: wall {summary['mean'] / help_['mean']:.2f}x (medians {summary['median'] / help_['median']:.2f}x), user CPU {summary['user'] / help_['user']:.2f}x")
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
