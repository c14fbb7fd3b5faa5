#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd boot test (tests/run_all.sh, "boot"): a Debian 13 root
# (mkroot.sh) with vswap installed as a user would (install.sh, including
# DKMS for a second kernel), booted under QEMU (TCG) with systemd as PID 1,
# an emulated NVMe and a throttled slow virtio disk.  Scenarios, two QEMUs
# at a time (BOOT_PARALLEL=, default 2), in the order given (vswaptest=
# tells the guest's vswap-boottest.service what to check, see guest/):
#   normal  swap on /dev/vswap0 (priority 42) with the nvme and slow tiers,
#           nothing failed, a verified swap workload, stop/start
#   off     vswap=off on the kernel command line: nothing set up
#   broken  a broken drop-in line: file:line in the journal, boot completes
#   nonvme  no NVMe: the device runs on ram + slow, with a journal message
# Output is TAP, one line per check (the install's, then each scenario's
# from the guest's second serial port, build/boot-test/SCENARIO.results;
# the console is SCENARIO.log, with the journal when a check failed), with the
# time of each part; "systemd-analyze time" of normal and off is printed
# side by side at the end.
#
# Usage: run.sh [SCENARIO...]   (default: all four; BOOT_TIMEOUT= seconds
# per boot, default 600; BOOT_INSTALL=guest: install only the guest side
# again, on a root installed before, for debugging the checks)
# Exit: 0 all passed, 1 a failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$TOP/tests/vm/boot
ROOT=${BOOT_ROOT:-$TOP/build/boot-root}
OUT=$TOP/build/boot-test
TIMEOUT=${BOOT_TIMEOUT:-600}
PARALLEL=${BOOT_PARALLEL:-2}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(normal off broken nonvme)
# mmdebstrap, chroot and bind mounts (install.sh) and reading every file
# of the root (mkfs.ext4 -d) need root.
if [ "$(id -u)" -ne 0 ]; then
	if sudo -n true 2>/dev/null; then
		exec sudo -n env BOOT_TIMEOUT="$TIMEOUT" BOOT_INSTALL="${BOOT_INSTALL:-}" BOOT_PARALLEL="$PARALLEL" \
			BOOT_TCG_THREAD="${BOOT_TCG_THREAD:-multi}" \
			${BOOT_ROOT:+BOOT_ROOT="$BOOT_ROOT"} "$0" "$@"
	fi
	echo "ok 1 boot # SKIP needs root or passwordless sudo (mmdebstrap, chroot, mounts)"
	echo "1..1"
	exit 0
fi
mkdir -p "$OUT"

n=0 failed=0
t_start=$SECONDS
tap_ok() { n=$((n + 1)); echo "ok $n $*"; }
tap_fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $*"; }
tap_skip() { n=$((n + 1)); echo "ok $n ${1%% # *} # SKIP ${1#* # }"; }
finish() {
	echo "# boot test: $((SECONDS - t_start)) s in all"
	echo "1..$n"
	[ $failed -eq 0 ]
	exit
}
# results PREFIX TAG FILE: "PREFIX ok|FAIL|SKIP WHAT" lines as TAP; 1 when
# there were none.
results() {
	local prefix=$1 tag=$2 file=$3 line what found=1
	while IFS= read -r line; do
		line=${line%$'\r'}
		what=${line#"$prefix" * }
		case $line in
		"$prefix ok "*) tap_ok "$tag: $what" ;;
		"$prefix FAIL "*) tap_fail "$tag: $what" ;;
		"$prefix SKIP "*) tap_skip "$tag: $what" ;;
		*) continue ;;
		esac
		found=0
	done < <(grep -a -E "^$prefix (ok|FAIL|SKIP) " "$file")
	return $found
}

t0=$SECONDS
if "$HERE/mkroot.sh" >"$OUT/mkroot.log" 2>&1; then
	tap_ok "mkroot: Debian 13 root ($(tail -n 1 "$OUT/mkroot.log" | sed 's/^boot root: //'); $((SECONDS - t0)) s)"
else
	sed 's/^/# /' "$OUT/mkroot.log" | tail -n 20
	tap_fail "mkroot: Debian 13 root (log: $OUT/mkroot.log)"
	finish
fi

t0=$SECONDS
if [ "${BOOT_INSTALL:-}" = guest ]; then
	"$HERE/install.sh" --guest
else
	"$HERE/install.sh"
fi >"$OUT/install.log" 2>&1
rc=$?
results VSWAP-INSTALL: install "$OUT/install.log"
if [ $rc -ne 0 ]; then
	grep -av '^VSWAP-INSTALL' "$OUT/install.log" | tail -n 20 | sed 's/^/# /'
	tap_fail "install: ready to boot (log: $OUT/install.log)"
	finish
fi
echo "# install: $((SECONDS - t0)) s"
KVER=$(find "$ROOT/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1)

# Root file system images: the installed root, as small as it fits, and
# copies of it with one drop-in each (written with debugfs, no remake):
# broken.img a broken line; nonvme.img a short wait for the absent NVMe
# (vswap.conf gives it 120 s, as a slow machine needs when it is there).
t0=$SECONDS
# variant NAME DROPIN TEXT: $OUT/NAME.img, root.img plus the drop-in.
variant() {
	cp --sparse=always "$OUT/root.img" "$OUT/$1.img" || return 1
	printf '%b' "$3" >"$OUT/$2"
	debugfs -w -f - "$OUT/$1.img" >/dev/null 2>&1 <<-EOF || return 1
		mkdir /etc/vswap.conf.d
		write $OUT/$2 /etc/vswap.conf.d/$2
	EOF
	debugfs -R "cat /etc/vswap.conf.d/$2" "$OUT/$1.img" 2>/dev/null | cmp -s - "$OUT/$2"
}
mkimages() {
	local mb
	mb=$(du -sxm "$ROOT" | cut -f1)
	rm -f "$OUT"/{root,broken,nonvme}.img
	truncate -s $((mb + 768))M "$OUT/root.img"
	nice mkfs.ext4 -q -F -L vswaproot -d "$ROOT" "$OUT/root.img" || return 1
	variant broken 99-broken.conf '[vswap0/nvme]\nidle-age = soon\n' &&
		variant nonvme 50-nvme-timeout.conf '[vswap0/nvme]\ndevice-timeout = 20\n'
}
if [ -f "$OUT/root.img" ] && [ -f "$OUT/broken.img" ] && [ -f "$OUT/nonvme.img" ] &&
	[ "$OUT/root.img" -nt "$ROOT/.vswap-installed" ]; then
	tap_ok "images: cached"
elif mkimages; then
	tap_ok "images: root, broken-config and nonvme ext4 images ($(du -m --apparent-size "$OUT/root.img" | cut -f1) MiB; $((SECONDS - t0)) s)"
else
	rm -f "$OUT"/{root,broken,nonvme}.img
	tap_fail "images: root, broken-config and nonvme ext4 images"
	finish
fi

# boot_start SCENARIO: its QEMU in the background, on its own qcow2 overlay
# and tier disks, so that scenarios can boot side by side.
declare -A boot_pid=() boot_t0=()
boot_start() {
	local s=$1 img=root.img nvme=1 extra=""
	case $s in
	off) extra="vswap=off" ;;
	broken) img=broken.img ;;
	nonvme) img=nonvme.img nvme=0 ;;
	esac
	rm -f "$OUT/$s.log" "$OUT/$s.results" "$OUT/$s.end"
	qemu-img create -q -f qcow2 -F raw -b "$OUT/$img" "$OUT/$s.qcow2" || return 1
	rm -f "$OUT/$s-nvme.img" "$OUT/$s-slow.img"
	truncate -s 512M "$OUT/$s-nvme.img" "$OUT/$s-slow.img"
	# shellcheck disable=SC2054 # the commas are QEMU's
	local args=(-machine q35 -accel "tcg,thread=${BOOT_TCG_THREAD:-multi}" -cpu max -smp 2 -m 1024 -nodefaults
		-display none -no-reboot -monitor none
		-serial "file:$OUT/$s.log" -serial "file:$OUT/$s.results"
		-kernel "$ROOT/boot/vmlinuz-$KVER" -initrd "$ROOT/boot/initrd.img-$KVER"
		-append "root=LABEL=vswaproot rw console=ttyS0 quiet panic=5 vswaptest=$s $extra"
		-drive "file=$OUT/$s.qcow2,if=virtio,format=qcow2"
		-drive "file=$OUT/$s-slow.img,if=none,id=slow,format=raw,throttling.iops-total=2000"
		-device virtio-blk-pci,drive=slow,serial=vswapslow)
	# shellcheck disable=SC2054
	[ $nvme -eq 1 ] && args+=(-drive "file=$OUT/$s-nvme.img,if=none,id=nv,format=raw"
				  -device nvme,serial=vswapnvme,drive=nv)
	echo "# boot: $s (TCG, up to $TIMEOUT s; console $OUT/$s.log)"
	boot_t0[$s]=$(date +%s)
	(
		timeout "$TIMEOUT" nice qemu-system-x86_64 "${args[@]}"
		echo "$? $(date +%s)" >"$OUT/$s.end"
	) &
	boot_pid[$s]=$!
}

# boot_finish SCENARIO: wait for its QEMU, then its checks as TAP.
boot_finish() {
	local s=$1 rc=255 end
	end=$(date +%s)
	[ ! -s "$OUT/$s.end" ] || read -r rc end <"$OUT/$s.end"
	rm -f "$OUT/$s.qcow2" "$OUT/$s-nvme.img" "$OUT/$s-slow.img" "$OUT/$s.end"
	results VSWAP-BOOT: "$s" "$OUT/$s.results" ||
		tap_fail "$s: the guest's checks ran (no results; log: $OUT/$s.log)"
	if grep -aq '^VSWAP-BOOT-END' "$OUT/$s.results"; then
		tap_ok "$s: boot, checks and poweroff ($((end - boot_t0[$s])) s)"
	elif [ "$rc" -eq 124 ]; then
		tap_fail "$s: boot, checks and poweroff (timed out after $TIMEOUT s; log: $OUT/$s.log)"
	else
		tap_fail "$s: boot, checks and poweroff (qemu exit $rc; log: $OUT/$s.log)"
	fi
	grep -a '^VSWAP-BOOT: \(scenario\|analyze\|after\|swap_stress\)' "$OUT/$s.results" | tr -d '\r' | sed 's/^/# /'
}

# Up to PARALLEL at a time, each started as a slot frees up; normal and
# off first, side by side, so that their systemd-analyze times are taken
# under the same load.
declare -A boot_of=()
running=0
next_done() {
	local pid
	wait -n -p pid "${!boot_of[@]}"
	boot_finish "${boot_of[$pid]}"
	unset "boot_of[$pid]"
	running=$((running - 1))
}
for s in "${SCENARIOS[@]}"; do
	case $s in
	normal | off | broken | nonvme) ;;
	*) tap_fail "$s: unknown scenario"; continue ;;
	esac
	[ $running -lt "$PARALLEL" ] || next_done
	if boot_start "$s"; then
		boot_of[${boot_pid[$s]}]=$s
		running=$((running + 1))
	else
		tap_fail "$s: boot (could not make its disks in $OUT)"
	fi
done
while [ $running -gt 0 ]; do
	next_done
done
for s in normal off; do
	[ -f "$OUT/$s.results" ] || continue
	echo "# systemd-analyze time ($s): $(grep -a '^VSWAP-BOOT: analyze' "$OUT/$s.results" | cut -d' ' -f3- | tr -d '\r')"
done
finish
