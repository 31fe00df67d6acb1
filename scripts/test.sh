#!/usr/bin/env bash
# Sets up the host (packages, libvirtd) and runs every test: unit, binding (test:///default),
# integration (qemu:///system) and command-line tests. Run as root from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step says how long it took, so a slow run shows where the minutes went.
step() {
    local start=$SECONDS
    "$@"
    echo "test: ${SECONDS}s in all, $((SECONDS - start))s for: $*" >&2
}

step ./scripts/setup-host.sh
step swift build --build-tests
# The install test's release build runs beside the suites, which wait on guests and daemons more
# than they compute. It has a folder of its own (SwiftPM lets one process at a time use one) and
# a process group of its own, so that a failing run stops it.
export RELEASE_SCRATCH=.build-release
release_log=$(mktemp)
setsid make --no-print-directory build >"$release_log" 2>&1 &
release=$!
cleanup() { kill -- -"$release" 2>/dev/null || true; }
trap cleanup EXIT
# A second libvirt host on this machine (../shared/second-host.sh: its own network namespace and libvirtd),
# for the suites about remote and many hosts; they are skipped where the script is absent.
second_host=../shared/second-host.sh
if [ -x "$second_host" ] || [ -f "$second_host" ]; then
    bash "$second_host" stop vnh2 >/dev/null 2>&1 || true
    trap 'cleanup; bash "$second_host" stop vnh2 || true' EXIT
    export VNETCTL_SECOND_HOST="vnh2=$(bash "$second_host" start vnh2 1)"
else
    echo "test: $second_host not found; the remote-host suites are skipped" >&2
fi
step swift test --skip-build
# Tests that kill or reload libvirtd, or use the example lab's fixed names and subnets, run alone after the rest.
for suite in ExampleLabTests LibvirtdRestartTests ForwardHookTests; do
    step env VNETCTL_SOLO_TESTS=1 swift test --skip-build --filter "$suite"
done
release_built() {
    wait "$release" || { cat "$release_log" >&2; echo "test: the release build failed" >&2; return 1; }
}
step release_built
# The release build: make install/uninstall into a DESTDIR, then the .deb through apt-get.
step ./scripts/test-install.sh --deb
