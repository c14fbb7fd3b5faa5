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
# check of every counter.  Once per compression algorithm.
. "$(dirname "$0")/test_common.sh"

test_init "raw device I/O semantics for lz4, lz4hc, zstd"
require_vswap
require_prog vswap_io_test

failed=
for comp in $(lane_algos "lz4 lz4hc zstd" lz4hc); do
	vswap_load size=64M comp=$comp
	assert_str "$(vstat algorithm)" "$comp" "algorithm"
	out=$TEST_TMP/io-$comp.out
	rc=0
	VSWAP_DEV=vswap0 "$TEST_DIR/vswap_io_test" >"$out" 2>&1 || rc=$?
	sed "s/^/# [$comp] /" "$out"
	grep -q '^# Totals: ' "$out" || fail "vswap_io_test comp=$comp printed no summary (exit $rc)"
	if [ "$rc" -eq 0 ]; then
		log "ok: vswap_io_test comp=$comp: $(grep '^# Totals' "$out")"
	else
		# Keep going: the other algorithms' results are worth having.
		log "NOT OK: vswap_io_test comp=$comp (exit $rc): $(grep '^# Totals' "$out")"
		failed="$failed $comp($(grep '^# *FAIL ' "$out" | sed 's/.*FAIL *vswap\.//' | tr '\n' ' ' | sed 's/ $//'))"
	fi
	vswap_show vswap0
	assert_stats_consistent vswap0
	vswap_unload
done
[ -z "$failed" ] || fail "vswap_io_test failed for:$failed"

test_done
