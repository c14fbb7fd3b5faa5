#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=256M smp=2 nvme=1G timeout=900
# debug-lane: skip test_swap_05 takes the same global-pressure route (reclaim flushing its plug into vswap, RAM and backing tiers) on the debug kernel, with fault injection, in a fraction of the time
# vm: append=hung_task_panic=1 append=softlockup_panic=1 append=sysctl.kernel.hung_task_timeout_secs=60
# vm: append=sysctl.kernel.hung_task_all_cpu_backtrace=1
# smoke: yes
#
# Global memory pressure: the whole VM short of memory, no memory cgroup.
# Direct reclaim in any task (and kswapd) then flushes its plug into
# vswap's ->queue_rq, and every allocation vswap makes on the write path
# competes with the reclaimers for the last free pages: the route by
# which the 6.12 reclaim deadlock (a stream mutex held across an
# allocation that never returned) hung the VM.  The hung-task and soft
# lockup detectors are armed and panic, so a stall ends the VM with its
# stacks in the log instead of running into the timeout.
#
# Two swap_stress processes (2/3 and 1/3 of the working set, like two
# unrelated workloads) dirty, re-read and verify every page:
#  1. RAM tier alone, 2x the VM's RAM (RATIOS=) (pages that compress, so
#     that they fit in compressed RAM);
#  2. RAM tier + an NVMe tier, the same ratios, every kind of
#     page (incompressible ones too): the RAM tier must hand pages to the
#     NVMe by its default cap, or spill them when an allocation fails.
# Each round must verify every page, with no OOM kill and no report; with
# the NVMe tier, no failed write either ("Write-error on swap-device").
# With RAM alone a write may fail once the emergency reserves are gone too
# (the swap layer keeps the page; zram's writes fail there as well): the
# count is logged.
. "$(dirname "$0")/test_common.sh"

# 2x RAM on every lane: the unfixed deadlock hung in the first 2x round.
# RATIOS="2 3" adds the 3x rounds (about 4 more minutes on 6.12).
RATIOS=${RATIOS:-2}

test_init "global memory pressure at ${RATIOS}x RAM: RAM tier alone, then RAM + NVMe, verified"
require_vswap
require_prog swap_stress
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
[ -b "$FAST" ] || skip "needs an NVMe (# vm: nvme=)"

ram_mb=$(($(meminfo_kb MemTotal) / 1024))

# round NAME RATIO [swap_stress options]: the two workloads, verified;
# with CHECK_WRITES=1, no write failed.
round() {
	local name=$1 ratio=$2 work a b pa pb rca=0 rcb=0 t0 pout0 pin0
	shift 2
	work=$((ratio * ram_mb))
	a=$((work * 2 / 3))
	b=$((work - a))
	pout0=$(vmstat_get pswpout) pin0=$(vmstat_get pswpin)
	t0=$(date +%s)
	log "$name: ${ratio}x RAM = $a + $b MiB"
	"$TEST_DIR/swap_stress" -m $a -t 1 -p 1 -s $((ratio * 7 + 1)) "$@" >"$TEST_TMP/a.out" 2>&1 &
	pa=$!
	track_pid $pa
	"$TEST_DIR/swap_stress" -m $b -t 1 -p 1 -s $((ratio * 7 + 2)) "$@" >"$TEST_TMP/b.out" 2>&1 &
	pb=$!
	track_pid $pb
	wait $pa || rca=$?
	untrack_pid $pa
	wait $pb || rcb=$?
	untrack_pid $pb
	grep -h 'pages verified' "$TEST_TMP/a.out" "$TEST_TMP/b.out" | sed 's/^/# /'
	log "$name: $(($(date +%s) - t0)) s, pswpout +$(($(vmstat_get pswpout) - pout0)), pswpin +$(($(vmstat_get pswpin) - pin0))"
	vswap_show
	[ "$rca" -eq 0 ] || cat "$TEST_TMP/a.out"
	[ "$rcb" -eq 0 ] || cat "$TEST_TMP/b.out"
	assert_eq "$rca" 0 "$name: the $a MiB workload verified every page"
	assert_eq "$rcb" 0 "$name: the $b MiB workload verified every page"
	assert_ge "$(($(vmstat_get pswpout) - pout0))" $(((work - ram_mb) * 256 / 2)) \
		"$name: it really swapped (pswpout)"
	assert_eq "$(vstat failed_reads)" 0 "$name: no failed read"
	if [ "${CHECK_WRITES:-1}" = 1 ]; then
		assert_eq "$(vstat failed_writes)" 0 "$name: no failed write"
	else
		log "$name: failed writes so far: $(vstat failed_writes)"
	fi
}

# 1. RAM tier alone.
vswap_load size=4G comp=lz4
vswap_swapon vswap0
for r in $RATIOS; do
	CHECK_WRITES=0 round "ram-only" "$r" -c
done
assert_ok "swapoff" swapoff /dev/vswap0
vswap_unload

# 2. RAM tier + NVMe: the RAM tier's default cap sends the rest down.
# (Writes that failed with RAM alone above are not this part's: the check
# reads the kernel log from this part's own marker on.)
part2="vswap-selftest: test_swap_04 part 2 $$"
echo "$part2" >/dev/kmsg
vswap_load
assert_ok "dev add" vswapctl dev add vswap0 --size 4G --algo lz4
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast
vswap_swapon vswap0
for r in $RATIOS; do
	round "ram+nvme" "$r"
done
assert_gt "$(tstat fast writes)" 0 "the NVMe tier took pages"
assert_gt "$(tstat fast reads)" 0 "swap-ins from the NVMe tier"
assert_ok "swapoff" swapoff /dev/vswap0
assert_eq "$(dmesg | awk -v m="$part2" 'seen { print } index($0, m) { seen = 1 }' |
	grep -c 'Write-error on swap-device')" 0 \
	"no 'Write-error on swap-device' while the NVMe tier had room"
test_done
