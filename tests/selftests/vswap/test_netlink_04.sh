#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=1G smp=2 timeout=720
#
# Netlink fuzzing (vswap_nl_fuzz): 300000 random and malformed messages
# (30000 on the debug kernel) to the vswap family as root, so every
# handler is reachable: devices and tiers come, go and get renamed while
# a dd loop does I/O on /dev/vswap0, a loop reads every vswap sysfs file
# (tier directories vanish under it) and vswapctl monitor -j takes the
# flood of events.  Then three fuzzers at once (the handlers run in
# parallel), then 20000 messages (5000 on the debug kernel) as nobody
# (everything mutating must be refused).  Afterwards the kernel is clean (no WARN, BUG, KASAN, lockdep:
# test_done), every reply was well formed, the family still answers, the
# monitor's output is valid JSON lines, a new device works, a normal
# command works, and the module unloads.
#
# VSWAP_FUZZ_SEED=N repeats a run (the seed is printed); VSWAP_FUZZ_N
# sets the root message count.
. "$(dirname "$0")/test_common.sh"

test_init "netlink fuzzer as root and as nobody; the kernel survives"
require_vswap
require_prog vswap_nl_fuzz runas json_check

N=${VSWAP_FUZZ_N:-$(lane_algos 300000 30000)}
SEED=${VSWAP_FUZZ_SEED:-$(($(date +%s) % 1000000 * 1000 + $$ % 1000 + 1))}
FUZZ=$TEST_DIR/vswap_nl_fuzz
# A stuck fuzzer must not eat the whole VM timeout.  The debug kernel
# needs 50 s for 100000 messages on a quiet host, six times that on a busy
# one (TCG).  The racing loops pause longer there, to leave it the CPUs.
LIMIT=$(lane_algos 120 480)
PAUSE=$(lane_algos 0.05 0.5)

vswap_load size=64M

# fuzz_run LABEL FUZZER-ARGS...: run it, show its summary, check it.
fuzz_run() {
	local local_label local_out local_rc local_sent
	local_label=$1
	shift
	local_out=$TEST_TMP/fuzz-$local_label.out
	local_rc=0
	"$@" >"$local_out" 2>"$local_out.err" || local_rc=$?
	sed "s/^/# [$local_label] /" "$local_out"
	tail -n 3 "$local_out.err" | sed "s/^/# [$local_label] /"
	grep -q '^fuzz: sent ' "$local_out" ||
		fail "$local_label: the fuzzer printed no summary (exit $local_rc)"
	[ "$local_rc" -eq 0 ] ||
		fail "$local_label: the fuzzer failed (exit $local_rc; repeat with VSWAP_FUZZ_SEED=$SEED)"
	local_sent=$(sed -n 's/^fuzz: sent \([0-9]*\) messages.*/\1/p' "$local_out")
	FUZZ_SENT=$local_sent
	log "ok: $local_label: $local_sent messages, kernel answered all well formed"
}

# fix_node: dd creates a regular file when /dev/vswap0 is gone (busybox
# dd has no conv=nocreat), and devtmpfs then cannot make the node of a
# vswap0 added later.  Put the node back in that case.
fix_node() {
	if [ -e /dev/vswap0 ] && [ ! -b /dev/vswap0 ]; then
		rm -f /dev/vswap0
		echo x >>"$TEST_TMP/fixed"
	fi
	[ -e /dev/vswap0 ] || [ ! -r /sys/block/vswap0/dev ] ||
		mknod /dev/vswap0 b $(tr ':' ' ' </sys/block/vswap0/dev) 2>/dev/null
}

# Data-path I/O racing the control path: the device may vanish (dev-del)
# and reappear (dev-add), so every error is ignored.
make_file text 64 "$TEST_TMP/data"
(
	while :; do
		fix_node
		[ -b /dev/vswap0 ] &&
			dd if="$TEST_TMP/data" of=/dev/vswap0 bs=4096 count=64 \
				oflag=direct conv=notrunc 2>/dev/null &&
			echo w >>"$TEST_TMP/io"
		dd if=/dev/vswap0 of=/dev/null bs=4096 count=64 iflag=direct \
			2>/dev/null && echo r >>"$TEST_TMP/io"
		sleep "$PAUSE"
	done
) &
IO_PID=$!
track_pid $IO_PID

# sysfs readers racing tier removal and renames (the attributes look
# their tier up): every error ignored, only the kernel's health counts.
(
	while :; do
		cat /sys/block/vswap*/vswap/* /sys/block/vswap*/vswap/tiers/*/* \
			>/dev/null 2>&1
		echo s >>"$TEST_TMP/sysfs"
		# The fuzzer needs the CPUs more (TCG, two of them).
		sleep "$PAUSE"
	done
) &
SYSFS_PID=$!
track_pid $SYSFS_PID
MON_PID=
if command -v vswapctl >/dev/null 2>&1; then
	vswapctl -j monitor >"$TEST_TMP/mon" 2>"$TEST_TMP/mon.err" &
	MON_PID=$!
	track_pid $MON_PID
fi

log "seed $SEED (VSWAP_FUZZ_SEED=$SEED repeats this run)"
fuzz_run root "$FUZZ" -n "$N" -s "$SEED" -t "$LIMIT"
assert_ge "$FUZZ_SENT" "$N" "root: messages sent"

# Three at once: the handlers run in parallel (parallel_ops).
P=$((N / 10))
pids=
for i in 1 2 3; do
	"$FUZZ" -q -n "$P" -s $((SEED + 10 + i)) -t "$LIMIT" >"$TEST_TMP/par$i" 2>&1 &
	pids="$pids $!"
	track_pid $!
done
i=0
for p in $pids; do
	i=$((i + 1))
	rc=0
	wait "$p" || rc=$?
	untrack_pid "$p"
	grep '^fuzz: sent' "$TEST_TMP/par$i" | sed "s/^/# [parallel $i] /"
	[ "$rc" -eq 0 ] || {
		sed 's/^/#   /' "$TEST_TMP/par$i"
		fail "parallel fuzzer $i failed (exit $rc)"
	}
	grep -q "^fuzz: sent $P messages" "$TEST_TMP/par$i" ||
		fail "parallel fuzzer $i did not send its $P messages"
done
log "ok: three parallel fuzzers, $P messages each"
ROOT_SENT=$FUZZ_SENT
grep -q '^fuzz: errors by errno:.* EINVAL=' "$TEST_TMP/fuzz-root.out" ||
	fail "root: no EINVAL at all: the malformed messages never reached the policy checks"

# Something for nobody's gets to find (EEXIST when vswap0 survived).
"$FUZZ" --send dev-add dev-size=67108864 dev-name=vswap0 >/dev/null 2>&1
NN=$(lane_algos 20000 5000)
fuzz_run nobody "$TEST_DIR/runas" nobody "$FUZZ" -n "$NN" -s $((SEED + 1)) -t "$LIMIT"
assert_ge "$FUZZ_SENT" "$NN" "nobody: messages sent"
grep -q '^fuzz: errors by errno:.* EPERM=' "$TEST_TMP/fuzz-nobody.out" ||
	fail "nobody: no EPERM: mutating commands were not refused"
# As nobody, nothing may have changed hands: the fuzzer makes no device.
grep -q '^fuzz: [0-9]* cleanups deleted [1-9]' "$TEST_TMP/fuzz-nobody.out" &&
	fail "nobody: the unprivileged fuzzer created devices"

kill -9 $IO_PID $SYSFS_PID 2>/dev/null
wait $IO_PID 2>/dev/null
wait $SYSFS_PID 2>/dev/null
untrack_pid $IO_PID
untrack_pid $SYSFS_PID
fix_node
log "the sysfs loop read everything $(wc -l <"$TEST_TMP/sysfs") times during the fuzzing"
if [ -n "$MON_PID" ]; then
	kill $MON_PID
	wait $MON_PID 2>/dev/null
	untrack_pid $MON_PID
	[ -s "$TEST_TMP/mon" ] || fail "vswapctl monitor saw no event during the fuzzing"
	"$TEST_DIR/json_check" -l -k '*.event' <"$TEST_TMP/mon" ||
		fail "vswapctl monitor -j printed invalid JSON lines under the event flood"
	log "ok: vswapctl monitor -j: $(wc -l <"$TEST_TMP/mon") valid event lines" \
		"($(grep -c 'events lost' "$TEST_TMP/mon.err") overruns reported)"
	grep -v 'events lost' "$TEST_TMP/mon.err" | grep . &&
		fail "vswapctl monitor complained (above)"
fi
log "the dd loop did $(grep -c w "$TEST_TMP/io" 2>/dev/null) writes and" \
	"$(grep -c r "$TEST_TMP/io" 2>/dev/null) reads of 256 KiB during the fuzzing" \
	"($(wc -l <"$TEST_TMP/fixed" 2>/dev/null || echo 0) lost node races)"

# The family still works: list what the fuzzer left (its settings are
# random: a ram tier deleted, a limit of a few bytes...), delete it all,
# and make vswap0 afresh; it must work like new.
assert_ok "device dump after fuzzing" "$FUZZ" --send dev-get --dump
"$FUZZ" --send tier-get --dump | sed 's/ tier-stats.*//; s/^/# left: /'
for d in /sys/block/vswap*; do
	[ -d "$d" ] || continue
	id=${d##*/vswap}
	assert_ok "dev-del vswap$id" "$FUZZ" --send dev-del dev-id="$id"
done
wait_for 10 sh -c '! ls -d /sys/block/vswap* >/dev/null 2>&1' || fail "devices left after dev-del"
rm -f /dev/vswap0	# a regular file, if dd lost one last race
assert_ok "dev-add vswap0" "$FUZZ" --send dev-add dev-size=67108864 dev-name=vswap0
wait_for 10 test -b /dev/vswap0 || fail "/dev/vswap0 did not appear"
make_file random 16 "$TEST_TMP/in"
dev_write vswap0 0 16 "$TEST_TMP/in" || fail "write to vswap0 after fuzzing"
dev_read vswap0 0 16 "$TEST_TMP/back" || fail "read from vswap0 after fuzzing"
cmp -s "$TEST_TMP/in" "$TEST_TMP/back" || fail "vswap0 data differs after fuzzing"
log "ok: vswap0 read back what was written"
if command -v vswapctl >/dev/null 2>&1; then
	assert_ok "vswapctl status after fuzzing" vswapctl status
	assert_ok "vswapctl dev show after fuzzing" vswapctl dev show
fi

assert_ok "dev-del vswap0" "$FUZZ" --send dev-del dev-id=0
vswap_unload
log "fuzzed with $ROOT_SENT messages as root, 3 x $P in parallel and $NN as nobody (seed $SEED)"
test_done
