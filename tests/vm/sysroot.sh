#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A Debian 13 root (mmdebstrap) holding the newest lane's headers and
# Debian 13's compiler, sparse and kmod: the module for that kernel is
# built in it, as a Debian 13 user's DKMS would build it.
#
# Usage: sysroot.sh RELEASE   (e.g. 7.3.4+deb13-amd64)
#   Makes build/kernel/newest/sysroot; a second run is a no-op.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"
release=${1:?usage: sysroot.sh RELEASE}
root=$VM_TOP/build/kernel/newest/sysroot
[ -e "$root/.done-$release" ] && exit 0
mirror=${VSWAP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
rm -rf "$root"
vm_log "building the Debian 13 root for $release in ${root#"$VM_TOP"/}"
mmdebstrap --mode=root --variant=apt --quiet \
	--aptopt='APT::Install-Recommends "false"' \
	--include="make,bc,kmod,sparse,rsync,linux-headers-$release" \
	trixie "$root" "deb $mirror trixie main" "deb $mirror trixie-backports main"
touch "$root/.done-$release"
