#!/usr/bin/env bash
# Installs the fuzzing tools from the package registries: AFL++ from Debian (apt-get) and the SharpFuzz
# instrumenter from NuGet (dotnet tool, into fuzz/.tools). Safe to run again; needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v afl-fuzz >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq afl++ >/dev/null
fi
if [ ! -x .tools/sharpfuzz ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path .tools >/dev/null
fi
echo "afl-fuzz: $(command -v afl-fuzz); sharpfuzz: $(pwd)/.tools/sharpfuzz"
