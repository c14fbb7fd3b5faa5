#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-6.1 into build/linux-source (once).
# checkpatch.pl, kselftest_harness.h and the debug kernel come from here.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$top/build/linux-source
[ -e "$dest/.unpacked" ] && exit 0
"$top/tests/vm/host-deps.sh"
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n1)
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
mv "$dest.tmp" "$dest"
touch "$dest/.unpacked"
