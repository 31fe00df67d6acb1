#!/usr/bin/env bash
# vnetctl at scale: 1000 defined (not running) VMs, vnetctl against `virsh list --all`, one run, ratios.
#
#   Benchmarks/scale.sh          # root, a running libvirtd, hyperfine, jq, GNU time
#
# Environment: VNB_URI (qemu:///system), VNB_VMS (1000), VNB_RUNS (10), VNB_WARMUP (2),
#              VNB_SKIP_BUILD=1 (reuse the release binary), VNB_OUT (Benchmarks/results/scale.md).
# Rows: virsh list --all (the yardstick); vnetctl list vms; vnetctl macs --check; vnetctl define vm
# --dry-run (the whole define with its MAC scan, minus the define call); define vm + undefine vm.
# Peak RSS per command from GNU time, libvirt round trips from VNETCTL_DEBUG_ROUNDTRIPS=1.
# Objects are named vnt-bench-s* on network vnt-bench-snet (10.123.248.0/24), never started, and
# removed on exit, also on failure or Ctrl-C. Nothing under Tests/ calls this; it asserts no timings.
set -euo pipefail

URI=${VNB_URI:-qemu:///system}
COUNT=${VNB_VMS:-1000}
RUNS=${VNB_RUNS:-10}
WARMUP=${VNB_WARMUP:-2}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${VNB_OUT:-$HERE/results/scale.md}
PREFIX=vnt-bench-s
NET=vnt-bench-snet
VIRSH=(virsh -q -c "$URI")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vnetctl-scale.XXXXXX")

for tool in hyperfine jq virsh swift /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "scale.sh: $tool is not installed" >&2; exit 2; }
done

remove_objects() {
    local names
    names=$("${VIRSH[@]}" list --all --name 2>/dev/null | grep "^$PREFIX" || true)
    if [ -n "$names" ]; then
        # One virsh process for all of them: 1000 undefines in a few seconds.
        echo "$names" | sed 's/^/undefine /; s/$/;/' | tr -d '\n' >"$WORK/undefine.cmds"
        "${VIRSH[@]}" "$(cat "$WORK/undefine.cmds")" >/dev/null 2>&1 || true
    fi
    "${VIRSH[@]}" net-undefine "$NET" >/dev/null 2>&1 || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    remove_objects
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log() { printf '\n== %s\n' "$*" >&2; }

remove_objects
cd "$ROOT"
if [ "${VNB_SKIP_BUILD:-0}" != 1 ]; then
    log "swift build -c release --static-swift-stdlib"
    swift build -c release --static-swift-stdlib >&2
fi
VNETCTL="$(swift build -c release --show-bin-path)/vnetctl"
V="$VNETCTL -c $URI"

log "defining network $NET and $COUNT VMs (one virsh process)"
echo "<network><name>$NET</name><bridge name='vntbs0'/><ip address='10.123.248.1' prefix='24'><dhcp><range start='10.123.248.100' end='10.123.248.200'/></dhcp></ip></network>" >"$WORK/net.xml"
"${VIRSH[@]}" net-define "$WORK/net.xml" >/dev/null
: >"$WORK/define.cmds"
for i in $(seq 1 "$COUNT"); do
    mac=$(printf '52:54:00:5c:%02x:%02x' $((i / 256)) $((i % 256)))
    printf "<domain type='qemu'><name>%s%04d</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><interface type='network'><mac address='%s'/><source network='%s'/><model type='virtio'/></interface></devices></domain>" \
        "$PREFIX" "$i" "$mac" "$NET" >"$WORK/d$i.xml"
    printf 'define %s;' "$WORK/d$i.xml" >>"$WORK/define.cmds"
done
"${VIRSH[@]}" "$(cat "$WORK/define.cmds")" >/dev/null
TOTAL=$("${VIRSH[@]}" list --all --name | grep -c .)
log "$TOTAL domains on $URI ($COUNT of them this run's)"

log "hyperfine, $RUNS runs"
hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/times.json" \
    -n "virsh list --all" "virsh -q -c $URI list --all" \
    -n "vnetctl list vms" "$V list vms" \
    -n "vnetctl macs --check" "$V macs --check" \
    -n "vnetctl define vm --dry-run" "$V define vm ${PREFIX}x --network $NET --memory 64MiB --dry-run" \
    >&2 || true
hyperfine --warmup 1 --runs "$RUNS" --export-json "$WORK/define.json" \
    -n "vnetctl define vm + undefine vm" "$V define vm ${PREFIX}y --network $NET --memory 64MiB && $V undefine vm ${PREFIX}y" >&2

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
trips() { VNETCTL_DEBUG_ROUNDTRIPS=1 "$@" 2>&1 >/dev/null | grep '^libvirt round trips' | sed 's/ (.*;/;/'; }
base=$(jq '.results[0].mean' "$WORK/times.json")
{
    echo "# vnetctl with $COUNT defined VMs"
    echo
    echo "$(date -u +%F), source $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg),"
    echo "$TOTAL domains on the connection, $RUNS runs each, release build."
    echo
    echo "| command | mean ms | × virsh list --all | peak RSS KiB |"
    echo "|---|---:|---:|---:|"
    cmds=("virsh -q -c $URI list --all" "$V list vms" "$V macs --check" "$V define vm ${PREFIX}x --network $NET --memory 64MiB --dry-run")
    for i in 0 1 2 3; do
        jq -r --argjson base "$base" --arg rss "$(rss ${cmds[$i]})" ".results[$i] | \"| \(.command) | \(.mean * 1000 | . * 10 | round / 10) | \(.mean / \$base * 100 | round / 100) | \(\$rss) |\"" "$WORK/times.json"
    done
    jq -r --argjson base "$base" '.results[0] | "| \(.command) | \(.mean * 1000 | . * 10 | round / 10) | \(.mean / $base * 100 | round / 100) | – |"' "$WORK/define.json"
    echo
    echo "Libvirt round trips (VNETCTL_DEBUG_ROUNDTRIPS=1):"
    echo
    echo "- list vms: $(trips $V list vms)"
    echo "- macs --check: $(trips $V macs --check)"
    echo "- define vm --dry-run: $(trips $V define vm ${PREFIX}x --network $NET --memory 64MiB --dry-run)"
} | tee "$OUT"
