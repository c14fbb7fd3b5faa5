#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the host packages the build, tests, demo and benchmarks need.
# Idempotent and quiet when everything is present.
set -euo pipefail
pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio
	xz-utils zstd rsync pkg-config python3 python3-yaml jq
	qemu-system-x86 qemu-utils busybox-static fio sparse e2fsprogs
	liblz4-dev libzstd-dev libnl-3-dev libnl-genl-3-dev libncurses-dev
	tmux gnuplot-nox stress-ng redis-tools
	mmdebstrap
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "host-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq >&2
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >&2
