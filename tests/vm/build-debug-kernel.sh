#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug-lane guest kernel from Debian's linux-source-6.12
# (tests/vm/linux-source.sh, the primary lane's version):
# allnoconfig + tests/vm/debug.config (KASAN, lockdep, kmemleak, fault
# injection), out of tree so build/linux-source stays clean.
#
# Usage: build-debug-kernel.sh [--module]
#   Cached in build/debug-kernel/<hash>/ (hash of the fragment, the source
#   package version and gcc); a second run is a no-op.  Prints the cache dir.
#   --module also builds vswap.ko against it in <hash>/mod/ (a copy of the
#   module sources), so the Debian-kernel drivers/vswap/vswap.ko is untouched.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

want_module=0
for a in "$@"; do
	case $a in
	--module) want_module=1 ;;
	-h | --help) sed -n '3,11p' "$0"; exit 0 ;;
	*) vm_die "unknown argument '$a'" ;;
	esac
done

src=$VM_TOP/build/linux-source
frag=$VM_DIR/debug.config
dir=$(debug_kernel_dir)
obj=$dir/obj
mkdir -p "$VM_TOP/build/debug-kernel"

# One builder at a time (run_all.sh may race a background build).
exec 9>"$VM_TOP/build/debug-kernel/.lock"
flock 9

# Check that every line of the fragment is in .config verbatim.  An
# "is not set" line may also be absent (its dependencies are off).
verify_config() {
	local bad=0 line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$obj/.config" && continue
			sym=${line%%=*}
			vm_log "config mismatch: wanted '$line', got '$(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo absent)'"
			bad=1
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -q "^$sym=" "$obj/.config"; then
				vm_log "config mismatch: wanted '$line', got '$(grep "^$sym=" "$obj/.config")'"
				bad=1
			fi
			;;
		esac
	done <"$frag"
	return $bad
}

build_kernel() {
	"$VM_TOP/tests/vm/host-deps.sh"
	"$VM_TOP/tests/vm/linux-source.sh"
	[ ! -e "$src/.config" ] || vm_die "$src has a .config; O= builds need a clean source tree (rm -rf $src and rerun)"
	vm_log "building debug kernel in $dir (log: $dir/build.log)"
	local t0=$SECONDS
	rm -rf "$dir"
	mkdir -p "$obj"
	# merge_config.sh -n: allnoconfig with the fragment forced in (KCONFIG_ALLCONFIG).
	(cd "$src" && ARCH=x86_64 ./scripts/kconfig/merge_config.sh -n -O "$obj" "$frag") >"$dir/build.log" 2>&1 ||
		{ tail -n 30 "$dir/build.log" >&2; vm_die "merge_config failed"; }
	verify_config || vm_die "debug.config not fully applied (see above; check dependencies of those symbols)"
	local jobs
	jobs=$(nproc)
	# nice: the box is shared with the rest of the work.
	if ! nice -n 10 make -C "$src" O="$obj" ARCH=x86_64 -j"$jobs" bzImage modules >>"$dir/build.log" 2>&1; then
		grep -E 'error|Error' "$dir/build.log" | tail -n 20 >&2
		vm_die "kernel build failed (see $dir/build.log)"
	fi
	make -s -C "$src" O="$obj" ARCH=x86_64 INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 \
		modules_install >>"$dir/build.log" 2>&1
	make -s -C "$src" O="$obj" ARCH=x86_64 kernelrelease >"$dir/release"
	cp "$obj/arch/x86/boot/bzImage" "$dir/vmlinuz"
	echo $((SECONDS - t0)) >"$dir/build-seconds"
	touch "$dir/.built"
	ln -sfn "$(basename "$dir")" "$VM_TOP/build/debug-kernel/current"
	vm_log "debug kernel $(cat "$dir/release") built in $((SECONDS - t0)) s"
}

# vswap.ko for the debug kernel: build a copy of the module sources with the
# project's own Makefile, pointing KDIR at the debug build tree.
build_module() {
	local mod=$dir/mod
	[ -d "$VM_TOP/drivers/vswap" ] || vm_die "drivers/vswap missing"
	module_copy "$mod"
	local ver
	ver=$(git -C "$VM_TOP" describe --always --dirty --tags 2>/dev/null || echo unknown)
	make -C "$mod" module KDIR="$obj" VSWAP_VERSION="$ver" >&2
	[ -e "$mod/drivers/vswap/vswap.ko" ] || vm_die "no vswap.ko produced in $mod"
}

[ -e "$dir/.built" ] || build_kernel
[ "$want_module" = 0 ] || build_module
echo "$dir"
