#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install vswap into the boot root the way a user would: the source tree
# into /usr/src/vswap-src, then inside the root (chroot) "make install"
# and "make dkms-install" against the root's own linux-headers (trixie's
# 6.12), plus the boot test's guest side (guest/: a vswap.conf naming an
# NVMe and a slow disk, and vswap-boottest.service, which checks the boot
# and reports on the serial console).
#
# Exit status: 0 installed; 3 when vswap.ko does not build against the
# root's kernel (the module's 6.12 port), with the build log named;
# 1 on any other failure.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$TOP/tests/vm/boot
ROOT=${BOOT_ROOT:-$TOP/build/boot-root}
LOG=$TOP/build/boot-install.log
VERSION=$(git -C "$TOP" describe --always --dirty --tags 2>/dev/null || echo unknown)

[ -d "$ROOT/usr" ] || { echo "no boot root in $ROOT: run tests/vm/boot/mkroot.sh" >&2; exit 1; }
KVER=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
[ -e "$ROOT/lib/modules/$KVER/build/Makefile" ] ||
	{ echo "no linux-headers for $KVER in the root" >&2; exit 1; }

MOUNTS=()
cleanup() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" || true
	done
}
trap cleanup EXIT
for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$ROOT/$m"
	MOUNTS+=("$ROOT/$m")
done
in_root() { nice chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

echo "install: source $VERSION into $ROOT/usr/src/vswap-src"
rm -rf "$ROOT/usr/src/vswap-src"
mkdir -p "$ROOT/usr/src/vswap-src"
# The tree as a user has it: tracked and new files, no build outputs.
git -C "$TOP" ls-files -co --exclude-standard -z |
	(cd "$TOP" && xargs -0 cp --parents -t "$ROOT/usr/src/vswap-src") 2>/dev/null
SRC=/usr/src/vswap-src
MAKE_ARGS=(VSWAP_VERSION="$VERSION" KVER="$KVER")

echo "install: vswapctl, man pages, generator, units, udev rules (make install-userspace)"
in_root make -C $SRC "${MAKE_ARGS[@]}" install-userspace >"$LOG" 2>&1 ||
	{ tail -n 20 "$LOG"; echo "install: make install-userspace failed (log: $LOG)" >&2; exit 1; }

echo "install: vswap.ko against $KVER (make install: module, modules_install, depmod)"
if ! in_root make -C $SRC "${MAKE_ARGS[@]}" install >>"$LOG" 2>&1; then
	grep -E 'error:|Error [0-9]' "$LOG" | head -n 10 >&2 || true
	echo "install: BLOCKED: vswap.ko does not build against $KVER yet (the module's 6.12 port);" \
	     "everything up to here is installed; build log: $LOG" >&2
	exit 3
fi
echo "install: dkms (make dkms-install)"
in_root make -C $SRC "${MAKE_ARGS[@]}" dkms-install >>"$LOG" 2>&1 ||
	{ tail -n 20 "$LOG"; echo "install: make dkms-install failed (log: $LOG)" >&2; exit 1; }
in_root modinfo -k "$KVER" vswap >/dev/null ||
	{ echo "install: modinfo finds no vswap for $KVER" >&2; exit 1; }

echo "install: the boot test's guest side"
in_root gcc -O2 -D_GNU_SOURCE -o /usr/local/bin/swap_stress $SRC/tests/selftests/vswap/swap_stress.c -lpthread
install -m 0644 "$HERE/guest/vswap.conf" "$ROOT/etc/vswap.conf"
install -m 0755 "$HERE/guest/vswap-boottest.sh" "$ROOT/usr/local/sbin/vswap-boottest"
install -m 0644 "$HERE/guest/vswap-boottest.service" "$ROOT/etc/systemd/system/"
in_root systemctl enable vswap-boottest.service >/dev/null
# Autologin is not needed: the test reports on the serial console.
in_root systemctl mask serial-getty@ttyS0.service getty@tty1.service >/dev/null
echo "$VERSION $KVER" >"$ROOT/.vswap-installed"
echo "install: done ($KVER)"
