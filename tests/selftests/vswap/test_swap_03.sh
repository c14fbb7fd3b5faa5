#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=384M smp=2 timeout=300
#
# rmmod is refused while the device (comp=zstd) is in use: swapped on (empty, and
# with a paused workload's pages in swap) and while a process holds it
# open.  The device keeps working after each refusal; after swapoff and
# close, rmmod succeeds and leaves nothing behind.
. "$(dirname "$0")/test_common.sh"

LIMIT_MB=$(lane 32 16)
WORK_MB=$((2 * LIMIT_MB))

test_init "rmmod refused while swapped on or open"
require_vswap
require_prog swap_stress
require_memcg
require_cmd mkfifo

refused() {
	local local_out
	if local_out=$(rmmod vswap 2>&1); then
		fail "rmmod vswap succeeded $1"
	fi
	vswap_loaded || fail "vswap gone after a refused rmmod ($1)"
	[ -b /dev/vswap0 ] || fail "/dev/vswap0 gone after a refused rmmod ($1)"
	log "ok: rmmod refused $1: $local_out (refcnt $(cat /sys/module/vswap/refcnt))"
}

vswap_load size=128M comp=zstd
assert_eq "$(cat /sys/module/vswap/refcnt)" 0 "module refcnt when idle"
vswap_swapon vswap0
assert_ge "$(cat /sys/module/vswap/refcnt)" 1 "swapon holds a module reference"
refused "while swapped on (empty)"
swap_active vswap0 || fail "vswap0 no longer active swap after the refused rmmod"

# Now with data in swap.
cg_create ${LIMIT_MB}M
ready=$TEST_TMP/ready fifo=$TEST_TMP/fifo
mkfifo "$fifo" || fail "mkfifo"
cg_exec "$TEST_DIR/swap_stress" -m $WORK_MB -t 2 -p 1 -P 1 -r "$ready" -w "$fifo" \
	>"$TEST_TMP/stress.out" 2>&1 &
pid=$!
track_pid $pid
wait_file 200 "$ready" $pid || {
	sed 's/^/#   /' "$TEST_TMP/stress.out"
	fail "swap_stress did not pause"
}
in_swap=$(vstat stored_pages)
assert_ge "$in_swap" $((WORK_MB * 256 / 4)) "workload pages are in swap"
refused "with $in_swap slots in swap"
refused "a second time"
# The refusals changed nothing: resume, every byte comes back.
echo go >"$fifo"
rc=0
wait $pid || rc=$?
untrack_pid $pid
assert_eq "$rc" 0 "swap_stress verified every byte after the refused rmmods"
assert_no_failed_io vswap0

assert_ok "swapoff" swapoff /dev/vswap0
# Held open by a process: still refused.
exec 3</dev/vswap0
refused "while /dev/vswap0 is open"
exec 3<&-

vswap_unload
for x in /sys/block/vswap* /dev/vswap*; do
	[ -e "$x" ] && fail "$x left after rmmod"
done
log "ok: nothing left after rmmod"
test_done
