#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boot a small VM and show what vswap is for.  /dev/vswap0 is
# swap over a compressed RAM tier, an emulated NVMe fast tier and a
# throttled virtio slow disk, configured with vswapctl; a workload twice
# the RAM it is given swaps through it and verifies every byte, while
# pages fill RAM, spill and are demoted to fast and then slow as they
# cool, a manual migration runs, and the fast tier is drained and removed
# under load and added back.  `vswapctl top` (its line mode) narrates
# throughout; the end is the workload's verdict and `vswapctl status`.
# About 2-3 minutes on 2 cores under TCG.
#
# Tunables (environment): DEMO_TIERS (ram,fast,slow; "ram" for the short
# RAM-only version), DEMO_MEM (VM RAM, default 512M), DEMO_SIZE (swap
# device size, default 1G; 2G RAM-only), DEMO_LIMIT_MB (the workload's
# memory cgroup limit; it touches twice that; default 64, 192 RAM-only),
# DEMO_COMP (lz4|lz4hc|zstd), DEMO_RAM_LIMIT_MB (RAM tier limit, 24),
# DEMO_FAST_IDLE (seconds before a fast-tier page moves to slow, 5),
# DEMO_TOP_DELAY (seconds between vswapctl top lines, 5), DEMO_NVME_SIZE
# (256M), DEMO_SLOW_SIZE (512M), DEMO_SLOW_THROTTLE (QEMU throttling
# options of the slow disk).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tiers=${DEMO_TIERS:-ram,fast,slow}
mem=${DEMO_MEM:-512M}
throttle=${DEMO_SLOW_THROTTLE-throttling.bps-total=16777216,throttling.iops-total=500}

"$top/tests/vm/host-deps.sh"
"$top/tests/vm/fetch-kernel.sh" >/dev/null
"$top/tests/vm/build-module.sh" >/dev/null
make -s -C "$top/tests/selftests/vswap" swap_stress >/dev/null
vm_args=()
if [ "$tiers" = ram ]; then
	size=${DEMO_SIZE:-2G} limit=${DEMO_LIMIT_MB:-192}
else
	size=${DEMO_SIZE:-1G} limit=${DEMO_LIMIT_MB:-64}
	# The initramfs ships vswapctl when it is built.
	make -s -C "$top/userspace/vswapctl" >/dev/null
	vm_args=(--nvme "${DEMO_NVME_SIZE:-256M}"
		 --disk "${DEMO_SLOW_SIZE:-512M}${throttle:+,$throttle}")
fi

# The guest script with the settings baked in (run-vm passes no env).
script=$(mktemp /tmp/vswap-demo.XXXXXX)
trap 'rm -f "$script"' EXIT
{
	echo '#!/bin/sh'
	echo "DEMO_TIERS=$tiers"
	echo "DEMO_SIZE=$size"
	echo "DEMO_COMP=${DEMO_COMP:-lz4}"
	echo "DEMO_LIMIT_MB=$limit"
	echo "DEMO_RAM_LIMIT_MB=${DEMO_RAM_LIMIT_MB:-24}"
	echo "DEMO_FAST_IDLE=${DEMO_FAST_IDLE:-5}"
	echo "DEMO_TOP_DELAY=${DEMO_TOP_DELAY:-5}"
	echo "DEMO_SLOW_THROTTLE='${throttle:-none}'"
	cat "$top/tests/demo/demo-guest.sh"
} >"$script"

# Stream the guest's side; boot chatter and kernel lines stay in the log.
"$top/tests/vm/run-vm.sh" -v -m "$mem" -s 2 -t 1200 --append loglevel=4 \
	${vm_args[@]+"${vm_args[@]}"} --script "$script" |
	sed -u -n 's/.*\(vm-init: ready\)/\1/; /vm-init: ready/,$p' | grep -a --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]|^<<<VM-EXIT'
