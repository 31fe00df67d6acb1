#!/usr/bin/env bash
# vnetctl at scale: run.sh at one scale only, VNB_VMS (1000) defined VMs, into results/scale.md.
#
#   Benchmarks/scale.sh          # the same needs and variables as run.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VNB_SCALES=${VNB_VMS:-1000} VNB_OUT=${VNB_OUT:-$HERE/results/scale.md} exec "$HERE/run.sh"
