#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test VM (QEMU q35, TCG) with the harness initramfs, run one
# command inside, save the whole serial console, exit with its status.
#
# Usage: run-vm.sh [options] [--] COMMAND...
#   -k, --kernel debian|debug   guest kernel (default debian)
#   -m, --mem SIZE              guest RAM (default 1G)
#   -s, --smp N                 vCPUs (default 2)
#   -t, --timeout SECS          wall-clock limit for the whole VM (default 600)
#   -T, --guest-timeout SECS    limit for COMMAND inside (default: --timeout - 60)
#   -l, --log FILE              console log (default build/vm/logs/run-<time>.log)
#   --nvme SIZE[,DRIVEOPTS]     attach an emulated NVMe namespace backed by a
#                               sparse file (repeatable: nvme0n1, nvme1n1, ...)
#   --disk SIZE[,DRIVEOPTS]     attach a virtio disk (repeatable: vda, vdb, ...),
#                               e.g. --disk 2G,throttling.iops-total=200
#   --script FILE               run FILE (copied into the guest) instead of COMMAND
#   --file SRC[:DST]            also copy SRC to DST (default /vm/<name>) in the guest
#   --kmemleak                  after COMMAND: unload vswap, scan, print kmemleak
#   --append STR                extra kernel command line
#   --qemu-arg ARG              extra QEMU argument (repeatable)
#   --initrd FILE               use this base initramfs instead of building one
#   -v, --verbose               also stream the console to stdout
# VSWAP_TCG_THREAD=single|multi picks QEMU's TCG threading (default: multi
# for the 6.1 and 6.12 lanes, single for newest and debug; see below).
# COMMAND runs under /bin/sh in /vm with the env VM_NVME_DEVS / VM_DISK_DEVS
# naming the attached disks.  Exit status: COMMAND's, or 255 when the guest
# never reported one (timeout, panic, harness failure).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

flavour=debian mem=1G smp=2 timeout=600 verbose=0 kmemleak=0
guest_timeout='' log='' script='' initrd='' append=''
nvmes=() disks=() files=() qemu_extra=()
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) flavour=$2; shift ;;
	-m | --mem) mem=$2; shift ;;
	-s | --smp) smp=$2; shift ;;
	-t | --timeout) timeout=$2; shift ;;
	-T | --guest-timeout) guest_timeout=$2; shift ;;
	-l | --log) log=$2; shift ;;
	--nvme) nvmes+=("$2"); shift ;;
	--disk) disks+=("$2"); shift ;;
	--script) script=$2; shift ;;
	--file) files+=("$2"); shift ;;
	--kmemleak) kmemleak=1 ;;
	--append) append="$append $2"; shift ;;
	--qemu-arg) qemu_extra+=("$2"); shift ;;
	--initrd) initrd=$2; shift ;;
	-v | --verbose) verbose=1 ;;
	-h | --help) sed -n '3,28p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) vm_die "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
	shift
done
[ -n "$script" ] || [ $# -gt 0 ] || vm_die "nothing to run (COMMAND or --script)"
[ -n "$guest_timeout" ] || guest_timeout=$((timeout > 120 ? timeout - 60 : timeout * 3 / 4))

kernel_paths "$flavour"
[ -n "$initrd" ] || initrd=$("$VM_DIR/mkinitramfs.sh" --kernel "$flavour")
mkdir -p "$VM_BUILD/logs" "$VM_BUILD/run"
[ -n "$log" ] || log=$VM_BUILD/logs/run-$(date +%Y%m%d-%H%M%S)-$$.log
mkdir -p "$(dirname "$log")"

run=$(mktemp -d "$VM_BUILD/run/vm.XXXXXX")
qpid=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Per-run files travel in a small uncompressed cpio placed before the base
# image (the kernel unpacks concatenated archives, like early microcode).
ov=$run/overlay
mkdir -p "$ov/vm"
token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
if [ -n "$script" ]; then
	cp "$script" "$ov/vm/script"
	chmod 755 "$ov/vm/script"
	echo 'exec /vm/script' >"$ov/vm/cmd"
else
	printf '%s\n' "$*" >"$ov/vm/cmd"
fi
for f in ${files[@]+"${files[@]}"}; do
	src=${f%%:*}
	dst=/vm/$(basename "$src")
	[ "$src" = "$f" ] || dst=${f#*:}
	mkdir -p "$ov$(dirname "$dst")"
	cp -a "$src" "$ov$dst"
done

# Disks: sparse files in the run dir, discarded afterwards.
qemu_disks=() wait_devs=() nvme_devs=() disk_devs=()
i=0
for spec in ${nvmes[@]+"${nvmes[@]}"}; do
	size=${spec%%,*} opts=
	[ "$size" = "$spec" ] || opts=,${spec#*,}
	truncate -s "$size" "$run/nvme$i.img"
	qemu_disks+=(-drive "file=$run/nvme$i.img,if=none,id=nvm$i,format=raw,cache=unsafe,discard=unmap$opts"
		-device "nvme,serial=vswap-nvme$i,drive=nvm$i")
	wait_devs+=("nvme${i}n1") nvme_devs+=("/dev/nvme${i}n1")
	i=$((i + 1))
done
i=0
for spec in ${disks[@]+"${disks[@]}"}; do
	size=${spec%%,*} opts=
	[ "$size" = "$spec" ] || opts=,${spec#*,}
	truncate -s "$size" "$run/disk$i.img"
	qemu_disks+=(-drive "file=$run/disk$i.img,if=none,id=vd$i,format=raw,cache=unsafe,discard=unmap$opts"
		-device "virtio-blk-pci,drive=vd$i,serial=vswap-disk$i")
	letter=$(echo abcdefghijklmnopqrstuvwxyz | cut -c$((i + 1)))
	wait_devs+=("vd$letter") disk_devs+=("/dev/vd$letter")
	i=$((i + 1))
done

cat >"$ov/vm/env" <<EOF
VM_TOKEN=$token
VM_TIMEOUT=$guest_timeout
VM_KMEMLEAK=$kmemleak
VM_WAIT_DEVS="${wait_devs[*]}"
export VM_KERNEL=$flavour
export VM_NVME_DEVS="${nvme_devs[*]}"
export VM_DISK_DEVS="${disk_devs[*]}"
EOF
(cd "$ov" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$run/initrd"
cat "$initrd" >>"$run/initrd"

# panic=-1 + -no-reboot: a panic ends QEMU at once instead of hanging;
# oops=panic: so does an Oops (the test has failed; its first report is
# the one worth reading, and the rest would only run into the timeout).
# no_timer_check: on a loaded host, TCG can miss the IO-APIC timer check
# at boot ("IO-APIC + timer doesn't work!") and panic.
cmdline="console=ttyS0,115200 printk.time=1 panic=-1 oops=panic rdinit=/init mitigations=off random.trust_cpu=on no_timer_check$append"
# Multi-threaded TCG (a host thread per vCPU) runs the guest's CPUs truly
# in parallel, which the race tests want, but:
#  - it misses cross-modifying code now and then: 7.x's jump-label patching
#    left a vCPU running a stale int3 (early-boot "Oops: int3" in
#    set_next_task_fair or sched_clock_cpu, 1 boot of 7.3.4 in 80 under
#    QEMU 7.2; none in 80 single-threaded boots, never seen on 6.1/6.12);
#  - beside another VM on 2 cores its vCPU threads wait on each other
#    (two VMs booting side by side took twice as long as single-threaded).
# Single-threaded TCG runs the vCPUs in turn on one host thread, so code
# writes are seen at once; the guest is still SMP.  The debug lane (KASAN,
# lockdep) runs beside the foreground lanes, so it takes one host thread.
tcg_thread=${VSWAP_TCG_THREAD:-}
if [ -z "$tcg_thread" ]; then
	tcg_thread=multi
	if [ "$flavour" = debug ] || [ "$VM_LANE" = newest ]; then
		tcg_thread=single
	fi
fi
case $tcg_thread in single | multi) ;; *) vm_die "VSWAP_TCG_THREAD: single or multi, not '$tcg_thread'" ;; esac
qemu=(qemu-system-x86_64 -machine q35 -accel "tcg,thread=$tcg_thread" -cpu max -smp "$smp" -m "$mem"
	-nographic -no-reboot -monitor none -serial stdio -nodefaults -vga none
	-kernel "$K_VMLINUZ" -initrd "$run/initrd" -append "$cmdline"
	${qemu_disks[@]+"${qemu_disks[@]}"} ${qemu_extra[@]+"${qemu_extra[@]}"})

: >"$log"
if [ "$verbose" = 1 ]; then
	tail -n +1 -f "$log" --pid=$$ &
fi
t0=$(date +%s.%N)
# QEMU in the background so the trap can kill it; stdin closed (CI has none).
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$log" 2>&1 &
qpid=$!
qrc=0
wait "$qpid" || qrc=$?
qpid=
elapsed=$(echo "$(date +%s.%N) - $t0" | bc)
[ "$verbose" = 0 ] || sleep 0.3 # let tail flush

marker=$(grep -a -o "<<<VM-EXIT $token [0-9]*>>>" "$log" | tail -n1 || true)
if [ -z "$marker" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		vm_log "VM timed out after ${timeout}s, no exit status (log: $log)"
	else
		vm_log "VM ended (qemu rc $qrc) without an exit status (log: $log)"
	fi
	exit 255
fi
rc=${marker#"<<<VM-EXIT $token "}
rc=${rc%>>>}
printf 'vm: %s kernel, %.1f s, exit %s, log %s\n' "$flavour" "$elapsed" "$rc" "$log" >&2
exit "$rc"
