#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd boot test (not in tests/run_all.sh yet): a Debian 13 root
# (mkroot.sh) with vswap installed as a user would (install.sh), booted
# under QEMU (TCG) with systemd as PID 1, an emulated NVMe and a throttled
# slow virtio disk.  Scenarios, one QEMU at a time (vswaptest= tells the
# guest's vswap-boottest.service what to check, see guest/):
#   normal  swap on /dev/vswap0 (priority 42) with the nvme and slow tiers,
#           nothing failed, a verified swap workload, stop/start
#   off     vswap=off on the kernel command line
#   broken  a broken drop-in line: file:line in the journal
#   nonvme  no NVMe: the device runs on ram + slow, with a warning
# The guest reports on the serial console (build/boot-test/SCENARIO.log);
# "systemd-analyze time" of normal and off is printed side by side.
#
# Usage: run.sh [SCENARIO...]   (default: all four)
# Exit: 0 all passed, 1 a failure, 3 blocked (vswap.ko does not build
# against the root's kernel yet).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$TOP/tests/vm/boot
ROOT=${BOOT_ROOT:-$TOP/build/boot-root}
OUT=$TOP/build/boot-test
TIMEOUT=${BOOT_TIMEOUT:-900}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(normal off broken nonvme)

"$HERE/mkroot.sh" || exit 1
"$HERE/install.sh"
rc=$?
[ $rc -eq 0 ] || exit $rc
KVER=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
mkdir -p "$OUT"

# Root file system images: the installed root, and one with a broken drop-in.
mkimage() {
	local img=$1
	rm -f "$img"
	truncate -s 6G "$img"
	nice mkfs.ext4 -q -F -L vswaproot -d "$ROOT" "$img"
}
if [ ! -f "$OUT/root.img" ] || [ "$ROOT/.vswap-installed" -nt "$OUT/root.img" ]; then
	echo "boot: root image"
	mkimage "$OUT/root.img" || exit 1
	mkdir -p "$ROOT/etc/vswap.conf.d"
	printf '[vswap0/nvme]\nidle-age = soon\n' >"$ROOT/etc/vswap.conf.d/99-broken.conf"
	mkimage "$OUT/broken.img"
	rc=$?
	rm -f "$ROOT/etc/vswap.conf.d/99-broken.conf"
	[ $rc -eq 0 ] || exit 1
fi

boot() {
	local s=$1 img=root.img nvme=1 extra=""
	case $s in
	off) extra="vswap=off" ;;
	broken) img=broken.img ;;
	nonvme) nvme=0 ;;
	esac
	qemu-img create -q -f qcow2 -F raw -b "$OUT/$img" "$OUT/$s.qcow2" || return 1
	truncate -s 512M "$OUT/nvme.img" "$OUT/slow.img"
	# shellcheck disable=SC2054 # the commas are QEMU's
	local args=(-machine q35 -accel tcg -cpu max -smp 2 -m 1024 -display none -no-reboot
		-monitor none -serial "file:$OUT/$s.log"
		-kernel "$ROOT/boot/vmlinuz-$KVER" -initrd "$ROOT/boot/initrd.img-$KVER"
		-append "root=/dev/vda rw console=ttyS0 vswaptest=$s $extra"
		-drive "file=$OUT/$s.qcow2,if=virtio,format=qcow2"
		-drive "file=$OUT/slow.img,if=none,id=slow,format=raw,throttling.iops-total=2000"
		-device virtio-blk-pci,drive=slow,serial=vswapslow)
	# shellcheck disable=SC2054
	[ $nvme -eq 1 ] && args+=(-drive "file=$OUT/nvme.img,if=none,id=nv,format=raw"
				  -device nvme,serial=vswapnvme,drive=nv)
	echo "boot: $s (TCG, up to $TIMEOUT s; log $OUT/$s.log)"
	local t0=$SECONDS
	timeout "$TIMEOUT" nice qemu-system-x86_64 "${args[@]}"
	echo "boot: $s took $((SECONDS - t0)) s"
	rm -f "$OUT/$s.qcow2"
	grep -a '^VSWAP-BOOT' "$OUT/$s.log" | grep -av ' journal ' | sed "s/^/  /"
	grep -aq '^VSWAP-BOOT-END pass' "$OUT/$s.log"
}

passed=0 failed=0
for s in "${SCENARIOS[@]}"; do
	if boot "$s"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
for s in normal off; do
	[ -f "$OUT/$s.log" ] && echo "systemd-analyze ($s): $(grep -a '^VSWAP-BOOT: analyze' "$OUT/$s.log" | cut -d' ' -f3-)"
done
echo "boot test: $passed passed, $failed failed"
[ $failed -eq 0 ]
