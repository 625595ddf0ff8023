#!/usr/bin/env bash
# Records the .nettrace fixtures in tests/TraceQuery.Tests/Fixtures/nettrace from the programs beside this script,
# with dotnet-trace from the repository's tool manifest (.config/dotnet-tools.json), and saves dotnet-trace's own
# `report topN` (exclusive and inclusive) beside each file as the independently computed facts. The suite never
# runs this: it reads the committed files.   bash tests/fixture-programs/nettrace/record.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet tool restore > /dev/null
out=tests/TraceQuery.Tests/Fixtures/nettrace
mkdir -p "$out"
for program in hotloop asyncwork; do
  build="$(mktemp -d)"
  dotnet build "tests/fixture-programs/nettrace/$program" -c Release -o "$build" -v q --nologo > /dev/null
  providers=""
  [ "$program" = asyncwork ] && providers="--providers Fixture-Requests"
  # shellcheck disable=SC2086
  dotnet dotnet-trace collect --profile dotnet-sampled-thread-time,dotnet-common $providers \
    -o "$out/$program.nettrace" -- "$build/$program" > /dev/null
  dotnet dotnet-trace report "$out/$program.nettrace" topN -n 10 > "$out/$program.topN.txt"
  dotnet dotnet-trace report "$out/$program.nettrace" topN -n 10 --inclusive > "$out/$program.topN-inclusive.txt"
  rm -rf "$build" "$out/$program.nettrace.etlx"
done
ls -l "$out"
