#!/bin/bash
# Records a Perfetto protobuf trace of Debian's headless chromium loading site/index.html (served on loopback),
# then gzips it. Usage: record.sh OUT.pftrace.gz [categories]
# Not run by the suite (CI has no chromium): the recorded file is committed beside facts.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?output .pftrace.gz}
cats=${2:-toplevel,toplevel.flow,disabled-by-default-toplevel.flow,blink.user_timing,v8.execute,devtools.timeline}
tmp=$(mktemp -d)
python3 -m http.server 8766 --bind 127.0.0.1 --directory "$here/site" >"$tmp/http.log" 2>&1 &
srv=$!
sleep 1
set +e
timeout 25 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/ud" \
  --disable-extensions --disable-background-networking --disable-component-update --disable-sync \
  --disable-default-apps --no-default-browser-check \
  --trace-startup="$cats" --trace-startup-format=proto --trace-startup-file="$tmp/trace.pftrace" \
  --trace-startup-duration=3 http://127.0.0.1:8766/index.html >"$tmp/chromium.log" 2>&1
echo "chromium exit: $? (124 = stopped by timeout after the trace was written)"
set -e
kill "$srv"; wait "$srv" 2>/dev/null || true
gzip -9 -n -c "$tmp/trace.pftrace" >"$out"
ls -l "$tmp/trace.pftrace" "$out"
rm -rf "$tmp"
