#!/usr/bin/env bash
# Regenerates PerfettoSubset.cs from perfetto_subset.proto with the protoc that the Google.Protobuf.Tools package
# ships (restored by `dotnet restore benchmarks/TraceQuery.Benchmarks`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(grep -o 'Google.Protobuf.Tools" Version="[^"]*' "$here/../../../Directory.Packages.props" | sed 's/.*Version="//')"
tools="${NUGET_PACKAGES:-$HOME/.nuget/packages}/google.protobuf.tools/$version/tools"
case "$(uname -m)" in
  x86_64) arch=linux_x64 ;;
  aarch64) arch=linux_aarch64 ;;
  *) echo "no protoc for $(uname -m) in $tools" >&2; exit 1 ;;
esac
protoc="$tools/$arch/protoc"
[ -x "$protoc" ] || chmod +x "$protoc"
"$protoc" --proto_path="$here" --proto_path="$tools" --csharp_out="$here" \
  --csharp_opt=file_extension=.cs,base_namespace=TraceQuery.Benchmarks.PerfettoProtos "$here/perfetto_subset.proto"
echo "wrote $here/PerfettoSubset.cs (protoc $("$protoc" --version))"
