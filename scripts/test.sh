#!/usr/bin/env bash
# Sets up the host (packages, libvirtd) and runs every test: unit, binding (test:///default),
# integration (qemu:///system) and command-line tests. Run as root from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-host.sh
swift build --build-tests
swift test --skip-build
# Tests that kill or reload libvirtd, or use the example lab's fixed names and subnets, run alone after the rest.
for suite in ExampleLabTests LibvirtdRestartTests ForwardHookTests; do
    VNETCTL_SOLO_TESTS=1 swift test --skip-build --filter "$suite"
done
# One release build: make install/uninstall into a DESTDIR, then the .deb through apt-get.
./scripts/test-install.sh --deb
