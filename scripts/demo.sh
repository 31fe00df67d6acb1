#!/usr/bin/env bash
# Sets up the host, builds vnetctl and shows what it sees on the local libvirtd.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-host.sh
swift build -c release
vnetctl=.build/release/vnetctl

run() { printf '\n$ vnetctl %s\n' "$*"; "$vnetctl" "$@"; }
run version
run --connect qemu:///system list
run --connect test:///default list
run --connect test:///default dumpxml network default
