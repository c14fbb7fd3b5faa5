#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install vswap into the boot root the way a user would: the source tree
# into /usr/src/vswap-src, then inside the root (chroot) "make
# install-userspace", "make install" and "make dkms-install" against the
# root's own linux-headers (trixie's 6.12, gcc-14) -- dkms-install for the
# root's second kernel (mkroot.sh installs its headers) -- plus the boot
# test's guest side (guest/: a vswap.conf naming an NVMe and a slow disk,
# and vswap-boottest.service, which checks the boot and reports on a
# serial port).
#
# Each check prints "VSWAP-INSTALL: ok|FAIL|SKIP WHAT" (run.sh makes TAP
# of them).  Exit status: 0 when the root is ready to boot (a failed or
# skipped DKMS build does not stop the boots), 1 otherwise.
# /proc, /sys and /dev are bind-mounted into the root in a private mount
# namespace: however this script ends, nothing stays mounted.
#
# Usage: install.sh [--guest]   (--guest: only the guest side again, on a
# root installed before; for debugging the checks)
set -euo pipefail
if [ -z "${VSWAP_INSTALL_NS:-}" ]; then
	VSWAP_INSTALL_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$TOP/tests/vm/boot
ROOT=${BOOT_ROOT:-$TOP/build/boot-root}
LOG=$TOP/build/boot-install.log
VERSION=$(git -C "$TOP" describe --always --dirty --tags 2>/dev/null || echo unknown)

ok() { echo "VSWAP-INSTALL: ok $*"; }
bad() { echo "VSWAP-INSTALL: FAIL $*"; }
skip() { echo "VSWAP-INSTALL: SKIP $*"; }
# die WHAT: a failed check that stops the install, with the log's tail.
die() {
	bad "$*"
	tail -n 20 "$LOG" >&2
	echo "install: failed; log: $LOG" >&2
	exit 1
}

[ -d "$ROOT/usr" ] || { echo "no boot root in $ROOT: run tests/vm/boot/mkroot.sh" >&2; exit 1; }
# The kernel the root boots: its newest image.  Other kernels with headers
# are DKMS's second-kernel check.
KVER=$(find "$ROOT/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
[ -n "$KVER" ] || { echo "no kernel in $ROOT/boot" >&2; exit 1; }
[ -e "$ROOT/lib/modules/$KVER/build/Makefile" ] ||
	{ echo "no linux-headers for $KVER in the root" >&2; exit 1; }
SECOND=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -vxF "$KVER" |
	 while read -r v; do [ -e "$ROOT/lib/modules/$v/build/Makefile" ] && echo "$v"; done |
	 sort -V | tail -n 1) || true

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
MAKE_ARGS=(-j"$(nproc)" VSWAP_VERSION="$VERSION" KVER="$KVER")
: >"$LOG"

install_guest() {
	echo "install: the boot test's guest side"
	in_root gcc -O2 -D_GNU_SOURCE -o /usr/local/bin/swap_stress \
		$SRC/tests/selftests/vswap/swap_stress.c -lpthread
	install -m 0644 "$HERE/guest/vswap.conf" "$ROOT/etc/vswap.conf"
	install -m 0755 "$HERE/guest/vswap-boottest.sh" "$ROOT/usr/local/sbin/vswap-boottest"
	install -m 0644 "$HERE/guest/vswap-boottest.service" "$ROOT/etc/systemd/system/"
	in_root systemctl enable vswap-boottest.service >/dev/null 2>&1
	# Autologin is not needed: the test reports on a serial port.
	in_root systemctl mask serial-getty@ttyS0.service getty@tty1.service \
		getty-static.service >/dev/null 2>&1
	# Under TCG every second counts: a volatile journal, and the root as
	# after its first boot (no ldconfig, journal catalog or
	# systemd-update-done on every boot: ConditionNeedsUpdate).
	mkdir -p "$ROOT/etc/systemd/journald.conf.d"
	printf '[Journal]\nStorage=volatile\n' >"$ROOT/etc/systemd/journald.conf.d/vswap-boottest.conf"
	touch "$ROOT/etc/.updated" "$ROOT/var/.updated"
	echo "$VERSION $KVER" >"$ROOT/.vswap-installed"
	echo "install: done ($KVER)"
}
if [ "${1:-}" = --guest ]; then
	install_guest
	exit 0
fi

t0=$SECONDS
in_root make -C $SRC "${MAKE_ARGS[@]}" install-userspace >>"$LOG" 2>&1 ||
	die "make install-userspace"
ok "make install-userspace (vswapctl, generator, units, udev rules; $((SECONDS - t0)) s)"

t0=$SECONDS
in_root make -C $SRC "${MAKE_ARGS[@]}" install >>"$LOG" 2>&1 ||
	die "make install: vswap.ko for $KVER"
in_root modinfo -k "$KVER" vswap >/dev/null 2>&1 || die "modinfo -k $KVER vswap"
ok "make install: vswap.ko for $KVER, depmod ($((SECONDS - t0)) s)"

# DKMS: "make dkms-install" for the root's second kernel (mkroot.sh
# installs its headers), as on a machine about to boot a newer or older
# kernel: dkms add, build and install for it, while the booted kernel
# keeps the module "make install" put there (one module build less).
# Without a second kernel, for the booted one.
t0=$SECONDS
DKVER=${SECOND:-$KVER}
if in_root make -C $SRC -j"$(nproc)" VSWAP_VERSION="$VERSION" KVER="$DKVER" dkms-install >>"$LOG" 2>&1 &&
   in_root dkms status -m vswap -v "$VERSION" -k "$DKVER" | grep -q ': installed' &&
   [ -n "$(find "$ROOT/lib/modules/$DKVER" -name 'vswap.ko*' -print -quit)" ] &&
   in_root modinfo -k "$DKVER" vswap >/dev/null 2>&1; then
	ok "make dkms-install KVER=$DKVER: dkms status installed, vswap.ko there ($((SECONDS - t0)) s)"
else
	grep -E 'error:|Error' "$LOG" | tail -n 5 >&2 || true
	bad "make dkms-install KVER=$DKVER (log: $LOG)"
fi
in_root dkms status -m vswap | sed 's/^/install: dkms status: /'
if [ -z "$SECOND" ]; then
	skip "dkms: a second kernel # apt offered no second kernel's headers (mkroot.sh)"
fi
# The booted kernel still has its module.
in_root modinfo -k "$KVER" vswap >/dev/null 2>&1 || die "modinfo -k $KVER vswap after dkms-install"

install_guest
