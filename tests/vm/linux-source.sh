#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's kernel source for the primary lane (6.12) into
# build/linux-source, once: the linux-source-6.12 package at the version
# of the lane's image (tests/vm/fetch-kernel.sh --kernel 6.12), fetched
# with apt-get download + dpkg -x through the private apt state.  The
# debug kernel, checkpatch.pl and kselftest_harness.h come from here.
# build/linux-source/.version holds the package version.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/vm/apt.sh
. "$VM_DIR/apt.sh"

lane=6.12
dest=$VM_TOP/build/linux-source
[ -e "$dest/.unpacked" ] && [ -s "$dest/.version" ] && exit 0
"$VM_DIR/host-deps.sh"
mkdir -p "$VM_TOP/build"
exec 9>"$dest.lock"
flock 9
[ -e "$dest/.unpacked" ] && [ -s "$dest/.version" ] && exit 0
release=$("$VM_DIR/fetch-kernel.sh" --kernel $lane)
papt_update || vm_die "apt-get update (private state in build/apt) failed"
# The image's version (6.12.N-1~deb12uM) is the source package's too.
ver=$(papt_cache show "linux-image-$release" | sed -n 's/^Version: //p' | head -n1)
pkg=linux-source-$lane
if [ -z "$ver" ] || ! papt_cache show "$pkg=$ver" >/dev/null 2>&1; then
	ver=$(papt_cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
fi
[ -n "$ver" ] && [ "$ver" != "(none)" ] || vm_die "no $pkg in the archive"
vm_log "kernel source: $pkg $ver"
work=$VM_TOP/build/linux-source.pkg
rm -rf "$work" "$dest" "$dest.tmp"
mkdir -p "$work" "$dest.tmp"
(cd "$work" && papt_get download -q "$pkg=$ver" >&2) || vm_die "apt-get download $pkg=$ver failed"
dpkg -x "$work"/"$pkg"_*.deb "$work/x"
tarball=$(ls "$work"/x/usr/src/"$pkg".tar.* | head -n1)
tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
rm -rf "$work"
echo "$ver" >"$dest.tmp/.version"
mv "$dest.tmp" "$dest"
touch "$dest/.unpacked"
