#!/usr/bin/env bash
# A long run of vnetctl's in-process fuzz targets (Tests/VNetCoreTests/Fuzz, Tests/CLITests/
# CommandLineFuzzTests): topology YAML and JSON, command-line values, libvirt XML, command lines.
#
#   Benchmarks/fuzz.sh [ITERATIONS [SEED]]     # default 100000 per parser, a seed from the clock
#
# CI runs the same tests with a fixed seed and 300 inputs per parser. No daemon, no host state; the
# slowest input of each parser is printed. Exit status is the test run's.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$(dirname "$HERE")"
ITERATIONS=${1:-100000}
SEED=${2:-$(date +%s)}
echo "fuzz.sh: $ITERATIONS inputs per parser, seed $SEED (rerun with: Benchmarks/fuzz.sh $ITERATIONS $SEED)"
swift build --build-tests
VNETCTL_FUZZ_ITERATIONS=$ITERATIONS VNETCTL_FUZZ_SEED=$SEED \
    swift test --skip-build --filter 'ParserFuzzTests|CommandLineFuzzTests' 2>&1 | grep -E 'FuzzTests:|✘|✔ Suite|error'
