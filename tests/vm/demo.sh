#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boot a small VM, load vswap with its default tiers, swap on
# /dev/vswap0, run a workload about twice the VM's RAM that verifies every
# byte, and show the per-tier statistics while it runs.
#
# Tunables (environment): DEMO_MEM (VM RAM, default 512M), DEMO_SIZE (swap
# device size, default 2G), DEMO_LIMIT_MB (the workload's memory cgroup
# limit; it touches twice that, default 192), DEMO_COMP (lz4|lz4hc|zstd).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
mem=${DEMO_MEM:-512M}

"$top/tests/vm/host-deps.sh"
"$top/tests/vm/fetch-kernel.sh" >/dev/null
make -s -C "$top" module >/dev/null
make -s -C "$top/tests/selftests/vswap" swap_stress >/dev/null

# The guest script with the settings baked in (run-vm passes no env).
script=$(mktemp /tmp/vswap-demo.XXXXXX)
trap 'rm -f "$script"' EXIT
{
	echo '#!/bin/sh'
	echo "DEMO_SIZE=${DEMO_SIZE:-2G}"
	echo "DEMO_COMP=${DEMO_COMP:-lz4}"
	echo "DEMO_LIMIT_MB=${DEMO_LIMIT_MB:-192}"
	cat "$top/tests/vm/demo-guest.sh"
} >"$script"

# Stream the guest's side; boot chatter and kernel lines stay in the log.
"$top/tests/vm/run-vm.sh" -v -m "$mem" -s 2 -t 1200 --append loglevel=4 \
	--script "$script" |
	sed -u -n '/vm-init: ready/,$p' | grep -a --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]|^<<<VM-EXIT'
