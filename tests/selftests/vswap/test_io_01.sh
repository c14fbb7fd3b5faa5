#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
#
# Raw block device semantics (vswap_io_test, kselftest_harness): 4 KiB
# logical/physical blocks, unwritten slots read as zeroes, write/read
# roundtrip, overwrite, BLKDISCARD / BLKZEROOUT / fallocate free slots and
# empty cluster tables, same-filled pages on the same tier, incompressible
# pages stored raw (never bigger than a page), misaligned O_DIRECT
# refused, no torn pages under concurrent rewrite, and a reference-model
# check of every counter.  Once per compression algorithm, and once on a
# non-blocking queue (blocking=0).
. "$(dirname "$0")/test_common.sh"

test_init "raw device I/O semantics for lz4, lz4hc, zstd, and on a non-blocking queue"
require_vswap
require_prog vswap_io_test

failed=
# run_io LABEL MODPARAMS...: vswap_io_test on a fresh 64 MiB device;
# io_algo and io_blocking say how it was made.
run_io() {
	label=$1
	shift
	vswap_load size=64M "$@"
	io_algo=$(vstat algorithm)
	io_blocking=$(cat /sys/module/vswap/parameters/blocking)
	out=$TEST_TMP/io-$label.out
	rc=0
	VSWAP_DEV=vswap0 "$TEST_DIR/vswap_io_test" >"$out" 2>&1 || rc=$?
	sed "s/^/# [$label] /" "$out"
	grep -q '^# Totals: ' "$out" || fail "vswap_io_test $label printed no summary (exit $rc)"
	if [ "$rc" -eq 0 ]; then
		log "ok: vswap_io_test $label: $(grep '^# Totals' "$out")"
	else
		# Keep going: the other runs' results are worth having.
		log "NOT OK: vswap_io_test $label (exit $rc): $(grep '^# Totals' "$out")"
		failed="$failed $label($(grep '^# *FAIL ' "$out" | sed 's/.*FAIL *vswap\.//' | tr '\n' ' ' | sed 's/ $//'))"
	fi
	vswap_show vswap0
	assert_stats_consistent vswap0
	vswap_unload
}
for comp in $(lane_algos "lz4 lz4hc zstd" lz4hc); do
	run_io "comp=$comp" comp="$comp"
	assert_str "$io_algo" "$comp" "algorithm"
done
# blocking=0: ->queue_rq serves zero and RAM slots inline and must not
# sleep (the debug lane's atomic-sleep checks watch it), punting to a
# worker what would.
run_io blocking=0 comp=lz4 blocking=0
assert_str "$io_blocking" N "blocking parameter"
[ -z "$failed" ] || fail "vswap_io_test failed for:$failed"

test_done
