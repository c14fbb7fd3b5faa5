# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the bench's guest scripts (guest.sh, guest-tiers.sh,
# guest-spill.sh), shipped as /vm/guest-lib.sh and sourced first.

emit() { echo "BENCH $*"; }
# Where the time goes: phase NAME DEV REP at guest uptime.
phase() { emit info phase "$@" "$(cut -d' ' -f1 /proc/uptime)"; }
# To stderr: die may run inside $(...), whose stdout is a value.
die() {
	echo "BENCH error $*" >&2
	exit 1
}

wait_bdev() {
	local i=0
	while [ ! -b "$1" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -b "$1" ] || die "$1 did not appear"
}

# variant_params KIND: the module parameters of a vswap-NAME variant,
# space separated (none for vswap itself), from VARIANTS
# ("NAME:p=v,p=v NAME2:...").
variant_params() {
	local v
	[ "$1" != vswap ] || return 0
	for v in $VARIANTS; do
		if [ "vswap-${v%%:*}" = "$1" ]; then
			echo "${v#*:}" | tr , ' '
			return 0
		fi
	done
	die "unknown device kind $1 (VARIANTS='$VARIANTS')"
}

vsc() {
	local out
	out=$(vswapctl "$@" 2>&1) || die "vswapctl $*: $out"
}

vmstat_get() { awk -v k="$1" '$1 == k {print $2}' /proc/vmstat; }
