#!/usr/bin/env bash
# Makes a Debian 12 machine ready for vnetctl: packages, libvirt's users, groups and directories,
# and running virtlogd + libvirtd (started by hand where no systemd runs them).
# Idempotent: a second run installs nothing, creates nothing and starts nothing.
# Run as root.
set -euo pipefail

say() { printf 'setup: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "setup: must run as root (try: sudo $0)" >&2
    exit 1
fi

PACKAGES=(
    # building vnetctl
    pkg-config libvirt-dev libxml2-dev libnl-3-dev libnl-route-3-dev
    libgraphviz-dev  # Graphviz's headers; libgvc6, which `graph` loads to render SVG and PNG
    # libvirt's daemon, its QEMU driver, and what it drives
    libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients dnsmasq-base
    iptables nftables iproute2 qemu-system-x86 qemu-system-data ipxe-qemu seabios
    qemu-utils  # qemu-img, which libvirt runs to create the qcow2 disk overlays
    # what the tests and benchmarks use
    libxml2-utils iputils-ping busybox procps valgrind hyperfine python3 python3-venv
    strace  # which threads a command starts (ThreadStartTests)
    # packaging: make deb (dpkg-shlibdeps) and the install test (man)
    dpkg-dev man-db
)

missing=()
for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    say "packages: all present"
fi

# Debian's libvirtd starts its QEMU driver only when these exist (libvirt-daemon-system would make
# them, but it needs systemd).
for g in kvm libvirt libvirt-qemu; do
    if ! getent group "$g" >/dev/null; then
        groupadd --system "$g"
        say "created group $g"
    fi
done
if ! getent passwd libvirt-qemu >/dev/null; then
    useradd --system --gid libvirt-qemu --groups kvm --home-dir /var/lib/libvirt \
        --no-create-home --shell /usr/sbin/nologin libvirt-qemu
    say "created user libvirt-qemu"
fi
# What Debian's udev rules do for /dev/kvm, for hosts without udev: QEMU runs as libvirt-qemu
# (in group kvm) and needs the device to use KVM; without it, guests fall back to TCG.
if [ -c /dev/kvm ] && [ "$(stat -c %G:%a /dev/kvm)" != "kvm:660" ]; then
    chgrp kvm /dev/kvm
    chmod 660 /dev/kvm
    say "made /dev/kvm usable by group kvm"
fi
for d in /var/log/libvirt /var/lib/libvirt /run/libvirt /var/lib/libvirt/images; do
    if [ ! -d "$d" ]; then
        mkdir -p "$d"
        say "created $d"
    fi
done

# The libvirt network hook that applies vnetctl's port forwards when libvirt starts a network
# (the file `vnetctl forwards install-hook` writes; ForwardHook.installPath in the sources).
# libvirtd looks for hooks only when it starts, so it goes in before libvirtd does. An existing
# hook (say, one `make install` wrote for /usr/bin/vnetctl) is left as it is.
install_forward_hook() {
    local hook=/etc/libvirt/hooks/network.d/vnetctl
    [ -e "$hook" ] && return 0
    local binary="${VNETCTL_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/debug/vnetctl}"
    mkdir -p "$(dirname "$hook")"
    cat >"$hook" <<HOOK
#!/bin/sh
# libvirt network hook installed by vnetctl: applies the port forwards of vnetctl's nat
# networks when libvirt starts or stops them. It never fails a network start.
vnetctl='$binary'
[ -x "\$vnetctl" ] || exit 0
"\$vnetctl" forwards hook "\$@" || true
exit 0
HOOK
    chmod 755 "$hook"
    say "installed the libvirt network hook $hook (runs $binary)"
}

# Starts a daemon holding no file descriptor but 0-2: one it inherited (such as the tests' flock on
# /tmp/vnetctl-libvirtd.lock, when a test restarts libvirtd) would stay held while the daemon runs.
start_daemon() {
    (
        for fd in $(ls /proc/$BASHPID/fd); do
            [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
        done
        exec "$@"
    )
}

if [ -d /run/systemd/system ] && systemctl is-active --quiet libvirtd.service 2>/dev/null; then
    say "systemd runs libvirtd: checking only"
else
    # This machine's daemon runs when the pid in its own pid file is alive and no zombie (a killed
    # daemon whose parent has not reaped it). pgrep would also count the daemons of second hosts
    # (../shared/second-host.sh), which run in their own namespaces with their own pid files.
    runs() {
        local pid
        pid=$(cat "$1" 2>/dev/null) || return 1
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat"
    }
    if ! runs /run/virtlogd.pid virtlogd; then
        start_daemon virtlogd -d
        say "started virtlogd"
    fi
    if ! runs /run/libvirtd.pid libvirtd; then
        install_forward_hook
        start_daemon libvirtd -d
        say "started libvirtd"
    fi
fi

socket=/run/libvirt/libvirt-sock
for _ in $(seq 1 100); do
    if [ -S "$socket" ] && virsh -q -c qemu:///system uri >/dev/null 2>&1; then
        break
    fi
    sleep 0.1
done
if ! virsh -q -c qemu:///system uri >/dev/null 2>&1; then
    echo "setup: libvirtd did not answer on $socket; see /var/log/libvirt/ and run 'libvirtd -v' to see why" >&2
    exit 1
fi
say "libvirtd answers on qemu:///system ($(virsh -c qemu:///system version --daemon | awk '/daemon/ {print $NF}'))"
