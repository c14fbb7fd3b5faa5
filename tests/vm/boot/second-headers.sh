#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run inside the boot root by mkroot.sh (an mmdebstrap customize hook):
# installs a second kernel's headers for the DKMS check, the newest other
# linux-headers-X.Y.N+...-amd64 of the root kernel's X.Y line that apt
# offers (an older point release or a security update).  Nothing is
# pinned: apt decides.  Without one, nothing happens and install.sh
# reports the DKMS check as a skip.
set -eu
kver=$(find /boot -maxdepth 1 -name 'vmlinuz-*' | sed 's|.*/vmlinuz-||' | sort -V | tail -n 1)
line=$(echo "$kver" | cut -d. -f1-2 | sed 's/\./\\./g')
second=$(apt-cache search --names-only "^linux-headers-$line\.[0-9]+\+[^-]*-amd64\$" |
	sed -n 's/^linux-headers-\([^ ]*\) .*/\1/p' | grep -vxF "$kver" | sort -V | tail -n 1)
if [ -z "$second" ]; then
	echo "boot root: apt offers no second $(echo "$kver" | cut -d. -f1-2) kernel; the DKMS check will skip"
	exit 0
fi
echo "boot root: second kernel headers for DKMS: $second (kernel $kver)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "linux-headers-$second"
