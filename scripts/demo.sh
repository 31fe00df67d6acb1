#!/usr/bin/env bash
# The main job: sets up the host, builds vnetctl, and shows the four network models and VMs with
# unique MACs on the local libvirtd. Everything it makes is named demo-* and removed at the end
# (pass --keep to leave it for a look with virsh).
set -euo pipefail
cd "$(dirname "$0")/.."

keep=false
[ "${1:-}" = "--keep" ] && keep=true

./scripts/setup-host.sh
swift build -c release --static-swift-stdlib
vnetctl="$(swift build -c release --static-swift-stdlib --show-bin-path)/vnetctl"
export LIBVIRT_DEFAULT_URI=qemu:///system

run() { printf '\n$ vnetctl %s\n' "$*"; "$vnetctl" "$@"; }

cleanup() {
    for vm in demo-web1 demo-web2 demo-multi; do "$vnetctl" undefine vm "$vm" --force >/dev/null 2>&1 || true; done
    for net in demo-isolated demo-routed demo-nat demo-bridged; do "$vnetctl" undefine network "$net" --force >/dev/null 2>&1 || true; done
    "$vnetctl" host-bridge delete demo-br0 >/dev/null 2>&1 || true
}
if [ "$keep" = false ]; then trap cleanup EXIT; fi
cleanup

run version
run templates

# The three models whose bridge libvirt creates: subnets planned to collide with nothing.
run define network demo-isolated --model isolated --subnet auto --start
run define network demo-routed --model routed --subnet auto --start
run define network demo-nat --model nat --subnet auto --domain demo.lab --start
# Bridged: guests join a host bridge. On a real host it would hold the uplink
# (host-bridge create br0 --uplink eth0); the demo's bridge has no uplink, so the host's own
# network is left alone.
run host-bridge create demo-br0 --persist none
run define network demo-bridged --model bridged --bridge demo-br0 --start
run list networks
run show network demo-routed

nat_subnet=$("$vnetctl" --json show network demo-nat | sed -n 's/.*"\([0-9.]*\)\.1\/24".*/\1/p' | head -1)
# Guests boot from the network (iPXE does DHCP); TCG keeps it working where nested KVM does not.
run define vm demo-web1 --network "demo-nat,ip=$nat_subnet.11" --set virtType=qemu --start --wait-ip 120
run define vm demo-web2 --network "demo-nat,ip=$nat_subnet.12" --set virtType=qemu --start --wait-ip 120
run leases demo-nat
# One VM on all four models, not started: four NICs, four MACs no one else on the host has.
run define vm demo-multi --network demo-isolated --network demo-routed --network demo-nat --network demo-bridged
run list vms
run macs --check
printf '\n$ virsh net-dhcp-leases demo-nat\n'
virsh net-dhcp-leases demo-nat
