#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-lane: skip stress-ng's paths are test_swap_05's and test_tier_02's, which the debug lane runs in a fraction of the time
# vm: mem=256M smp=2 nvme=1G disk=1G,throttling.iops-total=4000 timeout=600
# vm: append=hung_task_panic=1 append=softlockup_panic=1 append=sysctl.kernel.hung_task_timeout_secs=60
#
# stress-ng's verifying memory stressors on vswap under global memory
# pressure, while a tier is drained and added back.  /dev/vswap0 is swap
# with a RAM tier limited to 24 MiB, an NVMe fast tier and a throttled
# virtio slow tier.  stress-ng runs --vm (rand-sum: the mapping filled
# with random words, then every word checked; --verify) over 1.5x the
# VM's RAM beside --pageswap (pages pushed out with MADV_PAGEOUT and read
# back in, each checked against its own address), with no memory cgroup.
# While it runs, the fast tier is drained and removed (its pages move to
# the slow tier and RAM), then added again, and new pages land on it.
# Then stress-ng is stopped (SIGINT: it ends the stressors and reports).
# It passes when stress-ng exits 0 with no failure in its output, the
# drain completed, no I/O failed and the kernel reported nothing.
. "$(dirname "$0")/test_common.sh"

test_init "stress-ng --vm --verify and --pageswap at 1.5x RAM on RAM + NVMe + disk; drain and re-add the NVMe under load"
require_vswap
command -v stress-ng >/dev/null 2>&1 || skip "stress-ng not in the initramfs (apt-get install stress-ng; tests/vm/host-deps.sh)"
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs an NVMe and a virtio disk (# vm: nvme= disk=)"

MIN_RUN=${MIN_RUN:-90}
ram_mb=$(($(meminfo_kb MemTotal) / 1024))
vm_mb=$((ram_mb * 3 / 2))

vswap_load age_interval=1 demote_rate=0
assert_ok "dev add" vswapctl dev add vswap0 --size 1G --algo lz4
assert_ok "ram tier: 24M limit" vswapctl tier set vswap0 ram --limit 24M --high-wmark 75 --low-wmark 50
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast
assert_ok "slow tier" vswapctl tier add vswap0 "$SLOW" --name slow --class slow
vswap_swapon vswap0

pout0=$(vmstat_get pswpout) pin0=$(vmstat_get pswpin)
t0=$(date +%s)
# The timeout is a safety net: the test stops it with SIGINT.
log "stress-ng: --vm 2 --vm-bytes ${vm_mb}M (1.5x $ram_mb MiB) --pageswap 1"
(cd "$TEST_TMP" && exec stress-ng --vm 2 --vm-bytes ${vm_mb}M --vm-method rand-sum \
	--verify --pageswap 1 --timeout 400s --metrics-brief --temp-path "$TEST_TMP") \
	>"$TEST_TMP/sng.out" 2>&1 &
SNG=$!
track_pid $SNG
running() { kill -0 $SNG 2>/dev/null || fail "stress-ng ended early: $(tail -n 5 "$TEST_TMP/sng.out")"; }

# --- pages on the fast tier, then drain it under load ------------------
wait_for 120 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/fast/pages) -ge 2048 ]" ||
	{ vswap_show; fail "fewer than 2048 pages on the fast tier after 120 s"; }
running
vswap_show
fp=$(tstat fast pages) sin0=$(tstat slow migrated_in) rin0=$(tstat ram migrated_in)
td=$(date +%s)
log "draining fast with $fp pages on it ($(elapsed) s)"
assert_ok "drain fast under load" vswapctl tier del vswap0 fast --drain --wait
moved=$(($(tstat slow migrated_in) - sin0 + $(tstat ram migrated_in) - rin0))
log "the drain moved $moved pages to slow and RAM in $(($(date +%s) - td)) s"
# Some of fast's pages may have been freed by swap-ins meanwhile.
assert_gt "$moved" 0 "the drain moved fast's pages elsewhere"
[ -d /sys/block/vswap0/vswap/tiers/fast ] && fail "fast still there after the drain"
swap_active vswap0 || fail "swap went off"
running

# --- add it back: new pages land on it -----------------------------------
assert_ok "re-add fast under load" vswapctl tier add vswap0 "$FAST" --name fast --class fast
wait_for 60 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/fast/writes) -gt 0 ]" ||
	fail "the re-added fast tier took no pages in 60 s"
sleep 10
assert_gt "$(tstat fast writes)" 0 "new pages landed on the re-added fast tier"
running
log "ok: fast drained and added back under load ($(elapsed) s)"
# At least MIN_RUN s of stress-ng in all, so that each vm worker
# completes passes (a rand-sum pass over its share takes ~40 s here).
while [ $(($(date +%s) - t0)) -lt "$MIN_RUN" ]; do
	running
	sleep 2
done

# --- stop stress-ng, check its verdict -----------------------------------
kill -INT $SNG
rc=0
wait $SNG || rc=$?
untrack_pid $SNG
secs=$(($(date +%s) - t0))
pout=$(($(vmstat_get pswpout) - pout0)) pin=$(($(vmstat_get pswpin) - pin0))
sed 's/^/#   /' "$TEST_TMP/sng.out"
log "stress-ng: exit $rc after $secs s, pswpout +$pout, pswpin +$pin"
vswap_show
assert_eq "$rc" 0 "stress-ng exit status"
grep -qi fail "$TEST_TMP/sng.out" && fail "stress-ng reported a failure (above)"
grep -q 'successful run completed' "$TEST_TMP/sng.out" ||
	fail "stress-ng did not report a successful run"
log "ok: stress-ng verified its memory, no failure reported"
# A vm worker counts its bogo ops when a pass ends: none means no pass
# (write, then check) completed.  The table's row is the stressor's name,
# then bogo ops and real time; a "miscellaneous metrics" line may follow
# with the same name ("pageswap 13166727.68 millisecs per page swapout").
for st in vm pageswap; do
	assert_gt "$(awk -v s=$st '$2 == "metrc:" && $4 == s && $5 ~ /^[0-9]+$/ && $6 ~ /^[0-9.]+$/ { print $5; exit }' "$TEST_TMP/sng.out")" 0 \
		"stress-ng $st bogo ops"
done
assert_ge "$pout" $((vm_mb * 256 / 4)) "it really swapped (pswpout)"
assert_no_failed_io
for t in fast slow; do
	assert_eq "$(tstat $t io_errors)" 0 "$t: no I/O errors"
done
dmesg_since_mark | grep -q 'Write-error on swap-device' &&
	fail "a swap write failed while the backing tiers had room"
assert_ok "swapoff" swapoff /dev/vswap0
assert_no_failed_io
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
