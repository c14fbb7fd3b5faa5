#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch one of Debian's amd64 kernels (image, modules, matching headers)
# with apt-get download + dpkg -x through a private apt state (tests/vm/apt.sh):
# no initramfs hooks, no install, the host's apt sources untouched.
#
# Usage: fetch-kernel.sh [--kernel 6.1|6.12|newest]   (default: $VSWAP_KERNEL or 6.12)
#   6.1     Debian 12's own line (linux-image-6.1.0-N-amd64), gcc-12
#   6.12    the 6.12 LTS line built for Debian 12 (bookworm-backports or
#           -security, linux-image-6.12.N+deb12-amd64), gcc-12
#   newest  the highest +deb13 kernel (trixie-backports), built with
#           Debian 13's gcc: its headers live in a Debian 13 root made with
#           mmdebstrap (build/kernel/newest/sysroot), where the module is
#           built as a Debian 13 user's DKMS would
# Each version is the newest the archive offers, resolved at fetch time and
# cached in build/kernel/<lane>/ (release, vmlinuz, kdir, root/lib/modules).
# Prints the kernel release on stdout.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/vm/apt.sh
. "$VM_DIR/apt.sh"

lane=$VM_LANE
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) lane=$2; shift ;;
	--kernel=*) lane=${1#*=} ;;
	-h | --help) sed -n '3,18p' "$0"; exit 0 ;;
	*) vm_die "unknown argument '$1'" ;;
	esac
	shift
done

case $lane in
6.1) re='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
6.12) re='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
newest) re='^linux-image-[0-9]+\.[0-9]+\.[0-9]+\+deb13-amd64$' ;;
*) vm_die "unknown kernel lane '$lane' (6.1|6.12|newest)" ;;
esac

dest=$VM_TOP/build/kernel/$lane
if [ -e "$dest/.fetched" ] && [ -s "$dest/release" ]; then
	cat "$dest/release"
	exit 0
fi

"$VM_DIR/host-deps.sh" >&2
mkdir -p "$dest"
exec 9>"$dest.lock"
flock 9
papt_update || vm_die "apt-get update (private state in build/apt) failed"

image_pkg=$(papt_newest "$re")
[ -n "$image_pkg" ] || vm_die "no package matching $re in the archive"
release=${image_pkg#linux-image-}
rel_re=${release//./\\.}
rel_re=${rel_re//+/\\+}
vm_log "kernel lane $lane: $release"

# depends PKG REGEX: PKG's direct dependencies whose names match REGEX.
depends() {
	papt_cache depends "$1" | awk '/^ *Depends: / {print $2}' | grep -E "$2" | sort -u
}
# 7.x splits the image into linux-binary (vmlinuz) and linux-modules.
pkgs=("$image_pkg")
mapfile -t -O 1 pkgs < <(depends "$image_pkg" "^linux-(binary|modules|base)-$rel_re\$")
if [ "$lane" != newest ]; then
	pkgs+=("linux-headers-$release")
	mapfile -t -O ${#pkgs[@]} pkgs < <(depends "linux-headers-$release" '^linux-(headers-.*-common|kbuild-.*)$')
fi

rm -rf "$dest/debs" "$dest/root" "$dest/.fetched"
mkdir -p "$dest/debs" "$dest/root"
(cd "$dest/debs" && papt_get download "${pkgs[@]}" >&2)
for deb in "$dest"/debs/*.deb; do
	dpkg -x "$deb" "$dest/root"
done
rm -rf "$dest/debs"

# Merged /usr (7.x) ships modules under usr/lib/modules only.
if [ ! -e "$dest/root/lib/modules/$release" ] && [ -d "$dest/root/usr/lib/modules/$release" ]; then
	ln -sfn usr/lib "$dest/root/lib"
fi
# No image package ships modules.dep; the initramfs builder needs modules.builtin.
depmod -b "$dest/root" "$release"
vmlinuz=$(find "$dest/root/boot" "$dest/root/usr/lib/modules/$release" -maxdepth 1 \
	-name "vmlinuz*" 2>/dev/null | head -n1 || true)
[ -n "$vmlinuz" ] || vm_die "no vmlinuz in ${pkgs[*]}"
ln -sfn "${vmlinuz#"$dest"/}" "$dest/vmlinuz"

if [ "$lane" = newest ]; then
	"$VM_DIR/sysroot.sh" "$release" >&2 || vm_die "Debian 13 build root failed"
	ln -sfn "sysroot/usr/src/linux-headers-$release" "$dest/kdir"
else
	# The headers' Makefile includes the -common tree by absolute path.
	sed -i "s|include /usr/src/|include $dest/root/usr/src/|" \
		"$dest/root/usr/src/linux-headers-$release/Makefile"
	ln -sfn "root/usr/src/linux-headers-$release" "$dest/kdir"
fi
echo "$release" >"$dest/release"
touch "$dest/.fetched"
echo "$release"
