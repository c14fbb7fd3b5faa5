#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's current amd64 kernel image and matching headers with
# apt-get download + dpkg -x (no initramfs hooks, no install).
# Usage: fetch-kernel.sh [DESTDIR]   (default: build/kernel/debian)
# Prints the kernel release on stdout; DESTDIR/kdir and DESTDIR/vmlinuz
# are stable symlinks to the headers tree and the kernel image.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$top/build/kernel/debian}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

if [ -e "$dest/kdir/Makefile" ] && [ -e "$dest/vmlinuz" ] && [ -s "$dest/release" ]; then
	cat "$dest/release"
	exit 0
fi

"$top/tests/vm/host-deps.sh" >&2

# The metapackage names the ABI the archive currently ships: derive from it.
image_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$image_pkg" ] || { echo "fetch-kernel: cannot resolve linux-image-amd64" >&2; exit 1; }
release=${image_pkg#linux-image-}
common_pkg=$(apt-cache depends "linux-headers-$release" | awk '/Depends: linux-headers-.*-common/ {print $2; exit}')
kbuild_pkg=$(apt-cache depends "linux-headers-$release" | awk '/Depends: linux-kbuild-/ {print $2; exit}')

debs="$dest/debs"
rm -rf "$debs" "$dest/root"
mkdir -p "$debs" "$dest/root"
(cd "$debs" && apt-get download "$image_pkg" "linux-headers-$release" \
	"$common_pkg" "$kbuild_pkg" >&2)
for deb in "$debs"/*.deb; do
	dpkg -x "$deb" "$dest/root"
done
rm -rf "$debs"
# The headers' Makefile includes the -common tree by absolute path.
sed -i "s|include /usr/src/|include $dest/root/usr/src/|" \
	"$dest/root/usr/src/linux-headers-$release/Makefile"

ln -sfn "root/usr/src/linux-headers-$release" "$dest/kdir"
ln -sfn "root/boot/vmlinuz-$release" "$dest/vmlinuz"
echo "$release" >"$dest/release"
echo "$release"
