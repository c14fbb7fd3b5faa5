#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=384M smp=2 timeout=400
# debug-lane: skip test_swap_02 swaps out and back in through a memory cgroup on the debug kernel, test_swap_05 under global pressure through every tier
#
# Real swapping under memory pressure, every byte verified: swap_stress
# with 2 threads (one per vCPU) maps twice the memory its cgroup may use
# (memory.max) and walks it in shuffled order, verifying and rewriting
# pages; the overflow goes to /dev/vswap0 and /dev/vswap1 (same swap
# priority, so the kernel alternates between them) and back many times.  The
# compressed copies live in RAM outside the cgroup, which is why the limit
# is a cgroup's and not the VM's.  Asserts that swap was really used
# (vswap write/read counters, pswpin/pswpout in /proc/vmstat), that every
# tier saw pages, no I/O failed, the counters are consistent, and that the
# slots are released when the workload exits.
. "$(dirname "$0")/test_common.sh"

LIMIT_MB=${LIMIT_MB:-$(lane 64 24)}
WORK_MB=${WORK_MB:-$((2 * LIMIT_MB))}

test_init "swap_stress: ${WORK_MB} MiB in a ${LIMIT_MB} MiB cgroup, 2 threads, verified"
require_vswap
require_prog swap_stress
require_memcg

vswap_load size=256M num_devices=2
vswap_swapon vswap0 10
vswap_swapon vswap1 10
cg_create ${LIMIT_MB}M

pin0=$(vmstat_get pswpin) pout0=$(vmstat_get pswpout)
w0=$(($(vstat writes) + $(vstat writes vswap1))) r0=$(($(vstat reads) + $(vstat reads vswap1)))
rc=0
cg_exec "$TEST_DIR/swap_stress" -m "$WORK_MB" -t 2 -p 2 || rc=$?
pin=$(($(vmstat_get pswpin) - pin0)) pout=$(($(vmstat_get pswpout) - pout0))
writes=$(($(vstat writes) + $(vstat writes vswap1) - w0))
reads=$(($(vstat reads) + $(vstat reads vswap1) - r0))
log "pswpout +$pout pswpin +$pin; vswap writes +$writes reads +$reads; memory.events: $(tr '\n' ' ' <"$CG_TEST/memory.events")"
vswap_show vswap0
vswap_show vswap1
assert_eq "$rc" 0 "swap_stress verified every page"

# Half the working set does not fit: every pass pushes at least that
# much out and reads it back.
min=$(((WORK_MB - LIMIT_MB) * 256))
assert_ge "$pout" "$min" "pswpout rose by at least $((WORK_MB - LIMIT_MB)) MiB of pages"
assert_ge "$pin" "$min" "pswpin rose by at least $((WORK_MB - LIMIT_MB)) MiB of pages"
assert_ge "$writes" "$min" "vswap writes"
assert_ge "$reads" "$min" "vswap reads"
# The swap layer writes whole pages through vswap: its counters agree
# with the kernel's (vswap also saw mkswap's header write).
assert_ge "$writes" "$pout" "vswap writes >= pswpout"
for d in vswap0 vswap1; do
	assert_ge "$(vstat writes $d)" $((min / 4)) "$d took its share of swap-outs"
	assert_gt "$(tstat same writes $d)" 0 "$d: zero/same-filled pages went to the same tier"
	assert_gt "$(tstat ram writes $d)" 0 "$d: other pages went to the RAM tier"
	assert_gt "$(tstat same reads $d)" 0 "$d: swap-ins from the same tier"
	assert_gt "$(tstat ram reads $d)" 0 "$d: swap-ins from the RAM tier"
	assert_gt "$(vstat frees $d)" 0 "$d: swap slot free notifications arrived"
	assert_no_failed_io $d
	assert_stats_consistent $d
done
assert_eq "$(awk '$1 == "oom_kill" { print $2 }' "$CG_TEST/memory.events")" 0 "no OOM kill in the cgroup"

# The workload has exited: its slots are freed (a few may sit in the swap
# slot caches until they drain).
sleep 1
stored=$(($(vstat stored_pages) + $(vstat stored_pages vswap1)))
log "after exit: stored_pages=$stored, swap used $(swap_used_kb vswap0) + $(swap_used_kb vswap1) KiB"
assert_le "$stored" $((min / 20 + 256)) "slots released after the workload exited"
for d in vswap0 vswap1; do
	assert_ok "swapoff $d" swapoff /dev/$d
	assert_eq "$(vstat stored_pages $d)" 1 "$d: only mkswap's header page is left after swapoff"
	assert_eq "$(vstat clusters $d)" 1 "$d: one cluster table left (the header's)"
done
test_done
