#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 disk=64M,throttling.bps-total=1048576 timeout=400
#
# A tier always finds its way back from draining and degraded.  Every
# case compares the whole device with what was written.
#  1. cancel: a drain of a slow disk (a virtio disk throttled to 1 MiB/s)
#     into RAM is cancelled while it runs (tier del --cancel): the tier is
#     active again and keeps what is still on it, the rest stays in RAM,
#     nothing moves any more, and monitor shows a migrate event
#     (cancelled) and a tier-state event (active).  While it drained,
#     tier set --state active and tier del were refused with EBUSY.
#  2. a drain that runs out of room: the RAM tier's limit drops below
#     its use while a drain into it runs: the drain fails with ENOSPC
#     within seconds, the tier is active again (tier-state event with
#     errno 28), and the engine does not go on reading the tier.
#  3. reactivation: a null_blk tier whose every sector is bad is
#     degraded by failed writes (a tier-state event, degraded, errno 5);
#     once the sectors are good, tier set --state active puts it back in
#     use (a tier-state event, active): writes land on it and read back.
. "$(dirname "$0")/test_common.sh"

test_init "tier states: drain cancelled, drain out of room, degraded tier set active again"
require_vswap
require_prog json_check
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$SLOW" ] || skip "needs a throttled virtio disk (# vm: disk=)"
JC=$TEST_DIR/json_check
MON=$TEST_TMP/monitor.json
T=$TEST_TMP

# tj TIER KEY: a value from vswapctl -j tier show.
tj() { vswapctl -j tier show vswap0 "$1" | "$JC" -p "0.$2"; }

# verify BLOCKS FILE WHAT: the first BLOCKS 4 KiB blocks of the device are FILE.
verify() {
	dd if=/dev/vswap0 of="$T/back" bs=4096 count="$1" iflag=direct 2>/dev/null ||
		fail "$3: reading /dev/vswap0 back failed"
	cmp -s "$2" "$T/back" || fail "$3: data differs"
	log "ok: $3: $1 blocks read back intact"
}

mon_lines() { wc -l <"$MON"; }
events_since() { tail -n +$(($1 + 1)) "$MON"; }

# wait_ev LINE SECONDS WHAT PATTERN...: an event after line LINE that
# matches every PATTERN (fixed strings), within SECONDS.
wait_ev() {
	local local_l local_s local_what local_cmd local_p
	local_l=$1 local_s=$2 local_what=$3
	shift 3
	local_cmd="tail -n +$((local_l + 1)) '$MON'"
	for local_p in "$@"; do
		local_cmd="$local_cmd | grep -F '$local_p'"
	done
	wait_for "$local_s" sh -c "$local_cmd | grep -q ." || {
		events_since "$local_l" | tail -n 8 | sed 's/^/#   /'
		fail "$local_what: no event with $* (vswapctl -j monitor)"
	}
	log "ok: $local_what: $(eval "$local_cmd" | head -n 1)"
}

# Random data must reach RAM first (spill_incompressible=1 is the default).
vswap_load spill_incompressible=0
vswapctl -j monitor >"$MON" 2>"$MON.err" &
MON_PID=$!
track_pid $MON_PID
n=0
until grep -q '"vswap7"' "$MON"; do
	vswapctl dev add vswap7 --size 1M >/dev/null || fail "dev add vswap7"
	vswapctl dev del vswap7 || fail "dev del vswap7"
	n=$((n + 1))
	[ $n -lt 50 ] || { sed 's/^/#   /' "$MON.err"; fail "the monitor saw no event in 10 s"; }
	sleep 0.2
done
log "ok: vswapctl -j monitor is listening"

# === 1. cancel a running drain =======================================================
log "--- 1. tier del --cancel of a drain that runs ---"
t1=$(date +%s)
assert_ok "dev add" vswapctl dev add vswap0 --size 32M
# Spill only at the limit: 1 MiB in RAM, the rest on the slow disk.
assert_ok "ram: limit 1M" vswapctl tier set vswap0 ram --limit 1M --high-wmark 100 --low-wmark 90
assert_ok "tier add slow" vswapctl tier add vswap0 "$SLOW" --name slow --class slow
# The device's 32 MiB (plus 1/64 + 1024 slots of headroom), not the disk's 64 MiB.
assert_eq "$(tj slow capacity)" $(((32 << 20) + (32 << 14) + (1024 << 12))) "slow: capacity is the device's, not the disk's 64 MiB"
make_file random 2048 "$T/d1"
dd if="$T/d1" of=/dev/vswap0 bs=64k oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing 8 MiB failed"
P=$(tstat slow pages)
assert_gt "$P" 1024 "most pages on the slow disk"
log "written in $(($(date +%s) - t1)) s: slow holds $P pages"
assert_ok "ram: no limit (room for the drain)" vswapctl tier set vswap0 ram --limit none
L=$(mon_lines)
assert_ok "tier del slow --drain" vswapctl tier del vswap0 slow --drain
assert_str "$(tj slow state)" draining "slow is draining"
# Refused while it drains, with words that say what to do.
rc=0
vswapctl tier set vswap0 slow --state active >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "tier set --state active of a draining tier is refused"
grep -q 'being drained.*--cancel' "$T/err" || fail "no hint at --cancel: $(cat "$T/err")"
log "ok: refused: $(cat "$T/err")"
rc=0
vswapctl tier del vswap0 slow >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "tier del of a draining tier is refused"
grep -q 'being drained' "$T/err" || fail "tier del: $(cat "$T/err")"
log "ok: refused: $(cat "$T/err")"
wait_for 30 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/slow/pages) -le $((P - 64)) ]" ||
	fail "the drain moved nothing in 30 s"
assert_ok "tier del slow --cancel" vswapctl tier del vswap0 slow --cancel
C=$(tstat slow pages)
log "cancelled with $C of $P pages left on slow"
assert_gt "$C" 0 "the drain was cancelled before it ended"
assert_str "$(tj slow state)" active "slow is active again"
wait_ev "$L" 5 "migrate event" '"event":"migrate"' '"state":"cancelled"'
wait_ev "$L" 5 "tier-state event" '"event":"tier-state"' '"name":"slow"' '"state":"active"'
events_since "$L" | grep '"tier-state"' | grep -q errno &&
	fail "a cancel is no error: the tier-state event carries an errno"
sleep 2
assert_eq "$(tstat slow pages)" "$C" "nothing moved after the cancel"
assert_eq $(($(tstat ram pages) + C)) 2048 "ram + slow = 2048 pages"
verify 2048 "$T/d1" "after the cancel"
rc=0
vswapctl tier del vswap0 slow --cancel >"$T/out" 2>"$T/err" || rc=$?
assert_eq "$rc" 2 "a second cancel is refused"
grep -q 'not being drained' "$T/err" || fail "second cancel: $(cat "$T/err")"
log "case 1 took $(($(date +%s) - t1)) s"

# === 2. a drain that runs out of room ================================================
log "--- 2. a drain into RAM that fills up ---"
t1=$(date +%s)
L=$(mon_lines)
assert_ok "tier del slow --drain" vswapctl tier del vswap0 slow --drain
wait_for 30 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/slow/pages) -le $((C - 32)) ]" ||
	fail "the second drain moved nothing in 30 s"
# RAM is now over its limit: it refuses every page.
assert_ok "ram: limit 1M, below its use" vswapctl tier set vswap0 ram --limit 1M
wait_ev "$L" 30 "the drain failed" '"event":"migrate"' '"state":"failed"' '"errno":28'
wait_ev "$L" 5 "tier-state event" '"event":"tier-state"' '"name":"slow"' '"state":"active"' '"errno":28'
log "the drain failed $(($(date +%s) - t1)) s after it started"
assert_str "$(tj slow state)" active "slow is active again after the failed drain"
R0=$(tstat slow reads)
sleep 3
assert_eq "$(tstat slow reads)" "$R0" "no reads of slow after the drain failed (no spinning)"
verify 2048 "$T/d1" "after the failed drain"
assert_ok "dev del" vswapctl dev del vswap0
log "case 2 took $(($(date +%s) - t1)) s"

# === 3. a degraded tier set active again ============================================
log "--- 3. tier set --state active of a degraded tier ---"
t1=$(date +%s)
NBCFG=/sys/kernel/config/nullb
modprobe configfs >/dev/null 2>&1
grep -q ' /sys/kernel/config configfs' /proc/mounts ||
	mount -t configfs none /sys/kernel/config 2>/dev/null
[ -d "$NBCFG" ] || modprobe null_blk nr_devices=0 >/dev/null 2>&1
if [ ! -d "$NBCFG" ]; then
	log "SKIP case 3: null_blk with configfs is not available"
	test_done
fi
NB=$NBCFG/t5bad
_t5_exit() {
	_EXIT_RC=$?
	trap - EXIT
	_cleanup
	rmdir "$NB" 2>/dev/null
	exit "$_EXIT_RC"
}
trap _t5_exit EXIT
mkdir "$NB" || fail "mkdir $NB"
{ echo 16 >"$NB/size" && echo 4096 >"$NB/blocksize" &&
	echo 1 >"$NB/memory_backed" && echo 1 >"$NB/power"; } || fail "configuring null_blk"
BAD=/dev/t5bad
wait_for 5 test -b "$BAD" || BAD=/dev/nullb$(cat "$NB/index")
wait_for 5 test -b "$BAD" || fail "null_blk: no block device node"
# Every sector bad, in chunks of 512 (see test_tier_03).
s=0
while [ $s -lt $((16 * 2048)) ]; do
	echo "+$s-$((s + 511))" >"$NB/badblocks" || fail "badblocks +"
	s=$((s + 512))
done
assert_ok "dev add" vswapctl dev add vswap0 --size 16M
# Writes past the RAM limit spill and fail on the disk (see test_tier_03):
# 8 errors in a row degrade the tier.
assert_ok "ram: limit 2M, watermarks 50/25%" \
	vswapctl tier set vswap0 ram --limit 2M --high-wmark 50 --low-wmark 25
assert_ok "tier add bad" vswapctl tier add vswap0 "$BAD" --name bad --class fast
L=$(mon_lines)
make_file random 768 "$T/d3"
dd if="$T/d3" of=/dev/vswap0 bs=4096 oflag=direct conv=notrunc 2>/dev/null &&
	fail "3 MiB of random pages fit in a 2 MiB RAM tier and a tier with only bad sectors"
i=0
while [ "$(tj bad state)" != degraded ] && [ $i -lt 8 ]; do
	dd if="$T/d3" of=/dev/vswap0 bs=4096 count=1 skip=$((700 + i)) seek=$((700 + i)) \
		oflag=direct conv=notrunc 2>/dev/null && fail "a write past the RAM limit succeeded"
	i=$((i + 1))
done
assert_str "$(tj bad state)" degraded "bad is degraded"
wait_ev "$L" 5 "tier-state event" '"event":"tier-state"' '"name":"bad"' '"state":"degraded"' '"errno":5'
s=0
while [ $s -lt $((16 * 2048)) ]; do
	echo "-$s-$((s + 511))" >"$NB/badblocks" || fail "badblocks -"
	s=$((s + 512))
done
assert_eq "$(grep -c . "$NB/badblocks")" 0 "no bad sectors left"
E=$(tstat bad io_errors)
L=$(mon_lines)
assert_ok "tier set bad --state active" vswapctl tier set vswap0 bad --state active
assert_str "$(tj bad state)" active "bad is active again"
wait_ev "$L" 5 "tier-state event" '"event":"tier-state"' '"name":"bad"' '"state":"active"'
events_since "$L" | grep '"tier-state"' | grep -q errno &&
	fail "reactivation is no error: the tier-state event carries an errno"
assert_ok "tier set --state active again (no change)" vswapctl tier set vswap0 bad --state active
dd if="$T/d3" of=/dev/vswap0 bs=4096 oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing 3 MiB failed with the tier active again"
verify 768 "$T/d3" "3 MiB through RAM and the reactivated tier"
assert_gt "$(tstat bad pages)" 0 "the reactivated tier took pages"
assert_eq "$(tstat bad io_errors)" "$E" "no new I/O error"
assert_ok "dev del" vswapctl dev del vswap0
log "case 3 took $(($(date +%s) - t1)) s"
kill "$MON_PID" 2>/dev/null
wait "$MON_PID" 2>/dev/null
untrack_pid "$MON_PID"
vswap_unload
rmdir "$NB" || fail "rmdir $NB"
test_done
