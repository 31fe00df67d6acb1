#!/usr/bin/env bash
# Builds vnetctl_VERSION_ARCH.deb with dpkg-deb from what `make` built: `make install` into a
# staging tree with PREFIX=/usr, laid out as Debian wants it (gzipped manuals and changelog, a
# copyright file), with Depends read off the binary's shared libraries by dpkg-shlibdeps.
# The libvirt network hook /etc/libvirt/hooks/network.d/vnetctl is a file the package owns, not a
# conffile: its text is made for /usr/bin/vnetctl, not for editing, so an upgrade replaces it and
# `apt-get remove` takes it away (a conffile would stay until purge, running a vnetctl that is gone).
#   scripts/build-deb.sh [DIST-DIR]        (make deb runs it; the .deb lands in DIST-DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath "${1:-.build/dist}")

version=$(sed -n 's/.*let version = "\(.*\)"/\1/p' Sources/VNetCore/ToolInfo.swift)
arch=$(dpkg --print-architecture)
stage="$out/deb/vnetctl"
rm -rf "$out/deb"
make --no-print-directory install DESTDIR="$stage" PREFIX=/usr ZSHCOMPDIR=/usr/share/zsh/vendor-completions

# Debian ships binaries without their symbol tables (the 85 MB build is mostly symbols).
strip --strip-unneeded "$stage/usr/bin/vnetctl"
doc="$stage/usr/share/doc/vnetctl"
gzip -9n "$stage"/usr/share/man/man*/*
gzip -9n "$doc/CHANGELOG.md"
rm "$doc/LICENSE"
cat > "$doc/copyright" <<'COPYRIGHT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: vnetctl

Files: *
Copyright: the vnetctl authors
License: Apache-2.0
 On Debian systems, the full text of the Apache License, Version 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
COPYRIGHT

# dpkg-shlibdeps reads a source package's debian/control; give it a minimal one.
shlibs=$(mktemp -d)
trap 'rm -rf "$shlibs"' EXIT
mkdir "$shlibs/debian"
printf 'Source: vnetctl\n\nPackage: vnetctl\nArchitecture: any\n' > "$shlibs/debian/control"
depends=$(cd "$shlibs" && dpkg-shlibdeps -O -e "$stage/usr/bin/vnetctl" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# dpkg-shlibdeps counts symbols, not the loader's own GLIBC_ABI_DT_RELR version need (the packed
# relocations of the release link), which glibc has from 2.36.
if readelf -V "$stage/usr/bin/vnetctl" | grep -q GLIBC_ABI_DT_RELR; then
    depends=$(printf '%s' "$depends" | sed 's/libc6 (>= [0-9.]*)/libc6 (>= 2.36)/')
    case "$depends" in *"libc6 (>= 2.36)"*) ;; *) echo "build-deb: no libc6 to raise to 2.36 in Depends: $depends" >&2; exit 1 ;; esac
fi
for needed in libvirt0 libxml2 libnl-3-200 libnl-route-3-200; do
    case "$depends" in *"$needed "*|*"$needed,"*|*"$needed") ;; *) echo "build-deb: $needed missing from Depends: $depends" >&2; exit 1 ;; esac
done

# `graph` loads Graphviz's libgvc at run time (dlopen), which dpkg-shlibdeps cannot see: libgvc6
# holds the library and the plugins it renders with (dot layout, svg in core, png through cairo).
depends="$depends, libgvc6"

mkdir -p "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: vnetctl
Version: $version
Architecture: $arch
Maintainer: vnetctl maintainers <maintainers@vnetctl.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Recommends: libvirt-daemon, libvirt-daemon-driver-qemu, dnsmasq-base, iptables, qemu-system-x86
Section: admin
Priority: optional
Description: libvirt networks in the four KVM models, and VMs with unique MACs
 vnetctl defines libvirt virtual networks (isolated, routed, NAT, bridged) and
 virtual machines whose NICs get MAC addresses no one else on the host has,
 from XML templates, through libvirt's C API. It applies topology files
 idempotently, makes host bridges through netlink, and is an Ansible module.
CONTROL
# libvirtd notices a new hook only when it starts or reloads; postinst says so and leaves libvirtd alone.
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -z "$2" ] && pidof libvirtd virtnetworkd >/dev/null 2>&1; then
    echo "vnetctl: installed the libvirt network hook /etc/libvirt/hooks/network.d/vnetctl; the running" \
        "libvirt daemon notices a new hook only when it starts or reloads, and this package does not" \
        "signal it: reload it once (systemctl reload libvirtd, or kill -HUP \$(pidof libvirtd)) for port" \
        "forwards to follow virsh net-start and autostart"
fi
POSTINST
chmod 0755 "$stage/DEBIAN/postinst"
dpkg-deb --root-owner-group --build "$stage" "$out/vnetctl_${version}_${arch}.deb" >/dev/null
echo "$out/vnetctl_${version}_${arch}.deb"
