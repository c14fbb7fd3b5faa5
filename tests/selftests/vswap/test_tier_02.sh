#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-lane: skip test_tier_04 races the engine and the request path on the debug kernel in a fraction of the time
# vm: mem=512M smp=2 nvme=256M disk=256M,throttling.iops-total=4000 timeout=600
# smoke: yes
#
# Swap through three tiers under load, every byte verified.  /dev/vswap0
# is swap with a RAM tier limited to 8 MiB (high/low watermarks 75/50%),
# an NVMe fast tier (idle age 2 s: its idle slots go down) and a
# throttled virtio slow tier.  swap_stress (2 threads, a working set twice its cgroup's
# memory.max, verifying every page it reads back) runs in a loop in the
# background while the test:
#  - waits for pages demoted automatically RAM -> fast -> slow, and for
#    swap-ins from both backing tiers;
#  - runs a manual migration fast -> slow;
#  - drains the fast tier and removes it while swap stays on and under
#    load, then adds it again and sees new pages land on it.
# Then the load stops, swapoff brings everything back (data verified by
# the last swap_stress runs), and every tier is empty again: each copy
# was freed exactly once.  Swap-in from every tier goes through the same
# SWP_SYNCHRONOUS_IO device (->rw_page inline, bios for backing tiers).
. "$(dirname "$0")/test_common.sh"

LIMIT_MB=$(lane 32 16)
WORK_MB=$((2 * LIMIT_MB))

test_init "swap on RAM + NVMe + disk tiers under load: demotion, migration, drain, re-add"
require_vswap
require_prog swap_stress json_check
require_memcg
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs an NVMe and a virtio disk (# vm: nvme= disk=)"

vswap_load age_interval=1 demote_rate=0
assert_ok "dev add" vswapctl dev add vswap0 --size 384M
assert_ok "ram tier" vswapctl tier set vswap0 ram --limit 8M --high-wmark 75 --low-wmark 50
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast --idle-age 2
assert_ok "slow tier" vswapctl tier add vswap0 "$SLOW" --name slow --class slow
vswap_swapon vswap0
cg_create ${LIMIT_MB}M

# The load: swap_stress over and over until told to stop.
load_start -m $WORK_MB -t 2 -p 1

# --- automatic demotion through both tiers ---------------------------------
wait_for 240 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/slow/demotions) -gt 0 ] &&
	[ \$(cat /sys/block/vswap0/vswap/tiers/fast/reads) -gt 0 ] &&
	[ \$(cat /sys/block/vswap0/vswap/tiers/slow/reads) -gt 0 ]" || {
	vswap_show
	fail "no demotion to slow, or no swap-in from both backing tiers, in 240 s"
}
vswap_show
assert_gt "$(tstat fast demotions)" 0 "RAM -> fast demotions"
assert_gt "$(tstat slow demotions)" 0 "fast -> slow demotions (idle age)"
assert_gt "$(tstat ram migrated_out)" 0 "RAM tier demoted pages"
load_check "during demotion"
log "ok: demoted through both tiers after $(elapsed) s, $(load_runs) swap_stress runs so far"
# From now on fast keeps its pages, for the migration and the drain.
assert_ok "fast: no idle age" vswapctl tier set vswap0 fast --idle-age 0

# --- manual migration under load ----------------------------------------------
in0=$(tstat slow migrated_in) r0=$(vstat migrate_races)
assert_ok "migrate fast -> slow --max 2M" vswapctl migrate vswap0 --from fast --to slow --max 2M --wait
# Under swap load a page may be swapped in (and freed) while it moves:
# the move is then dropped, and counted.
moved=$(($(tstat slow migrated_in) - in0)) raced=$(($(vstat migrate_races) - r0))
log "the migration moved $moved pages, $raced dropped for pages freed meanwhile"
assert_gt "$((moved + raced))" 0 "the migration moved pages to slow"
load_check "after the migration"

# --- drain and remove the fast tier under load, then add it again ---------
wait_for 60 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/fast/pages) -ge 256 ]" ||
	fail "fast holds no pages to drain"
fp=$(tstat fast pages) sin0=$(tstat slow migrated_in) rin0=$(tstat ram migrated_in)
log "draining fast with $fp pages on it ($(elapsed) s)"
assert_ok "drain fast under load" vswapctl tier del vswap0 fast --drain --wait
moved=$(($(tstat slow migrated_in) - sin0 + $(tstat ram migrated_in) - rin0))
log "the drain moved $moved pages to slow and RAM"
# Some of fast's pages may have been freed by swap-ins meanwhile.
assert_gt "$moved" 0 "the drain moved fast's pages elsewhere"
[ -d /sys/block/vswap0/vswap/tiers/fast ] && fail "fast still there after the drain"
swap_active vswap0 || fail "swap went off"
load_next "after the drain"
log "ok: fast drained and removed under load; $(load_runs) runs ($(elapsed) s)"
assert_ok "re-add fast under load" vswapctl tier add vswap0 "$FAST" --name fast --class fast --idle-age 3
wait_for 120 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/fast/writes) -gt 0 ] ||
	[ \$(cat /sys/block/vswap0/vswap/tiers/fast/migrated_in) -gt 0 ]" ||
	fail "the re-added fast tier took no pages"
load_next "after the re-add"

# --- stop, swapoff, every tier empty --------------------------------------------
load_stop
log "ok: $(load_runs) swap_stress runs, all verified"
vswap_show
assert_eq "$(vstat failed_reads)" 0 "no failed read"
assert_eq "$(vstat failed_writes)" 0 "no failed write"
assert_ok "swapoff" swapoff /dev/vswap0
for t in ram fast slow; do
	assert_eq "$(tstat $t io_errors)" 0 "$t: no I/O errors"
done
# mkswap's header page is all that is left.
total=0
for t in same ram fast slow; do
	total=$((total + $(tstat $t pages)))
done
# A free notification that found its slot locked (miss_frees) leaves
# that slot stored until it is overwritten or discarded.
miss=$(vstat miss_frees)
assert_le "$total" $((1 + miss)) "only the swap header (+ $miss missed frees) is stored after swapoff"
assert_eq "$(vstat stored_pages)" "$total" "stored_pages after swapoff"
assert_ok "blkdiscard" blkdiscard /dev/vswap0
for t in same ram fast slow; do
	assert_eq "$(tstat $t pages)" 0 "$t: empty"
	assert_eq "$(tstat $t payload_bytes)" 0 "$t: no bytes held"
done
cg_destroy
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
