#!/usr/bin/env bash
# vnetctl benchmarks: vnetctl side by side with virsh and small C programs on libvirt's API, on the
# same calls, in one run, at 10, 100 and 1000 defined VMs: medians, min-max, ratios, peak RSS,
# instruction counts (callgrind, which load on the host does not change) and the binary's size.
#
#   Benchmarks/run.sh            # needs root, a running libvirtd, python3, gcc, libvirt-dev; valgrind optional
#
# Environment: VNB_URI (qemu:///system), VNB_SCALES ("10 100 1000"), VNB_RUNS (15), VNB_WARMUP (2),
#              VNB_OUT (Benchmarks/results/latest.md), VNB_SKIP_BUILD=1 (reuse the release binary),
#              VNB_VNETCTL (a vnetctl binary to time instead of the release build), VNB_CALLGRIND=0 (skip).
# Not part of the test suite: nothing under Tests/ calls it, and it asserts no timings.
#
# Every object it makes is named vnt-bench-* (bridges vntb*), uses 10.123.240-249.x and is never
# started (no bridge, no dnsmasq). All of them are removed on exit, also on failure or Ctrl-C.
set -euo pipefail

URI=${VNB_URI:-qemu:///system}
SCALES=${VNB_SCALES:-10 100 1000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${VNB_OUT:-$HERE/results/latest.md}
PREFIX=vnt-bench-
NET=vnt-bench-snet

for tool in python3 gcc pkg-config virsh swift strip; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vnetctl-bench.XXXXXX")   # C binaries, XML files, JSON: never in the repo
VIRSH=(virsh -q -c "$URI")

# --- cleanup: every vnt-bench-* domain, then network; touches nothing else -------------------------
remove_bench_objects() {
    local names
    names=$("${VIRSH[@]}" list --all --name 2>/dev/null | grep "^$PREFIX" || true)
    if [ -n "$names" ]; then
        # One virsh process for all of them: 1000 undefines in a few seconds.
        "${VIRSH[@]}" "$(echo "$names" | sed 's/^/undefine /; s/$/;/' | tr -d '\n')" >/dev/null 2>&1 || true
    fi
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
DIRTY=$(git -C "$ROOT" --no-optional-locks status --porcelain -- Sources Package.swift 2>/dev/null | grep -c . || true)
[ "$DIRTY" = 0 ] || GIT_REV="$GIT_REV + $DIRTY uncommitted change(s) under Sources/ (built as found)"
remove_bench_objects   # leftovers of an earlier run that was killed with -9

# --- build -----------------------------------------------------------------------------------------
cd "$ROOT"
if [ -n "${VNB_VNETCTL:-}" ]; then
    VNETCTL=$VNB_VNETCTL
    GIT_REV="binary $VNETCTL"
else
    if [ "${VNB_SKIP_BUILD:-0}" != 1 ]; then
        log "swift build -c release --static-swift-stdlib --product vnetctl"
        swift build -c release --static-swift-stdlib --product vnetctl >&2
    fi
    VNETCTL="$(swift build -c release --static-swift-stdlib --show-bin-path)/vnetctl"
fi
[ -x "$VNETCTL" ] || { echo "run.sh: no vnetctl binary at $VNETCTL" >&2; exit 1; }
# The stripped binary, alone in a directory of its own: what the Ansible module copies and runs.
mkdir "$WORK/alone"
strip -o "$WORK/alone/vnetctl" "$VNETCTL"
ALONE_VERSION=$(cd "$WORK/alone" && env -i PATH=/usr/bin:/bin ./vnetctl --version 2>&1) || ALONE_VERSION="does not run: $ALONE_VERSION"
SIZE=$(stat -c %s "$VNETCTL")
STRIPPED=$(stat -c %s "$WORK/alone/vnetctl")
SHARED=$(ldd "$VNETCTL" | grep -c '=>' || true)

log "building the C programs in $WORK"
LIBVIRT_FLAGS=$(pkg-config --cflags --libs libvirt)
for prog in list netdef domdef version topology dumpxml; do
    # shellcheck disable=SC2086
    gcc -O2 -Wall -Wextra -o "$WORK/vnb-$prog" "$HERE/capi/$prog.c" $LIBVIRT_FLAGS
done

# --- fixtures --------------------------------------------------------------------------------------
net_xml() { # NAME BRIDGE THIRD-OCTET
    printf "<network><name>%s</name><bridge name='%s' stp='off' delay='0'/><ip address='10.123.%s.1' prefix='24'><dhcp><range start='10.123.%s.2' end='10.123.%s.254'/></dhcp></ip></network>\n" \
        "$1" "$2" "$3" "$3" "$3"
}
dom_xml() { # NAME NETWORK [MAC]  (the shape vnetctl's pxe template renders, and capi/domdef.c defines)
    local mac=""
    [ -z "${3:-}" ] || mac="<mac address='$3'/>"
    printf "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><boot dev='network'/></os><features><acpi/><apic/></features><on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash><devices><interface type='network'>%s<source network='%s'/><model type='virtio'/></interface><serial type='pty'/><console type='pty'/></devices></domain>\n" \
        "$1" "$mac" "$2"
}
net_xml "$NET" vntbs0 248 >"$WORK/snet.xml"
"${VIRSH[@]}" net-define "$WORK/snet.xml" >/dev/null
net_xml vnt-bench-w vntbw 242 >"$WORK/virsh-net.xml"
dom_xml vnt-bench-sd "$NET" >"$WORK/virsh-dom.xml"
cat >"$WORK/topo.yaml" <<YAML
name: vnt-bench-topo
networks:
  - { name: vnt-bench-tn0, model: isolated, subnet: 10.123.243.0/24, bridge: vntbt0, start: false }
vms:
  - { name: vnt-bench-tv0, memory: 64MiB, start: false, set: { virtType: qemu }, nics: [{ network: vnt-bench-tn0 }] }
YAML
"$VNETCTL" -c "$URI" apply -f "$WORK/topo.yaml" >/dev/null

V="$VNETCTL -c $URI"
S="virsh -q -c $URI"
C="$WORK"
VM1=vnt-bench-s0001
rows_json() { # the rows of one scale, as measure.py reads them
    python3 - "$@" <<'PY'
import json, sys
V, S, C, URI, NET, VM1, WORK = sys.argv[1:8]
def row(id, label, vnetctl=None, virsh=None, c=None, reset=None):
    cmds = {k: v for k, v in (("vnetctl", vnetctl), ("virsh", virsh), ("C", c)) if v}
    return {"id": id, "label": label, "cmds": cmds, **({"reset": reset} if reset else {})}
print(json.dumps([
    row("help-version", "--version (no connection)", f"{V.split()[0]} --version", "virsh --version", f"{C}/vnb-version --local"),
    row("version", "version", f"{V} version", f"{S} version", f"{C}/vnb-version {URI}"),
    row("list-vms", "list vms / list --all", f"{V} list vms", f"{S} list --all", f"{C}/vnb-list {URI}"),
    row("list-networks", "list networks / net-list --all", f"{V} list networks", f"{S} net-list --all"),
    row("show-vm", "show vm / dominfo; domiflist", f"{V} show vm {VM1}", f"{S} 'dominfo {VM1}; domiflist {VM1}'"),
    row("show-network", "show network / net-info; net-dhcp-leases", f"{V} show network {NET}", f"{S} 'net-info {NET}; net-dhcp-leases {NET}'"),
    row("dumpxml", "dumpxml vm / dumpxml", f"{V} dumpxml vm {VM1}", f"{S} dumpxml {VM1}", f"{C}/vnb-dumpxml {URI} {VM1}"),
    row("net-define", "define + undefine network (2 processes; C: 1)",
        f"{V} define network vnt-bench-v --model isolated --subnet 10.123.241.0/24 && {V} undefine network vnt-bench-v",
        f"{S} net-define {WORK}/virsh-net.xml && {S} net-undefine vnt-bench-w", f"{C}/vnb-netdef {URI} 1"),
    row("vm-define", "define + undefine VM (2 processes; C: 1)",
        f"{V} define vm vnt-bench-vd --network {NET} --memory 64MiB && {V} undefine vm vnt-bench-vd",
        f"{S} define {WORK}/virsh-dom.xml && {S} undefine vnt-bench-sd", f"{C}/vnb-domdef {URI} {NET} vnt-bench-cd"),
    row("vm-define-only", "define vm (MAC scan + define; undefined untimed after each run) / list --all",
        f"{V} define vm vnt-bench-vd --network {NET} --memory 64MiB", f"{S} list --all", f"{C}/vnb-list {URI}",
        reset={"vnetctl": f"{S} undefine vnt-bench-vd"}),
    row("vm-dry-run", "define vm --dry-run (MAC scan, no define) / list --all",
        f"{V} define vm vnt-bench-vx --network {NET} --memory 64MiB --dry-run", f"{S} list --all", f"{C}/vnb-list {URI}"),
    row("macs-check", "macs --check / list --all", f"{V} macs --check", f"{S} list --all", f"{C}/vnb-list {URI}"),
    row("apply-noop", "no-op apply (1 network, 1 VM) / dumpxml both",
        f"{V} apply -f {WORK}/topo.yaml",
        f"{S} 'net-dumpxml --inactive vnt-bench-tn0; dumpxml --inactive vnt-bench-tv0'", f"{C}/vnb-topology {URI} read 1 1"),
]))
PY
}

# --- instructions (callgrind): the client process only, immune to load -------------------------------
CALLGRIND=""
CALLGRIND_SCALE=""
callgrind_rows() {
    command -v valgrind >/dev/null || return 0
    log "callgrind"
    # valgrind 3.19 gives up on the debug info lld writes ("Possibly corrupted debuginfo file"):
    # count a copy without it (the same code and symbols).
    strip --strip-debug -o "$WORK/vnetctl-nodebug" "$VNETCTL"
    local VNETCTL="$WORK/vnetctl-nodebug"
    local V="$VNETCTL -c $URI"
    # A command's own exit status (macs --check finds duplicates of other objects) is not the count's.
    instructions() { { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } | sed -n 's/.*Collected : //p'; }
    cg_row() { # LABEL VNETCTL-CMD VIRSH-CMD C-CMD
        local a b c
        # shellcheck disable=SC2086
        a=$(instructions $2); b=$(instructions $3); c=${4:+$(instructions $4)}
        CALLGRIND+="| $1 | $a | $b | ${c:-–} | $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}') |"$'\n'
    }
    cg_row "--version" "$VNETCTL --version" "virsh --version" "$C/vnb-version --local"
    cg_row "version" "$V version" "$S version" "$C/vnb-version $URI"
    cg_row "list vms / list --all" "$V list vms" "$S list --all" "$C/vnb-list $URI"
    cg_row "dumpxml vm" "$V dumpxml vm $VM1" "$S dumpxml $VM1" "$C/vnb-dumpxml $URI $VM1"
    cg_row "list networks / net-list --all" "$V list networks" "$S net-list --all"
    cg_row "show vm / dominfo" "$V show vm $VM1" "$S dominfo $VM1"
    cg_row "macs --check / list --all" "$V macs --check" "$S list --all" "$C/vnb-list $URI"
    cg_row "define vm --dry-run / list --all" "$V define vm vnt-bench-vx --network $NET --memory 64MiB --dry-run" "$S list --all" "$C/vnb-list $URI"
    cg_row "no-op apply / dumpxml --inactive" "$V apply -f $WORK/topo.yaml" "$S dumpxml --inactive vnt-bench-tv0" "$C/vnb-topology $URI read 1 1"
}

# --- the run: define VMs up to each scale, measure every row -----------------------------------------
defined=0
RESULTS=()
for scale in $SCALES; do
    want=$((scale - 1))   # this run's VMs: the topology file's one and vnt-bench-s0001..
    if [ "$want" -gt "$defined" ]; then
        log "defining VMs $((defined + 1))..$want on $NET (one virsh process)"
        : >"$WORK/define.cmds"
        for i in $(seq $((defined + 1)) "$want"); do
            dom_xml "$(printf 'vnt-bench-s%04d' "$i")" "$NET" "$(printf '52:54:00:5c:%02x:%02x' $((i / 256)) $((i % 256)))" >"$WORK/d$i.xml"
            printf 'define %s;' "$WORK/d$i.xml" >>"$WORK/define.cmds"
        done
        "${VIRSH[@]}" "$(cat "$WORK/define.cmds")" >/dev/null
        defined=$want
    fi
    total=$("${VIRSH[@]}" list --all --name | grep -c . || true)
    log "scale $scale: $total domains on $URI, load $(cut -d' ' -f1-3 /proc/loadavg)"
    rows_json "$V" "$S" "$C" "$URI" "$NET" "$VM1" "$WORK" >"$WORK/rows-$scale.json"
    python3 "$HERE/measure.py" "$WORK/rows-$scale.json" "$WORK/results-$scale.json"
    trips=""
    for cmd in "list vms" "macs --check" "define vm vnt-bench-vx --network $NET --memory 64MiB --dry-run" "apply -f $WORK/topo.yaml"; do
        # shellcheck disable=SC2086
        line=$(VNETCTL_DEBUG_ROUNDTRIPS=1 $V $cmd 2>&1 >/dev/null | grep '^libvirt round trips' || true)
        label=${cmd%% --network*}
        trips+="${label%% -f*}: ${line:-?}"$'\n'
    done
    # shellcheck disable=SC2086
    line=$(VNETCTL_DEBUG_ROUNDTRIPS=1 $V define vm vnt-bench-vd --network "$NET" --memory 64MiB 2>&1 >/dev/null | grep '^libvirt round trips' || true)
    $S undefine vnt-bench-vd >/dev/null 2>&1 || true
    trips+="define vm vnt-bench-vd (defines): ${line:-?}"$'\n'
    echo "$trips" >"$WORK/trips-$scale.txt"
    echo "$total" >"$WORK/total-$scale.txt"
    [ "${#RESULTS[@]}" != 0 ] || [ "${VNB_CALLGRIND:-1}" != 1 ] || { callgrind_rows; CALLGRIND_SCALE=$scale; }
    RESULTS+=("$scale")
done

# --- report ----------------------------------------------------------------------------------------
LIBVIRT_VERSION=$("${VIRSH[@]}" version 2>/dev/null | tr '\n' ';' | sed 's/;$//; s/;/; /g')
mkdir -p "$(dirname "$OUT")"
{
    echo "# vnetctl benchmark results"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -srm); nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "- load average: $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the host adds noise)"
    echo "- libvirt: $LIBVIRT_VERSION"
    echo "- vnetctl: $("$VNETCTL" --version) ($(swift --version 2>&1 | head -1)), source $GIT_REV"
    echo "- binary: $SIZE bytes, $STRIPPED stripped ($(awk -v s="$STRIPPED" 'BEGIN{printf "%.1f", s/1048576}') MiB), $SHARED shared libraries (ldd); stripped, alone in an empty directory with an empty environment, \`--version\` printed: $ALONE_VERSION"
    echo "- runs: ${VNB_RUNS:-15} per command after ${VNB_WARMUP:-2} warm-up, the three tools alternating in rotating order (measure.py)"
    echo
    echo "Wall time per command in ms: median (min-max); peak RSS in MiB (median). Ratios are of medians."
    echo "virsh and C commands that differ from the row's name are in the row label."
    for scale in "${RESULTS[@]}"; do
        echo
        echo "## $scale defined VMs ($(cat "$WORK/total-$scale.txt") domains on the connection)"
        echo
        python3 - "$WORK/results-$scale.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
def cell(r):
    return f"{r['median_ms']:.1f} ({r['min_ms']:.1f}-{r['max_ms']:.1f})" + (f" **{r['failed']} failed**" if r["failed"] else "")
def ratio(a, b):
    return f"{a['median_ms'] / b['median_ms']:.2f}" if a and b else "–"
def rss(r):
    return f"{r['rss_kib'] / 1024:.1f}" if r else "–"
print("| command | vnetctl ms | virsh ms | C ms | vnetctl/virsh | vnetctl/C | RSS vnetctl | RSS virsh | RSS C |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for row in rows:
    res = row["results"]
    v, s, c = res.get("vnetctl"), res.get("virsh"), res.get("C")
    print(f"| {row['label']} | {cell(v)} | {cell(s) if s else '–'} | {cell(c) if c else '–'} | {ratio(v, s)} | {ratio(v, c)} | {rss(v)} | {rss(s)} | {rss(c)} |")
PY
        echo
        echo "Libvirt round trips (VNETCTL_DEBUG_ROUNDTRIPS=1):"
        echo
        sed '/^$/d; s/^/- /' "$WORK/trips-$scale.txt"
    done
    if [ -n "$CALLGRIND" ]; then
        echo
        echo "## Instructions in the client process (callgrind), at $CALLGRIND_SCALE defined VMs"
        echo
        echo "| command | vnetctl | virsh | C | vnetctl/virsh |"
        echo "|---|---:|---:|---:|---:|"
        printf '%s' "$CALLGRIND"
    fi
} >"$OUT"

echo
cat "$OUT"
echo
echo "results written to $OUT" >&2
