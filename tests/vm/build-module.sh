#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build vswap.ko for one Debian kernel lane, warning-free with W=1, from a
# copy of the module sources, so lanes never share object files and can
# build side by side:
#   6.1, 6.12  in build/module/LANE/, with the host's gcc-12 (the compiler
#              those kernels were built with)
#   newest     in the lane's Debian 13 root (build/kernel/newest/sysroot,
#              /usr/src/vswap), with that release's gcc, run in a chroot,
#              as a Debian 13 user's DKMS would build it
#
# Usage: build-module.sh [--kernel LANE] [--sparse]
#   --sparse also runs sparse over the sources (C=2) against that kernel.
#   Fails on any compiler (or sparse) warning; prints vswap.ko's path.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

lane=$VM_LANE sparse=0
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) lane=$2; shift ;;
	--kernel=*) lane=${1#*=} ;;
	--sparse) sparse=1 ;;
	-h | --help) sed -n '3,14p' "$0"; exit 0 ;;
	*) vm_die "unknown argument '$1'" ;;
	esac
	shift
done

release=$("$VM_DIR/fetch-kernel.sh" --kernel "$lane")
dir=$(module_dir "$lane")
log=$dir.log
[ "$lane" != newest ] || log=$VM_TOP/build/kernel/newest/module.log
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
module_copy "$dir"
ver=$(git -C "$VM_TOP" describe --always --dirty --tags 2>/dev/null || echo unknown)

# kmake ARGS...: the module's kbuild against the lane's headers.
if [ "$lane" = newest ]; then
	root=$VM_TOP/build/kernel/newest/sysroot
	# objtool reads /proc; nothing else of the host is needed in the root.
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	trap 'umount "$root/proc" 2>/dev/null || umount -l "$root/proc"' EXIT
	kmake() {
		chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			nice make -C "/usr/src/linux-headers-$release" M=/usr/src/vswap \
			VSWAP_VERSION="$ver" "$@"
	}
else
	kmake() {
		nice make -C "$VM_TOP/build/kernel/$lane/kdir" M="$dir" VSWAP_VERSION="$ver" "$@"
	}
fi

# Kbuild reports warnings without failing: any warning fails here, and
# the objects go, so that the next run compiles (and reports) them again.
check_log() {
	if grep -E 'warning:|error:' "$log" >&2; then
		rm -f "$dir"/drivers/vswap/*.o "$dir"/drivers/vswap/vswap.ko
		vm_die "$1 against $release has warnings or errors (log: ${log#"$VM_TOP"/})"
	fi
}
kmake W=1 modules >"$log" 2>&1 || { tail -n 30 "$log" >&2; vm_die "module build against $release failed"; }
check_log "the W=1 build"
if [ "$sparse" = 1 ]; then
	# C=2: every file, not only those kbuild recompiles.
	kmake C=2 CHECK="sparse -Wno-decl" modules >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; vm_die "sparse run against $release failed"; }
	check_log "sparse"
fi
[ -e "$dir/drivers/vswap/vswap.ko" ] || vm_die "no vswap.ko in ${dir#"$VM_TOP"/}"
what="W=1 clean"
[ "$sparse" = 0 ] || what="$what, sparse clean"
vm_log "vswap.ko for $release ($lane): $what"
echo "$dir/drivers/vswap/vswap.ko"
