#!/usr/bin/env bash
# Runs the bindings' leak-check program under valgrind and fails when any byte is definitely lost.
# Usage: scripts/leak-check.sh [URI [ITERATIONS]]   (default: test:///default 1000)
# Leaks valgrind attributes to libvirt or glib themselves (one-time caches, "possibly lost") are
# reported but do not fail the run; "definitely lost" does, wherever it comes from.
set -euo pipefail
cd "$(dirname "$0")/.."

uri=${1:-test:///default}
iterations=${2:-1000}
swift build --product vnet-leakcheck >/dev/null
binary=$(swift build --show-bin-path)/vnet-leakcheck
log=$(mktemp /tmp/vnet-leakcheck.XXXXXX.log)

valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite \
    --error-exitcode=3 --log-file="$log" "$binary" "$uri" "$iterations" || status=$?
grep -E "definitely lost|indirectly lost|possibly lost|still reachable|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== //'
if [ "${status:-0}" -ne 0 ]; then
    echo "leak check FAILED (exit ${status}); full report: $log" >&2
    exit 1
fi
echo "leak check passed: $iterations iterations on $uri, no definitely-lost bytes (report: $log)"
