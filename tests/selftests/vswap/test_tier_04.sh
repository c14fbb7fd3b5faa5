#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 nvme=64M nvme=64M timeout=400
#
# Races between the I/O path and the migration engine.  vswap_race (one
# thread per vCPU) overwrites, discards and reads back 32 MiB of slots of
# /dev/vswap0, checking each read against the slot's latest content,
# while the test keeps the engine moving those slots: watermark demotion
# (RAM limited to 8 MiB), idle demotion fast -> slow, and manual
# migrations in every direction, and a drain of the fast tier with a
# re-add, round after round.  A slot replaced while its move was in
# flight must keep the new data (the engine counts such dropped moves in
# migrate_races, which must happen many times); every old copy must be
# freed exactly once: after a final discard every tier's counters are
# zero, and the allocator never warned about a double free.
. "$(dirname "$0")/test_common.sh"

SECS=${SECS:-$(lane 45 20)}

test_init "overwrite/discard/read racing migrations on both vCPUs"
require_vswap
require_prog vswap_race
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
SLOW=${2:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs two NVMe namespaces (# vm: nvme= nvme=)"

dmesg_mark
vswap_load age_interval=1 demote_rate=0
assert_ok "dev add" vswapctl dev add vswap0 --size 64M
assert_ok "ram tier" vswapctl tier set vswap0 ram --limit 8M --high-wmark 60 --low-wmark 30
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast --idle-age 2
assert_ok "slow tier" vswapctl tier add vswap0 "$SLOW" --name slow --class slow

"$TEST_DIR/vswap_race" -d /dev/vswap0 -s "$SECS" -t 2 -p 8192 >"$TEST_TMP/race.out" 2>&1 &
RACE=$!
track_pid $RACE

mig() {
	vswapctl migrate vswap0 --from "$1" --to "$2" --max "$3" --wait >/dev/null 2>"$TEST_TMP/mig.err" ||
		{ cat "$TEST_TMP/mig.err" | sed 's/^/#   /'; fail "migrate $1 -> $2 failed"; }
}
rounds=0 drains=0
while kill -0 $RACE 2>/dev/null; do
	mig ram fast 2M
	mig fast slow 2M
	mig slow ram 1M
	mig slow fast 2M
	mig fast ram 1M
	if [ $((rounds % 3)) -eq 2 ] && kill -0 $RACE 2>/dev/null; then
		vswapctl tier del vswap0 fast --drain --wait 2>"$TEST_TMP/drain.err" ||
			{ sed 's/^/#   /' "$TEST_TMP/drain.err"; fail "draining fast failed"; }
		assert_ok "re-add fast" vswapctl tier add vswap0 "$FAST" --name fast --class fast --idle-age 2
		drains=$((drains + 1))
	fi
	rounds=$((rounds + 1))
done
rc=0
wait $RACE || rc=$?
untrack_pid $RACE
sed 's/^/#   /' "$TEST_TMP/race.out"
vswap_show
assert_eq "$rc" 0 "every read returned the slot's latest content"
assert_ge "$rounds" 2 "migration rounds during the run"
assert_ge "$drains" 1 "drains and re-adds during the run"
log "ok: $rounds migration rounds, $drains drains, $(vstat migrate_races) moves dropped for a replaced slot"
assert_gt "$(vstat migrate_races)" 0 "moves raced with overwrites or discards (migrate_races)"
for t in ram slow; do
	assert_gt "$(tstat $t migrated_in)" 0 "$t: pages migrated in"
	assert_gt "$(tstat $t migrated_out)" 0 "$t: pages migrated out"
done
assert_eq "$(vstat failed_reads)" 0 "no failed read"
assert_eq "$(vstat failed_writes)" 0 "no failed write"

# Every copy freed exactly once: nothing left after a full discard.
assert_ok "blkdiscard" blkdiscard /dev/vswap0
for t in same ram fast slow; do
	assert_eq "$(tstat $t pages)" 0 "$t: no pages left"
	assert_eq "$(tstat $t payload_bytes)" 0 "$t: no bytes left"
	assert_eq "$(tstat $t orig_bytes)" 0 "$t: no original bytes left"
done
assert_eq "$(vstat stored_pages)" 0 "nothing stored"
assert_eq "$(vstat clusters)" 0 "no descriptor cluster left"
dmesg_check_clean
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
