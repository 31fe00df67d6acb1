#!/usr/bin/env bash
# Proves `make install` and `make uninstall` on what `make` built (one release build, reused):
# installs into a DESTDIR, checks the list of files and that the installed vnetctl runs and finds
# its templates, uninstalls and checks the DESTDIR is empty again. With --deb it also builds the
# .deb, installs it with apt-get, checks `man vnetctl` and `man vnetctl-apply` render, that
# vnetctl runs from PATH and that the libvirt network hook runs it, and removes it, leaving none of
# its files. The host's own hook (say, the one scripts/setup-host.sh wrote) is put back after. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-install: $*" >&2; exit 1; }

make --no-print-directory all >/dev/null
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

make --no-print-directory install DESTDIR="$destdir" PREFIX=/usr/local >/dev/null
installed=$(cd "$destdir" && find . -type f | sort)
echo "$installed"
pages=$(ls .build/dist/man | sed 's|^|./usr/local/share/man/man1/|; s|man1/\(.*\.5\)$|man5/\1|')
templates=$(cd Sources/VNetCore/Templates && find . -name '*.mustache' | sed 's|^\.|./usr/local/share/vnetctl/templates|')
expected=$(sort <<LIST
./usr/local/bin/vnetctl
$templates
$pages
./usr/local/share/bash-completion/completions/vnetctl
./usr/local/share/zsh/site-functions/_vnetctl
./usr/local/share/fish/vendor_completions.d/vnetctl.fish
./usr/local/share/doc/vnetctl/README.md
./usr/local/share/doc/vnetctl/CHANGELOG.md
./usr/local/share/doc/vnetctl/LICENSE
./usr/local/share/doc/vnetctl/examples/fleet.yaml
./usr/local/share/doc/vnetctl/examples/lab.yaml
./etc/libvirt/hooks/network.d/vnetctl
LIST
)
[ "$installed" = "$expected" ] || fail "installed files differ from the expected list: $(diff <(echo "$expected") <(echo "$installed"))"
for page in vnetctl.1 vnetctl-apply.1 vnetctl-define-vm.1 vnetctl-topology.5; do
    grep -q . <(find "$destdir" -name "$page") || fail "no manual $page"
done
grep -q '^\.Sh ENVIRONMENT' "$destdir/usr/local/share/man/man1/vnetctl.1" || fail "vnetctl.1 has no ENVIRONMENT"
hook="$destdir/etc/libvirt/hooks/network.d/vnetctl"
[ -x "$hook" ] && grep -qx "vnetctl='/usr/local/bin/vnetctl'" "$hook" || fail "the hook $hook does not run /usr/local/bin/vnetctl"
# The installed binary runs and takes its templates from ../share/vnetctl/templates.
"$destdir/usr/local/bin/vnetctl" version >/dev/null || fail "the installed vnetctl does not run"
env -u VNETCTL_TEMPLATES "$destdir/usr/local/bin/vnetctl" -c test:///default templates | grep -q "$destdir/usr/local/share/vnetctl/templates" ||
    fail "the installed vnetctl does not use its installed templates"

make --no-print-directory uninstall DESTDIR="$destdir" PREFIX=/usr/local >/dev/null
left=$(cd "$destdir" && find . -mindepth 1)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "test-install: make install put $(echo "$installed" | wc -l) files; make uninstall left $destdir empty"

[ "${1:-}" = --deb ] || exit 0
deb=$(make --no-print-directory deb | tail -1)
dpkg-deb --field "$deb" Depends
export DEBIAN_FRONTEND=noninteractive
hook=/etc/libvirt/hooks/network.d/vnetctl
saved=$(mktemp)
if [ -e "$hook" ]; then cp -p "$hook" "$saved"; else rm "$saved"; fi
trap 'rm -rf "$destdir"; if [ -e "$saved" ]; then mkdir -p "${hook%/*}"; mv "$saved" "$hook"; fi' EXIT
installing=$(apt-get install -y -qq --no-install-recommends "$deb" 2>&1) || fail "apt-get install failed: $installing"
files=$(dpkg -L vnetctl | while read -r f; do [ -d "$f" ] || echo "$f"; done)
grep -qx "$hook" <<<"$files" || fail "the package does not own $hook"
! grep -qx "$hook" /var/lib/dpkg/info/vnetctl.conffiles 2>/dev/null || fail "$hook is a conffile: apt-get remove would leave it"
# The installed hook runs the installed vnetctl, which logs what it cannot read and exits 0.
ran=$(echo 'not xml' | "$hook" vnetctl-install-test started begin - 2>&1) || fail "the hook failed: $ran"
grep -q '^vnetctl hook: network vnetctl-install-test started' <<<"$ran" || fail "the hook did not run /usr/bin/vnetctl: $ran"
if pidof libvirtd virtnetworkd >/dev/null; then
    grep -q 'reload it once' <<<"$installing" || fail "postinst did not say libvirtd must reload: $installing"
fi
[ "$(command -v vnetctl)" = /usr/bin/vnetctl ] || fail "vnetctl is not on PATH from /usr/bin"
vnetctl version >/dev/null || fail "vnetctl from PATH does not run"
for page in vnetctl vnetctl-apply vnetctl-define-vm; do
    MANWIDTH=80 man "$page" 2>/dev/null | grep -q 'EXIT STATUS' || fail "man $page does not render"
done
MANWIDTH=80 man 5 vnetctl-topology 2>/dev/null | grep -q 'create_bridge' || fail "man 5 vnetctl-topology does not render"
apt-get remove -y -qq vnetctl >/dev/null
for f in $files; do [ ! -e "$f" ] || fail "apt-get remove left $f"; done
echo "test-install: the .deb installed $(echo "$files" | wc -l) files, man pages rendered, the hook ran vnetctl, apt-get remove left none"
