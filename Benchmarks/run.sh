#!/usr/bin/env bash
# vnetctl benchmarks: vnetctl side by side with virsh and libvirt's C API, in one run, as ratios.
#
#   Benchmarks/run.sh            # needs root, a running libvirtd, hyperfine, gcc, libvirt-dev
#
# Environment: VNB_URI (qemu:///system), VNB_RUNS (20), VNB_WARMUP (3),
#              VNB_OUT (Benchmarks/results/latest.md), VNB_SKIP_BUILD=1 (reuse the release binary).
# Not part of the test suite: nothing under Tests/ calls it, and it asserts no timings.
#
# Every object it makes is named vnt-bench-* (bridges vntb*), uses 10.123.240-249.x and is never
# started (no bridge, no dnsmasq). All of them are removed on exit, also on failure or Ctrl-C.
set -euo pipefail

URI=${VNB_URI:-qemu:///system}
RUNS=${VNB_RUNS:-20}
WARMUP=${VNB_WARMUP:-3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${VNB_OUT:-$HERE/results/latest.md}
PREFIX=vnt-bench-

for tool in hyperfine gcc pkg-config virsh jq swift; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vnetctl-bench.XXXXXX")   # C binaries, XML files, JSON: never in the repo
VIRSH=(virsh -q -c "$URI")

# --- cleanup: every vnt-bench-* domain, then network; touches nothing else -------------------------
remove_bench_objects() {
    local name
    for name in $("${VIRSH[@]}" list --all --name 2>/dev/null | grep "^$PREFIX" || true); do
        "${VIRSH[@]}" destroy "$name" >/dev/null 2>&1 || true
        "${VIRSH[@]}" undefine "$name" --nvram >/dev/null 2>&1 || "${VIRSH[@]}" undefine "$name" >/dev/null 2>&1 || true
    done
    for name in $("${VIRSH[@]}" net-list --all --name 2>/dev/null | grep "^$PREFIX" || true); do
        "${VIRSH[@]}" net-destroy "$name" >/dev/null 2>&1 || true
        "${VIRSH[@]}" net-undefine "$name" >/dev/null 2>&1 || true
    done
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    remove_bench_objects
    local left
    left=$( { "${VIRSH[@]}" list --all --name; "${VIRSH[@]}" net-list --all --name; } 2>/dev/null | grep -c "^$PREFIX" || true)
    [ "$left" = 0 ] || echo "run.sh: WARNING: $left $PREFIX* object(s) could not be removed" >&2
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '\n== %s\n' "$*" >&2; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
DIRTY=$(git -C "$ROOT" --no-optional-locks status --porcelain -- Sources Package.swift Package.resolved 2>/dev/null | grep -c . || true)
[ "$DIRTY" = 0 ] || GIT_REV="$GIT_REV + $DIRTY uncommitted change(s) under Sources/ (built as found)"
remove_bench_objects   # leftovers of an earlier run that was killed with -9

# --- build -----------------------------------------------------------------------------------------
cd "$ROOT"
if [ "${VNB_SKIP_BUILD:-0}" != 1 ]; then
    log "swift build -c release --static-swift-stdlib"
    swift build -c release --static-swift-stdlib >&2
fi
VNETCTL="$(swift build -c release --show-bin-path)/vnetctl"
[ -x "$VNETCTL" ] || { echo "run.sh: no release binary at $VNETCTL" >&2; exit 1; }

log "building the C API programs in $WORK"
LIBVIRT_FLAGS=$(pkg-config --cflags --libs libvirt)
for prog in list netdef domdef version topology; do
    # shellcheck disable=SC2086
    gcc -O2 -Wall -Wextra -o "$WORK/vnb-$prog" "$HERE/capi/$prog.c" $LIBVIRT_FLAGS
done
# shellcheck disable=SC2086
gcc -O2 -Wall -Wextra -o "$WORK/vnb-validate" "$HERE/capi/validate.c" $(pkg-config --cflags --libs libxml-2.0)

# --- fixtures (XML files) --------------------------------------------------------------------------
net_xml() { # NAME BRIDGE THIRD-OCTET
    printf "<network><name>%s</name><bridge name='%s' stp='off' delay='0'/><ip address='10.123.%s.1' prefix='24'><dhcp><range start='10.123.%s.2' end='10.123.%s.254'/></dhcp></ip></network>\n" \
        "$1" "$2" "$3" "$3" "$3"
}
dom_xml() { # NAME NETWORK  (the shape vnetctl's pxe template renders, and capi/domdef.c defines)
    printf "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><boot dev='network'/></os><features><acpi/><apic/></features><on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash><devices><interface type='network'><source network='%s'/><model type='virtio'/></interface><serial type='pty'/><console type='pty'/></devices></domain>\n" \
        "$1" "$2"
}
net_xml vnt-bench-s vntbs 242 >"$WORK/virsh-net.xml"
dom_xml vnt-bench-sd vnt-bench-dnet >"$WORK/virsh-dom.xml"
"$VNETCTL" -c "$URI" define network vnt-bench-x --model isolated --subnet 10.123.241.0/24 --dry-run >"$WORK/validate-net.xml"

HF=(hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS")
V="$VNETCTL -c $URI"
S="virsh -q -c $URI"
C="$WORK"

bench() { # ID then hyperfine -n/command pairs
    local id=$1; shift
    log "$id"
    "${HF[@]}" --export-json "$WORK/$id.json" "$@" >&2
}

# --- benchmarks ------------------------------------------------------------------------------------
count_objects() { echo "$("${VIRSH[@]}" net-list --all --name | grep -c . || true) networks, $("${VIRSH[@]}" list --all --name | grep -c . || true) domains"; }
HOST_OBJECTS=$(count_objects)

bench list \
    -n vnetctl "$V list" \
    -n virsh "$S net-list --all && $S list --all" \
    -n C "$C/vnb-list $URI"

# The same listing with 10 more (inactive) networks and 3 more domains defined.
for i in 0 1 2 3 4 5 6 7 8 9; do net_xml "vnt-bench-l$i" "vntbl$i" $((240 + i)) >"$WORK/l$i.xml"; "${VIRSH[@]}" net-define "$WORK/l$i.xml" >/dev/null; done
for i in 0 1 2; do dom_xml "vnt-bench-ld$i" vnt-bench-l0 >"$WORK/ld$i.xml"; "${VIRSH[@]}" define "$WORK/ld$i.xml" >/dev/null; done
LOADED_OBJECTS=$(count_objects)
bench list-loaded \
    -n vnetctl "$V list" \
    -n virsh "$S net-list --all && $S list --all" \
    -n C "$C/vnb-list $URI"
remove_bench_objects

bench net-define \
    -n vnetctl "$V define network vnt-bench-v --model isolated --subnet 10.123.241.0/24 && $V undefine network vnt-bench-v" \
    -n virsh "$S net-define $WORK/virsh-net.xml && $S net-undefine vnt-bench-s" \
    -n C "$C/vnb-netdef $URI 1"

bench net-define-10 \
    -n C "$C/vnb-netdef $URI 10"

bench net-dry-run \
    -n vnetctl "$V define network vnt-bench-v --model isolated --subnet 10.123.241.0/24 --dry-run"

net_xml vnt-bench-dnet vntbd 249 >"$WORK/dnet.xml"
"${VIRSH[@]}" net-define "$WORK/dnet.xml" >/dev/null
bench vm-define \
    -n vnetctl "$V define vm vnt-bench-vd --network vnt-bench-dnet --memory 64MiB && $V undefine vm vnt-bench-vd" \
    -n virsh "$S define $WORK/virsh-dom.xml && $S undefine vnt-bench-sd" \
    -n C "$C/vnb-domdef $URI vnt-bench-dnet vnt-bench-cd"
bench vm-dry-run \
    -n vnetctl "$V define vm vnt-bench-vd --network vnt-bench-dnet --memory 64MiB --dry-run"
remove_bench_objects

# apply: a file of 3 networks (isolated, routed, nat) and 4 VMs, none started, made from nothing and
# torn down again; the same objects as one virsh process (commands joined by ';') and as one C
# program on one connection. Then the same file applied again, when nothing is to change.
{
    echo "name: vnt-bench-topo"
    echo "networks:"
    for i in 0 1 2; do
        model=$(echo isolated routed nat | cut -d' ' -f$((i + 1)))
        echo "  - { name: vnt-bench-tn$i, model: $model, subnet: 10.123.$((243 + i)).0/24, bridge: vntbt$i, start: false }"
    done
    echo "vms:"
    for i in 0 1 2 3; do
        echo "  - { name: vnt-bench-tv$i, memory: 64MiB, start: false, set: { virtType: qemu }, nics: [{ network: vnt-bench-tn$((i % 3)) }] }"
    done
} >"$WORK/topo.yaml"
VIRSH_UP="" VIRSH_DOWN_VMS="" VIRSH_DOWN_NETS="" VIRSH_READ=""
for i in 0 1 2; do
    net_xml "vnt-bench-sn$i" "vntbs$i" $((246 + i)) >"$WORK/sn$i.xml"
    VIRSH_UP+="net-define $WORK/sn$i.xml; "
    VIRSH_DOWN_NETS+="net-undefine vnt-bench-sn$i; "
    VIRSH_READ+="net-dumpxml --inactive vnt-bench-tn$i; "
done
for i in 0 1 2 3; do
    dom_xml "vnt-bench-sv$i" "vnt-bench-sn$((i % 3))" >"$WORK/sv$i.xml"
    VIRSH_UP+="define $WORK/sv$i.xml; "
    VIRSH_DOWN_VMS+="undefine vnt-bench-sv$i; "
    VIRSH_READ+="dumpxml --inactive vnt-bench-tv$i; "
done
bench apply \
    -n vnetctl "$V apply -f $WORK/topo.yaml && $V teardown -f $WORK/topo.yaml" \
    -n virsh "$S '$VIRSH_UP$VIRSH_DOWN_VMS$VIRSH_DOWN_NETS'" \
    -n C "$C/vnb-topology $URI define 3 4"
$V apply -f "$WORK/topo.yaml" >/dev/null
bench apply-again \
    -n vnetctl "$V apply -f $WORK/topo.yaml" \
    -n virsh "$S '$VIRSH_READ'" \
    -n C "$C/vnb-topology $URI read 3 4"
remove_bench_objects

bench version \
    -n vnetctl "$V version" \
    -n virsh "$S version" \
    -n C "$C/vnb-version $URI"

bench validate \
    -n vnetctl "$VNETCTL validate $WORK/validate-net.xml" \
    -n virsh "virt-xml-validate $WORK/validate-net.xml network" \
    -n C "$C/vnb-validate /usr/share/libvirt/schemas/network.rng $WORK/validate-net.xml"

bench no-connection \
    -n vnetctl "$VNETCTL templates"

# CPU time in the vnetctl process itself (task-clock) against wall time: the rest is waiting on libvirtd.
PERF_ROWS=""
if command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
    log "perf stat"
    perf_row() { # LABEL COMMAND...
        local label=$1; shift
        local csv
        csv=$(perf stat -x, -r "$RUNS" -e task-clock "$@" 2>&1 >/dev/null | grep task-clock | tail -1)
        PERF_ROWS+="| $label | ${csv%%,*} |"$'\n'
    }
    perf_row "vnetctl templates (no connection)" $VNETCTL templates
    perf_row "vnetctl version" $VNETCTL -c "$URI" version
    perf_row "vnetctl list" $VNETCTL -c "$URI" list
    perf_row "vnetctl define network --dry-run" $VNETCTL -c "$URI" define network vnt-bench-v --model isolated --subnet 10.123.241.0/24 --dry-run
    perf_row "vnetctl validate (network.rng)" $VNETCTL validate "$WORK/validate-net.xml"
    perf_row "C list" "$C/vnb-list" "$URI"
    perf_row "C version" "$C/vnb-version" "$URI"
fi

# --- report ----------------------------------------------------------------------------------------
mean_ms() { # ID NAME -> mean in ms, or empty
    jq -r --arg n "$2" '.results[] | select(.command == $n) | (.mean * 1000 * 100 | round / 100)' "$WORK/$1.json" 2>/dev/null || true
}
sd_ms() {
    jq -r --arg n "$2" '.results[] | select(.command == $n) | (.stddev * 1000 * 10 | round / 10)' "$WORK/$1.json" 2>/dev/null || true
}
cell() { local m s; m=$(mean_ms "$1" "$2"); s=$(sd_ms "$1" "$2"); [ -n "$m" ] && echo "$m ± $s" || echo "–"; }
ratio() { local a b; a=$(mean_ms "$1" "$2"); b=$(mean_ms "$1" C); [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}' || echo "–"; }
row() { # ID LABEL
    echo "| $2 | $(cell "$1" vnetctl) | $(cell "$1" virsh) | $(cell "$1" C) | $(ratio "$1" vnetctl) | $(ratio "$1" virsh) |"
}

TABLE=$(
    echo "| operation | vnetctl mean ms | virsh mean ms | C API mean ms | vnetctl/C | virsh/C |"
    echo "|---|---:|---:|---:|---:|---:|"
    row list "list networks+VMs with XML (host as found: $HOST_OBJECTS)"
    row list-loaded "list networks+VMs with XML (+10 networks, +3 VMs: $LOADED_OBJECTS)"
    row net-define "define + undefine 1 isolated network"
    row vm-define "define + undefine 1 VM (qemu, 64 MiB, 1 NIC)"
    row apply "apply a file of 3 networks + 4 VMs from nothing, then teardown (nothing started)"
    row apply-again "apply the same file again: nothing to change"
    row version "version (connect + 3 queries: the floor)"
    row validate "validate 1 network XML (virsh column: virt-xml-validate; C: libxml2)"
    echo "| define network --dry-run (plan+render+validate, no define) | $(cell net-dry-run vnetctl) | – | – | – | – |"
    echo "| define vm --dry-run (MAC scan+render+validate, no define) | $(cell vm-dry-run vnetctl) | – | – | – | – |"
    echo "| templates (process start, no libvirt connection) | $(cell no-connection vnetctl) | – | – | – | – |"
    echo "| C: define + undefine 10 networks on one connection | – | – | $(cell net-define-10 C) | – | – |"
)

LIBVIRT_VERSION=$("${VIRSH[@]}" version 2>/dev/null | tr '\n' ';' | sed 's/;$//; s/;/; /g')
mkdir -p "$(dirname "$OUT")"
{
    echo "# vnetctl benchmark results"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -srm); nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- load average: $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the host adds noise)"
    echo "- libvirt: $LIBVIRT_VERSION"
    echo "- vnetctl: $("$VNETCTL" -c "$URI" --json version 2>/dev/null | jq -r .vnetctl 2>/dev/null || echo '?') (release build, --static-swift-stdlib, $(swift --version 2>&1 | head -1))"
    echo "- source: $GIT_REV"
    echo "- hyperfine $(hyperfine --version | cut -d' ' -f2): --warmup $WARMUP --runs $RUNS, URI $URI"
    echo
    echo "Mean ± standard deviation of wall time per command, in milliseconds. Ratios are of means."
    echo
    echo "$TABLE"
    if [ -n "$PERF_ROWS" ]; then
        echo
        echo "CPU time inside the process (perf stat task-clock, mean of $RUNS runs):"
        echo
        echo "| command | task-clock ms |"
        echo "|---|---:|"
        printf '%s' "$PERF_ROWS"
    fi
} >"$OUT"

echo
cat "$OUT"
echo
echo "results written to $OUT" >&2
