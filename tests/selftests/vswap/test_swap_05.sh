#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=256M debug-mem=320M smp=2 nvme=1G disk=1G,throttling.iops-total=2000 timeout=900
# vm: append=hung_task_panic=1 append=softlockup_panic=1 append=sysctl.kernel.hung_task_timeout_secs=60
# vm: append=sysctl.kernel.hung_task_all_cpu_backtrace=1
#
# Memory-pressure torture with fault injection.  The whole VM is short of
# memory (global pressure, no memory cgroup, like test_swap_04), and vswap
# swaps through a RAM tier with a limit, an NVMe fast tier and a
# throttled virtio slow tier, with the migration engine running (aging
# every second, no demotion rate limit: RAM -> fast by the watermarks,
# fast -> slow by idle age).  Meanwhile fault_every fails every Nth
# allocation vswap makes on its I/O path, and each kind must be hit:
#  - a zsmalloc object: the page spills to a backing tier (alloc_spills);
#  - a descriptor page: it comes from the module's reserve;
#  - a bio: it comes from the bio set's mempool.
# The hung-task and soft-lockup detectors are armed and panic.  Two
# swap_stress processes (2/3 and 1/3 of 1.6x the VM's RAM; on the debug
# lane 1.15x and no shuffled pass; every kind of page) dirty, re-read and
# verify every page.  It passes when every page verified, no write failed
# (no 'Write-error on swap-device': the backing tiers always have room),
# nothing is left behind after swapoff, and the kernel reported nothing.
# The figures (allocations failed per kind, pages verified, time) are
# printed on the 'figures:' line.
. "$(dirname "$0")/test_common.sh"

# Working set in % of the VM's RAM; the debug lane (KASAN, one TCG
# thread) gets a smaller one.
WORK_PCT=${WORK_PCT:-$(lane 160 115)}
# Shuffled verify-and-rewrite passes before the final verifying one.
PASSES=${PASSES:-$(lane 1 0)}
FAULT_EVERY=${FAULT_EVERY:-7}

test_init "global pressure at ${WORK_PCT}% of RAM through RAM + NVMe + disk, engine on, fault_every=$FAULT_EVERY, verified"
require_vswap
require_prog swap_stress
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs an NVMe and a virtio disk (# vm: nvme= disk=)"

ram_mb=$(($(meminfo_kb MemTotal) / 1024))
work=$((ram_mb * WORK_PCT / 100))
a=$((work * 2 / 3))
b=$((work - a))

vswap_load age_interval=1 demote_rate=0
[ -w /sys/module/vswap/parameters/fault_every ] ||
	fail "this vswap has no fault_every parameter"
assert_ok "dev add" vswapctl dev add vswap0 --size 1G --algo lz4
assert_ok "ram tier: 24M limit" vswapctl tier set vswap0 ram --limit 24M --high-wmark 75 --low-wmark 50
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast --idle-age 2
assert_ok "slow tier" vswapctl tier add vswap0 "$SLOW" --name slow --class slow
vswap_swapon vswap0
# The events, for the errno of a failed write should one fail.
vswapctl monitor vswap0 >"$TEST_TMP/events" 2>&1 &
mon=$!
track_pid $mon
echo "$FAULT_EVERY" >/sys/module/vswap/parameters/fault_every ||
	fail "cannot set fault_every"
log "fault_every=$(cat /sys/module/vswap/parameters/fault_every)"

pout0=$(vmstat_get pswpout) pin0=$(vmstat_get pswpin)
t0=$(date +%s)
log "workload: ${WORK_PCT}% of $ram_mb MiB = $a + $b MiB, every kind of page, $PASSES + 1 passes"
"$TEST_DIR/swap_stress" -m $a -t 1 -p $PASSES -s 51 >"$TEST_TMP/a.out" 2>&1 &
pa=$!
track_pid $pa
"$TEST_DIR/swap_stress" -m $b -t 1 -p $PASSES -s 52 >"$TEST_TMP/b.out" 2>&1 &
pb=$!
track_pid $pb
rca=0 rcb=0
wait $pa || rca=$?
untrack_pid $pa
wait $pb || rcb=$?
untrack_pid $pb
secs=$(($(date +%s) - t0))
pout=$(($(vmstat_get pswpout) - pout0)) pin=$(($(vmstat_get pswpin) - pin0))
grep -h 'pages verified' "$TEST_TMP/a.out" "$TEST_TMP/b.out" | sed 's/^/# /'
log "workload: $secs s, pswpout +$pout, pswpin +$pin"
vswap_show
kill $mon 2>/dev/null
wait $mon 2>/dev/null
untrack_pid $mon
grep io-error "$TEST_TMP/events" | sed 's/^/# event: /'
[ "$rca" -eq 0 ] || cat "$TEST_TMP/a.out"
[ "$rcb" -eq 0 ] || cat "$TEST_TMP/b.out"

# The figures, before the assertions, so that a failed run shows them too.
injected=$(cat /sys/module/vswap/parameters/fault_injected)
fi_get() { echo "$injected" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
verified=0
for n in $(sed -n 's/.*pages verified \([0-9]*\),.*/\1/p' "$TEST_TMP/a.out" "$TEST_TMP/b.out"); do
	verified=$((verified + n))
done
log "figures: fault_every=$FAULT_EVERY, failed allocations $injected," \
	"alloc_spills=$(tstat ram alloc_spills), ram failures=$(tstat ram failures), pages verified $verified" \
	"($((a + b)) MiB working set, $ram_mb MiB RAM), pswpout $pout, pswpin $pin, $secs s," \
	"kernel $(uname -r)"

assert_eq "$rca" 0 "the $a MiB workload verified every page"
assert_eq "$rcb" 0 "the $b MiB workload verified every page"
assert_eq "$verified" $(((a + b) * 256 * (PASSES + 1))) "pages verified ($((PASSES + 1)) passes over every page)"
assert_ge "$pout" $(((work - ram_mb) * 256 / 2)) "it really swapped (pswpout)"
for k in zs_malloc table_page bio; do
	assert_gt "$(fi_get $k)" 0 "injected $k allocation failures"
done
assert_gt "$(tstat ram alloc_spills)" 0 "failed zsmalloc allocations spilled to a backing tier"
assert_gt "$(tstat fast writes)" 0 "the NVMe tier took pages"
assert_gt "$(tstat fast demotions)" 0 "RAM -> fast demotions"
assert_gt "$(tstat slow demotions)" 0 "fast -> slow demotions"
assert_gt "$(tstat fast reads)" 0 "swap-ins from the NVMe tier"
assert_no_failed_io
for t in fast slow; do
	assert_eq "$(tstat $t io_errors)" 0 "$t: no I/O errors"
done
dmesg_since_mark | grep -q 'Write-error on swap-device' &&
	fail "a swap write failed while the backing tiers had room"
log "ok: no 'Write-error on swap-device'"

# swapoff reads everything back (fault injection still on); afterwards
# only mkswap's header is stored: every copy was freed exactly once.
assert_ok "swapoff" swapoff /dev/vswap0
echo 0 >/sys/module/vswap/parameters/fault_every
total=0
for t in same ram fast slow; do
	total=$((total + $(tstat $t pages)))
done
miss=$(vstat miss_frees)
assert_le "$total" $((1 + miss)) "only the swap header (+ $miss missed frees) is stored after swapoff"
assert_no_failed_io
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
