#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=384M smp=2 timeout=400
# smoke: yes
#
# Exclusive loads (the exclusive_loads parameter, on by default): a
# swap-in from compressed RAM frees the compressed copy and leaves the page
# dirty in the swap cache, so RAM holds only what is not resident; when
# the page is reclaimed again it is stored afresh.  A paused swap_stress
# (compressible pages only, in a memory cgroup with no limit) is pushed
# out with memory.reclaim, read back (pass 1 verifies every page and
# rewrites a quarter), looked at, pushed out again, and verified to the
# last byte.  With exclusive_loads=1 the RAM tier empties on the read and
# is written again on the second push; with 0 the copies of the pages
# that were only read stay where they were and nothing is freed.
. "$(dirname "$0")/test_common.sh"

WORK_MB=$(lane 32 16)
PAGES=$((WORK_MB * 256))

test_init "exclusive loads: a swap-in from RAM frees the copy, the page is stored again when reclaimed"
require_vswap
require_prog swap_stress
require_memcg
require_cmd mkfifo

vswap_load size=256M
[ -w /sys/module/vswap/parameters/exclusive_loads ] ||
	fail "this vswap has no exclusive_loads parameter"
assert_str "$(cat /sys/module/vswap/parameters/exclusive_loads)" Y "exclusive_loads is on by default"
vswap_swapon vswap0
cg_create max
ram_pages() { tstat ram pages; }

# push: every page of the cgroup out to swap (memory.reclaim may report
# that it fell short; the figures that follow say what went).
push() {
	echo "$((WORK_MB * 2))M" >"$CG_TEST/memory.reclaim" 2>/dev/null || true
}

# round X: one workload with exclusive_loads=X; sets the figures below.
round() {
	local ready fifo pid rc
	echo "$1" >/sys/module/vswap/parameters/exclusive_loads ||
		fail "cannot set exclusive_loads=$1"
	ready=$TEST_TMP/ready.$1 fifo=$TEST_TMP/fifo.$1
	mkfifo "$fifo" || fail "mkfifo"
	cg_exec "$TEST_DIR/swap_stress" -m $WORK_MB -c -t 1 -p 1 -P 0 -P 1 \
		-s $((70 + $1)) -r "$ready" -w "$fifo" >"$TEST_TMP/stress.$1" 2>&1 &
	pid=$!
	track_pid $pid
	wait_file 200 "$ready" $pid || {
		sed 's/^/#   /' "$TEST_TMP/stress.$1"
		fail "swap_stress did not pause after its write"
	}
	push
	out1=$(ram_pages) writes1=$(vstat writes) excl1=$(vstat exclusive_loads)
	reads1=$(vstat reads)
	log "exclusive_loads=$1: pushed out: RAM tier $out1 pages, same tier $(tstat same pages)"
	rm -f "$ready"
	echo go >"$fifo"
	wait_file 200 "$ready" $pid || {
		sed 's/^/#   /' "$TEST_TMP/stress.$1"
		fail "swap_stress did not pause after pass 1"
	}
	in2=$(ram_pages) excl2=$(vstat exclusive_loads) reads2=$(vstat reads)
	log "exclusive_loads=$1: read back: RAM tier $in2 pages, $((reads2 - reads1)) pages read, $((excl2 - excl1)) copies freed on load"
	push
	out3=$(ram_pages) writes3=$(vstat writes)
	log "exclusive_loads=$1: pushed out again: RAM tier $out3 pages, $((writes3 - writes1)) pages written"
	echo go >"$fifo"
	rc=0
	wait $pid || rc=$?
	untrack_pid $pid
	grep -h 'pages verified' "$TEST_TMP/stress.$1" | sed 's/^/# /'
	assert_eq "$rc" 0 "exclusive_loads=$1: swap_stress verified every page"
	assert_ge "$out1" $((PAGES / 4)) "exclusive_loads=$1: the workload's text pages went to the RAM tier"
}

# Before 6.3 (->rw_page), or with sync=1, the device is a synchronous
# swap device: a swap-in of a page mapped once skips the swap cache and
# frees the slot at once, whatever exclusive_loads says.
sync_dev=0
kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
set -- $kv
if [ "$1" -lt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -lt 3 ]; } ||
	[ "$(cat /sys/module/vswap/parameters/sync)" = Y ]; then
	sync_dev=1
	log "a synchronous swap device here: swap-ins skip the swap cache"
fi

round 1
if [ $sync_dev = 0 ]; then
	assert_ge $((excl2 - excl1)) $((out1 * 9 / 10)) "the read freed the RAM copies (exclusive_loads)"
fi
assert_le "$in2" $((out1 / 10)) "the RAM tier emptied on the read"
assert_ge $((writes3 - writes1)) $((out1 * 9 / 10)) "the second push stored the pages again"
assert_ge "$out3" $((out1 * 9 / 10)) "and they are back in the RAM tier"

round 0
assert_eq $((excl2 - excl1)) 0 "exclusive_loads=0: no copy freed on a load"
if [ $sync_dev = 0 ]; then
	# A write fault frees a rewritten page's slot (a quarter of them,
	# unless the read mapped it writable); the copies of the rest stay.
	assert_ge "$in2" $((out1 / 2)) "exclusive_loads=0: the RAM copies of the pages only read stay"
fi

assert_no_failed_io vswap0
assert_ok "swapoff" swapoff /dev/vswap0
assert_le "$(vstat stored_pages)" 1 "only the swap header is stored after swapoff"
echo 1 >/sys/module/vswap/parameters/exclusive_loads
cg_destroy
vswap_unload
test_done
