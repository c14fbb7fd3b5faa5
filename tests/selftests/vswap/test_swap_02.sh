#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=384M smp=2 timeout=400
#
# swapoff with the data in swap (comp=lz4hc): swap_stress fills twice its cgroup's
# memory.max, does one verify/rewrite pass and pauses with about half its
# pages on /dev/vswap0.  Then the limit is lifted (swapoff must bring every
# page back into RAM) and swapoff runs.  Afterwards the device holds only
# mkswap's header (every other slot was freed through the swap slot free
# notification), one cluster table, and after a discard of the header
# nothing at all; the workload resumes and verifies every byte.
. "$(dirname "$0")/test_common.sh"

LIMIT_MB=${LIMIT_MB:-$(lane 48 24)}
WORK_MB=${WORK_MB:-$((2 * LIMIT_MB))}

test_init "swapoff with ${WORK_MB} MiB of a paused workload partly in swap"
require_vswap
require_prog swap_stress
require_memcg
require_cmd mkfifo

vswap_load size=256M comp=lz4hc
vswap_swapon vswap0
assert_eq "$(vstat stored_pages)" 1 "after mkswap: the header page"
cg_create ${LIMIT_MB}M

ready=$TEST_TMP/ready fifo=$TEST_TMP/fifo
mkfifo "$fifo" || fail "mkfifo"
cg_exec "$TEST_DIR/swap_stress" -m "$WORK_MB" -t 2 -p 2 -P 1 -r "$ready" -w "$fifo" \
	>"$TEST_TMP/stress.out" 2>&1 &
pid=$!
track_pid $pid
wait_file 200 "$ready" $pid || {
	sed 's/^/#   /' "$TEST_TMP/stress.out"
	fail "swap_stress did not pause"
}
sed 's/^/#   /' "$TEST_TMP/stress.out"
vswap_show vswap0
in_swap=$(vstat stored_pages)
used_kb=$(swap_used_kb vswap0)
log "paused: $in_swap slots stored, /proc/swaps used $used_kb KiB, memcg swap $(memcg_swap_kb) KiB"
# At least a third of the working set sits in swap.
assert_ge "$in_swap" $((WORK_MB * 256 / 3)) "a large part of the workload is in swap"
assert_ge "$(memcg_swap_kb)" $((WORK_MB * 1024 / 3)) "memory.swap.current of the cgroup"
assert_gt "$(vstat clusters)" 1 "several cluster tables in use"
frees0=$(vstat frees)

# swapoff needs the pages back in RAM: lift the limit.
echo max >"$CG_TEST/memory.max" || fail "cannot lift memory.max"
t=$(date +%s)
assert_ok "swapoff /dev/vswap0 with $in_swap slots in use" swapoff /dev/vswap0
log "swapoff took $(($(date +%s) - t)) s"
swap_active vswap0 && fail "vswap0 still in /proc/swaps"
vswap_show vswap0
frees=$(($(vstat frees) - frees0))
assert_ge "$frees" $((in_swap - 1)) "every swapped slot was freed by notification"
assert_eq "$(vstat stored_pages)" 1 "stored_pages back to mkswap's header page alone"
assert_eq "$(vstat clusters)" 1 "clusters back to 1 (the header's)"
assert_eq "$(tstat same pages)" 0 "same tier empty"
assert_eq "$(tstat ram pages)" 1 "RAM tier holds the header only"
assert_stats_consistent vswap0
assert_no_failed_io vswap0
# Drop the header too: the device is empty, down to the directory.
assert_ok "blkdiscard" blkdiscard /dev/vswap0
assert_eq "$(vstat stored_pages)" 0 "stored_pages after discarding the header"
assert_eq "$(vstat clusters)" 0 "clusters after discarding the header"
assert_eq "$(vstat meta_bytes)" $((256 * 256 / 512 * 8)) "meta_bytes back to the bare directory"
assert_eq "$(tstat ram pool_bytes)" 0 "zsmalloc pool empty"

# Resume: the workload verifies every page it had in swap.
echo go >"$fifo"
rc=0
wait $pid || rc=$?
untrack_pid $pid
sed -n '/resumed/,$p' "$TEST_TMP/stress.out" | sed 's/^/#   /'
assert_eq "$rc" 0 "swap_stress verified every byte after swapoff"
assert_eq "$(vstat stored_pages)" 0 "nothing written to vswap0 after swapoff"
vswap_unload
test_done
