#!/usr/bin/env bash
# Generates vnetctl's manual pages from its command tree with swift-argument-parser's
# generate-manual tool, one page per command, named as git names its pages (vnetctl-define-vm.1),
# and adds the hand-written parts from docs/man: EXIT STATUS (vnetctl's exit codes) on every page,
# ENVIRONMENT, FILES and EXAMPLES on vnetctl(1) (vnetctl.sections.mdoc), EXAMPLES where
# PAGE.examples.mdoc exists, and vnetctl-topology(5).
#   scripts/manuals.sh VNETCTL GENERATE-MANUAL DOCS-MAN-DIR OUTPUT-DIR
set -euo pipefail
vnetctl=$1 generator=$2 fragments=$3 out=$4

date=$(git -C "$fragments" log -1 --format=%cs 2>/dev/null || date -u +%F)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$generator" "$vnetctl" --multi-page --date "$date" --output-directory "$work"
# argument-parser's own `help` subcommand is `vnetctl help`, not a page of its own.
rm -f "$work/vnetctl.help.1"

rm -rf "$out"
mkdir -p "$out"
for page in "$work"/*.1; do
    base=$(basename "$page" .1)
    name=${base//./-}
    # The generated page up to its EXIT STATUS (which says only "0 on success"), and its SEE ALSO.
    [ -z "$(tail -c 1 "$page")" ] || echo >> "$page"
    sed -e '/^\.Xr vnetctl\.help 1/d' -e '/^\.Dt \|^\.Xr /s/\([a-zA-Z]\)\.\([a-zA-Z]\)/\1-\2/g' "$page" > "$work/page"
    see_also=$(sed -n '/^\.Sh "SEE ALSO"/,$ { /^\.Sh/d; p; }' "$work/page")
    {
        sed -n '/^\.Sh "EXIT STATUS"/q; p' "$work/page"
        cat "$fragments/exit-status.mdoc"
        [ ! -f "$fragments/$name.sections.mdoc" ] || cat "$fragments/$name.sections.mdoc"
        [ ! -f "$fragments/$name.examples.mdoc" ] || cat "$fragments/$name.examples.mdoc"
        echo '.Sh SEE ALSO'
        if [ "$name" != vnetctl ]; then echo '.Xr vnetctl 1 ,'; fi
        if [ -n "$see_also" ]; then printf '%s ,\n' "$see_also"; fi
        echo '.Xr vnetctl-topology 5'
    } > "$out/$name.1"
done
sed "s/^\.Dd .*/.Dd $(date -u -d "$date" '+%B %-d, %Y')/" "$fragments/vnetctl-topology.5" > "$out/vnetctl-topology.5"
