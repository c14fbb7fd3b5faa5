# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for the QEMU harness; sourced, never executed.
# Maps a kernel flavour (debian: the VSWAP_KERNEL lane | debug) to the files the harness needs.

VM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM_DIR=$VM_TOP/tests/vm
VM_BUILD=$VM_TOP/build/vm
# The selftests shipped in the initramfs; overridable to develop the harness.
VM_SELFTESTS=${VSWAP_SELFTESTS_DIR:-$VM_TOP/tests/selftests/vswap}
export VM_TOP VM_DIR VM_BUILD VM_SELFTESTS

vm_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
vm_die() { vm_log "error: $*"; exit 1; }

# The debug kernel's cache key: the fragment, the exact source package and
# the compiler.  The scripts' own text is deliberately not part of it.
debug_kernel_hash() {
	{
		cat "$VM_DIR/debug.config"
		cat "$VM_TOP/build/linux-source/.version" 2>/dev/null || echo nosrc
		gcc --version 2>/dev/null | head -n1
	} | sha256sum | cut -c1-12
}

debug_kernel_dir() { echo "$VM_TOP/build/debug-kernel/$(debug_kernel_hash)"; }

# The primary kernel lane: the default of every script and of make.
VM_LANE=${VSWAP_KERNEL:-6.12}

# module_dir LANE: where build-module.sh builds vswap.ko for a Debian
# kernel lane (newest: inside the Debian 13 root, built there).
module_dir() {
	case $1 in
	newest) echo "$VM_TOP/build/kernel/newest/sysroot/usr/src/vswap" ;;
	*) echo "$VM_TOP/build/module/$1" ;;
	esac
}

# module_copy DEST: the module's sources (not its build outputs) in DEST,
# mtimes kept so that kbuild rebuilds only what changed.
module_copy() {
	mkdir -p "$1"
	rsync -a --delete --exclude='*.ko' --exclude='*.o' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
		"$VM_TOP/drivers" "$1/"
	rsync -a "$VM_TOP/Kbuild" "$VM_TOP/Makefile" "$1/"
	[ ! -d "$VM_TOP/include" ] || rsync -a --delete "$VM_TOP/include" "$1/"
}

# kernel_paths FLAVOUR: sets K_FLAVOUR, K_TAG (names its caches and logs),
# K_VMLINUZ K_RELEASE K_MODROOT (a tree holding lib/modules/$K_RELEASE),
# K_BUILD (KDIR for out-of-tree modules) and K_VSWAP_KO (where the vswap.ko
# built for this kernel lands).  Fetches the Debian kernel on demand; the
# module (build-module.sh) and the debug kernel must be built first.
kernel_paths() {
	K_FLAVOUR=$1
	case $K_FLAVOUR in
	debian)
		# Debian's own kernel of the lane VSWAP_KERNEL names (fetch-kernel.sh).
		local d=$VM_TOP/build/kernel/$VM_LANE
		K_TAG=debian-$VM_LANE
		K_RELEASE=$("$VM_DIR/fetch-kernel.sh" --kernel "$VM_LANE")
		K_VMLINUZ=$d/vmlinuz
		K_MODROOT=$d/root
		K_BUILD=$d/kdir
		K_VSWAP_KO=$(module_dir "$VM_LANE")/drivers/vswap/vswap.ko
		;;
	debug)
		local d
		d=$(debug_kernel_dir)
		K_TAG=debug
		[ -e "$d/.built" ] || vm_die "debug kernel not built: run tests/vm/build-debug-kernel.sh"
		K_RELEASE=$(cat "$d/release")
		K_VMLINUZ=$d/vmlinuz
		K_MODROOT=$d/root
		K_BUILD=$d/obj
		K_VSWAP_KO=$d/mod/drivers/vswap/vswap.ko
		;;
	*) vm_die "unknown kernel '$K_FLAVOUR' (debian|debug)" ;;
	esac
	export K_FLAVOUR K_TAG K_VMLINUZ K_RELEASE K_MODROOT K_BUILD K_VSWAP_KO
}
