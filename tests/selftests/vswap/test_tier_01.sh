#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 nvme=128M disk=128M,throttling.iops-total=2000 timeout=500
#
# Backing tiers on real emulated devices, through vswapctl: an NVMe
# namespace (fast) and a throttled virtio disk (slow) behind a RAM tier
# limited to 4 MiB.  Raw-device data is verified byte for byte after each
# step: writes that spill past the RAM tier onto the fast tier, a manual
# migration fast -> slow with a byte limit, a promotion slow -> fast,
# draining the fast tier (its data moves down and up) and adding it
# again, draining the RAM tier itself, then discarding everything: every
# tier's counters return to zero, so each old copy was freed exactly
# once.  Also: the device is held exclusively, a vswap device cannot be a
# tier, a drain that cannot fit is refused, writes fail cleanly when every
# tier is full (one with a limit that is not a whole number of pages),
# incompressible pages go straight to a backing tier with
# spill_incompressible=1, and demotion keeps to demote_rate and
# write_budget.
. "$(dirname "$0")/test_common.sh"

test_init "backing tiers: spill, migrate, promote, drain and re-add, data verified"
require_vswap
require_prog json_check
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs an NVMe and a virtio disk (# vm: nvme= disk=)"
JC=$TEST_DIR/json_check

# tj TIER KEY: a tier's value from vswapctl -j tier show.
tj() { vswapctl -j tier show vswap0 "$1" | "$JC" -p "0.$2"; }

verify() {
	dd if=/dev/vswap0 of="$TEST_TMP/back" bs=64k count=$((MB * 16)) iflag=direct 2>/dev/null ||
		fail "$1: reading /dev/vswap0 back failed"
	cmp -s "$TEST_TMP/data" "$TEST_TMP/back" || fail "$1: data differs"
	log "ok: $1: ${MB} MiB read back intact"
}

MB=$(lane 48 24)
# Random data must reach RAM first (spill_incompressible=1 is the default).
vswap_load spill_incompressible=0
assert_ok "dev add" vswapctl dev add vswap0 --size 64M
assert_ok "ram limit 4M" vswapctl tier set vswap0 ram --limit 4M --high-wmark 90 --low-wmark 50
assert_ok "tier add fast" vswapctl tier add vswap0 "$FAST" --name fast --class fast
assert_ok "tier add slow" vswapctl tier add vswap0 "$SLOW" --name slow --class slow
assert_str "$(tj fast kind)" block "fast is a block tier"
assert_str "$(tj fast class)" fast "fast: class"
assert_str "$(tj fast path)" "$FAST" "fast: path"
# What the 64 MiB device can put on it (plus 1/64 + 1024 slots of
# headroom for overwrites in flight), not the 128 MiB namespace.
assert_eq "$(tj fast capacity)" $(((64 << 20) + (1 << 20) + (1024 << 12))) "fast: capacity"
assert_str "$(tj slow class)" slow "slow: class"
assert_gt "$(tj slow priority)" "$(tj fast priority)" "slow comes after fast"

# --- refusals ------------------------------------------------------------
assert_fails "the same device twice" vswapctl tier add vswap0 "$FAST" --name again
out=$(vswapctl tier add vswap0 "$FAST" --name again 2>&1)
echo "$out" | grep -q "in use" || fail "no 'in use' message: $out"
assert_ok "dev add vswap1" vswapctl dev add vswap1 --size 16M
out=$(vswapctl tier add vswap0 /dev/vswap1 --name loop 2>&1) && fail "a vswap device became a tier"
log "ok: refused a vswap device as a tier: $out"
assert_ok "dev del vswap1" vswapctl dev del vswap1
out=$(vswapctl tier add vswap0 "$FAST" 2>&1) && fail "the same device under its own name"

# --- spill: 48 MiB of random data through a 4 MiB RAM tier ----------------
make_file random $((MB * 256)) "$TEST_TMP/data"
dd if="$TEST_TMP/data" of=/dev/vswap0 bs=64k oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing ${MB} MiB failed"
vswap_show
verify "after the spill"
assert_gt "$(tstat fast pages)" $((MB * 256 / 2)) "most pages spilled to the fast tier"
assert_le "$(tstat ram payload_bytes)" $((4 << 20)) "the RAM tier stays within its limit"
assert_eq "$(vstat stored_pages)" $((MB * 256)) "every page is stored somewhere"
assert_eq "$(vstat failed_writes)" 0 "no write failed"

# --- manual migration fast -> slow, 8 MiB -----------------------------------
# RAM is at its limit: let the engine's demotion to the low mark settle.
i=0
while [ "$(tstat ram payload_bytes)" -gt $(((4 << 20) * 9 / 10)) ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
f0=$(tstat fast pages) fi0=$(tstat fast migrated_in)
assert_ok "migrate fast -> slow --max 8M" vswapctl migrate vswap0 --from fast --to slow --max 8M --wait
assert_eq "$(tstat slow pages)" 2048 "8 MiB moved to slow"
# Off fast; the engine may meanwhile demote RAM (at its limit) onto it.
assert_eq "$(tstat fast pages)" $((f0 - 2048 + $(tstat fast migrated_in) - fi0)) "and off fast"
assert_eq "$(tstat slow demotions)" 2048 "counted as demotions"
assert_eq "$(tstat fast migrated_out)" 2048 "fast: migrated_out"
verify "after migrating fast -> slow"

# --- promotion slow -> fast -------------------------------------------------
assert_ok "migrate slow -> fast" vswapctl migrate vswap0 --from slow --to fast --max 4M --wait
assert_eq "$(tstat slow pages)" 1024 "4 MiB moved back up"
assert_eq "$(tstat fast promotions)" 1024 "counted as promotions"
verify "after promoting slow -> fast"

# --- drain the fast tier: it holds more than slow and RAM can take? ---------
assert_ok "ram limit lifted" vswapctl tier set vswap0 ram --limit 0
assert_ok "drain fast" vswapctl tier del vswap0 fast --drain --wait
vswapctl tier show vswap0 fast >/dev/null 2>&1 && fail "fast still listed after the drain"
assert_eq "$(vstat stored_pages)" $((MB * 256)) "every page still stored"
verify "after draining fast"
assert_ok "dev add vswap1" vswapctl dev add vswap1 --size 16M
assert_ok "the drained device is free again" vswapctl tier add vswap1 "$FAST" --name f1
assert_ok "dev del vswap1 (and its tier)" sh -c "vswapctl tier del vswap1 f1 && vswapctl dev del vswap1"

assert_ok "re-add fast" vswapctl tier add vswap0 "$FAST" --name fast --class fast
assert_ok "migrate slow -> fast" vswapctl migrate vswap0 --from slow --to fast --wait
assert_eq "$(tstat slow pages)" 0 "slow emptied into fast"
verify "after re-adding fast"

# --- a drain that cannot fit is refused -------------------------------------
assert_ok "ram limit 1M" vswapctl tier set vswap0 ram --limit 1M
assert_ok "del slow (empty)" vswapctl tier del vswap0 slow
out=$(vswapctl tier del vswap0 fast --drain 2>&1) && fail "a drain with nowhere to go started"
echo "$out" | grep -q "room" || fail "no 'room' in the refusal: $out"
log "ok: refused: $out"
verify "after the refused drain"

# --- every tier full: writes fail cleanly, never hang ------------------------
# A backing limit that is not a whole number of pages leaves less than a
# slot of room: the tier must count as full, not be picked for ever.
assert_ok "dev add vswap1" vswapctl dev add vswap1 --size 16M
assert_ok "vswap1 ram limit 1M" vswapctl tier set vswap1 ram --limit 1M
assert_ok "vswap1 tier with a 1 MiB + 1 byte limit" \
	vswapctl tier add vswap1 "$SLOW" --name s1 --limit 1048577
rc=0
timeout 120 dd if="$TEST_TMP/data" of=/dev/vswap1 bs=64k count=64 oflag=direct \
	conv=notrunc 2>/dev/null || rc=$?
[ "$rc" -eq 124 ] || [ "$rc" -eq 143 ] && fail "writing to a full vswap1 hung"
assert_ne "$rc" 0 "4 MiB of random data do not fit in 1 MiB of RAM and 1 MiB of disk"
assert_eq "$(tstat s1 pages vswap1)" 256 "the backing tier took exactly its 256 whole slots"
assert_str "$(vswapctl -j tier show vswap1 s1 | "$JC" -p 0.state)" full "and says it is full"
dd if=/dev/vswap1 of="$TEST_TMP/v1" bs=64k count=4 iflag=direct 2>/dev/null ||
	fail "reading vswap1 back failed"
head -c 262144 "$TEST_TMP/data" | cmp -s - "$TEST_TMP/v1" || fail "vswap1: the first 256 KiB differ"
assert_ok "vswap1 discard" blkdiscard /dev/vswap1
assert_ok "vswap1 tier del" vswapctl tier del vswap1 s1
assert_ok "dev del vswap1" vswapctl dev del vswap1

# --- drain the RAM tier itself: its pages go down to fast -------------------
r0=$(tstat ram pages)
assert_ok "drain the RAM tier" vswapctl tier del vswap0 ram --wait
[ -d /sys/block/vswap0/vswap/tiers/ram ] && fail "ram still listed after its drain"
log "ok: the RAM tier's $r0 pages went to fast"
verify "after draining the RAM tier"
dd if="$TEST_TMP/data" of=/dev/vswap0 bs=64k count=16 oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing without a RAM tier failed"
verify "after writing without a RAM tier"
assert_ok "RAM tier back" vswapctl tier add vswap0 ram

# --- placement policy: incompressible pages straight to a backing tier ----
P=/sys/module/vswap/parameters
# rewrite 256 pages in place: same data, new placement
rewrite() {
	dd if="$TEST_TMP/data" of=/dev/vswap0 bs=4k count=256 oflag=direct conv=notrunc 2>/dev/null ||
		fail "rewriting 256 pages failed"
}
echo 1 >$P/spill_incompressible || fail "setting spill_incompressible"
fw=$(tstat fast writes) rw=$(tstat ram writes)
rewrite
assert_eq "$(tstat fast writes)" $((fw + 256)) "incompressible pages went to fast (spill_incompressible=1)"
assert_eq "$(tstat ram writes)" "$rw" "and not to RAM"
echo 0 >$P/spill_incompressible
rewrite
assert_eq "$(tstat ram writes)" $((rw + 256)) "with spill_incompressible=0 RAM takes them"
verify "after the placement policy changes"

# --- demotion rate limit and write budget ------------------------------------
fill_ram() {
	assert_ok "ram limit lifted" vswapctl tier set vswap0 ram --limit 0
	dd if="$TEST_TMP/data" of=/dev/vswap0 bs=64k count=64 oflag=direct conv=notrunc 2>/dev/null ||
		fail "writing 4 MiB to RAM failed"
	assert_ge "$(tstat ram pages)" 1024 "4 MiB in RAM"
}
fill_ram
echo 1 >$P/demote_rate
b0=$(tstat fast budget_used) t0=$(date +%s)
assert_ok "ram limit 1M: demotion starts" vswapctl tier set vswap0 ram --limit 1M --high-wmark 50 --low-wmark 25
sleep 2
b1=$(tstat fast budget_used) t1=$(date +%s)
log "demote_rate=1: $(((b1 - b0) >> 10)) KiB demoted in $((t1 - t0)) s"
assert_gt "$b1" "$b0" "demotion ran under the rate limit"
assert_le $((b1 - b0)) $(((t1 - t0 + 1) * (1048576 + 131072))) "demotion kept to 1 MiB/s (+ one batch a second)"
echo 256 >$P/demote_rate
wait_for 30 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/ram/pool_bytes) -lt 1048576 ]" ||
	fail "RAM did not get under its limit once the rate limit was lifted"
fill_ram
echo 1 >$P/write_budget
b0=$(tstat fast budget_used)
assert_ok "ram limit 1M again" vswapctl tier set vswap0 ram --limit 1M --high-wmark 50 --low-wmark 25
sleep 2
b1=$(tstat fast budget_used)
log "write_budget=1: $(((b1 - b0) >> 10)) KiB demoted (this hour's budget was spent above)"
assert_le $((b1 - b0)) $((1048576 + 131072)) "demotion kept within a 1 MiB/hour budget (+ one batch)"
echo 0 >$P/write_budget
wait_for 30 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/ram/pool_bytes) -lt 1048576 ]" ||
	fail "RAM did not get under its limit once the budget was lifted"
verify "after rate-limited demotion"

# --- discard: every copy freed once ------------------------------------------
assert_ok "blkdiscard" blkdiscard /dev/vswap0
for t in same ram fast; do
	assert_eq "$(tstat $t pages)" 0 "$t: no pages after discard"
	assert_eq "$(tstat $t payload_bytes)" 0 "$t: no bytes after discard"
done
assert_eq "$(vstat stored_pages)" 0 "nothing stored"
assert_ok "del fast" vswapctl tier del vswap0 fast
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
