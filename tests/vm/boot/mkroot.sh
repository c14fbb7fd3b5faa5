#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian 13 (trixie) root of the systemd boot test: systemd as PID 1,
# udev, kmod, dkms, the build tools and trixie's linux-image-amd64 (6.12)
# with its headers, built with mmdebstrap into build/boot-root (cached: a
# stamp holds the package list, mirror and this script's hash).  The
# host's apt sources are not touched: the root gets its own, trixie with
# trixie-updates and trixie-security, as an installed Debian 13 has them.
#
# A second kernel's headers for the DKMS check (install.sh): the newest
# other linux-headers-X.Y.N+...-amd64 of the root kernel's X.Y line that
# apt offers (an older point release or a security update; apt decides,
# nothing is pinned here).  Without one, install.sh reports a skip.
#
# The initramfs holds only what mounts the root (virtio-blk, ext4), not
# MODULES=most: under TCG that saves seconds on every boot, and vswap is
# not in the initramfs either way (vswap-setup@.service loads it).
#
# Usage: mkroot.sh        (BOOT_ROOT=, DEBIAN_MIRROR= override)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$TOP/tests/vm/boot
ROOT=${BOOT_ROOT:-$TOP/build/boot-root}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS=systemd,systemd-sysv,udev,kmod,dkms,build-essential,pkg-config,libnl-3-dev,libnl-genl-3-dev,linux-image-amd64,linux-headers-amd64,initramfs-tools,libncurses-dev,passwd,util-linux,procps,e2fsprogs,iproute2,git
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://security.debian.org/debian-security}
KEY=$( { echo "$PKGS $MIRROR $SECURITY"; cat "$0" "$HERE/second-headers.sh"; } | sha256sum | cut -c1-16)

if [ -f "$ROOT.stamp" ] && [ "$(cat "$ROOT.stamp")" = "$KEY" ] && [ -d "$ROOT/usr" ]; then
	echo "boot root: cached in $ROOT"
	exit 0
fi
command -v mmdebstrap >/dev/null || apt-get install -y mmdebstrap
rm -rf "$ROOT.tmp" "$ROOT.stamp"
mkdir -p "$(dirname "$ROOT")"
echo "boot root: mmdebstrap trixie into $ROOT (several minutes)"
# Downloaded packages are kept in build/boot-debs for the next build.
DEBS=$TOP/build/boot-debs
mkdir -p "$DEBS"
# shellcheck disable=SC2016 # $1 is mmdebstrap's, in the hooks
nice mmdebstrap --variant=apt --include="$PKGS" \
	--skip=download/empty \
	--setup-hook='mkdir -p "$1/var/cache/apt/archives/"' \
	--setup-hook="sync-in $DEBS /var/cache/apt/archives/" \
	--setup-hook='mkdir -p "$1/etc/initramfs-tools/conf.d"' \
	--setup-hook='echo MODULES=list >"$1/etc/initramfs-tools/conf.d/vswap-boottest.conf"' \
	--setup-hook='printf "virtio_pci\nvirtio_blk\next4\n" >"$1/etc/initramfs-tools/modules"' \
	--customize-hook="upload $HERE/second-headers.sh /tmp/second-headers.sh" \
	--customize-hook='chroot "$1" sh /tmp/second-headers.sh && rm "$1/tmp/second-headers.sh"' \
	--customize-hook="sync-out /var/cache/apt/archives $DEBS" \
	--customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
	--customize-hook='echo vswapboot >"$1/etc/hostname"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook='printf "LABEL=vswaproot / ext4 rw,errors=remount-ro 0 1\n" >"$1/etc/fstab"' \
	--customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service' \
	trixie "$ROOT.tmp" "deb $MIRROR trixie main" "deb $MIRROR trixie-updates main" \
	"deb $SECURITY trixie-security main"
rm -rf "$ROOT"
mv "$ROOT.tmp" "$ROOT"
echo "$KEY" >"$ROOT.stamp"
echo "boot root: $ROOT, kernels $(find "$ROOT/boot" -maxdepth 1 -name "vmlinuz-*" -printf "%f " | sed "s/vmlinuz-//g")"
