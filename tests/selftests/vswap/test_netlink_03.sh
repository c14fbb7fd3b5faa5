#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
#
# Events.  vswapctl monitor -j and the plain text monitor run in the
# background, with a raw listener (vswap_nl_fuzz --listen) next to them,
# while a script makes events: dev add, tier set (no event), tier del,
# tier add with a 1 MiB limit and watermarks 50/20, random pages past the
# high watermark (wmark high), past the limit (the write fails: io-error),
# a discard below the low watermark (wmark low), dev del.  Then: every
# JSON line is valid with the documented keys, the events came in that
# order with the right values, the text monitor printed the same events,
# and the raw listener got the same sequence from the kernel.  Then the
# module is unloaded and loaded again: the monitor goes on and reports
# the new module's events.
. "$(dirname "$0")/test_common.sh"

test_init "vswapctl monitor: events in order, as JSON lines and text"
require_vswap
require_prog vswap_nl_fuzz json_check
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"

JC=$TEST_DIR/json_check
MJ=$TEST_TMP/monitor.json
MT=$TEST_TMP/monitor.txt
MR=$TEST_TMP/raw.txt

vswap_load
vswapctl -j monitor >"$MJ" 2>"$MJ.err" &
MJ_PID=$!
track_pid $MJ_PID
vswapctl monitor >"$MT" 2>"$MT.err" &
MT_PID=$!
track_pid $MT_PID
"$TEST_DIR/vswap_nl_fuzz" --listen >"$MR" 2>"$MR.err" &
MR_PID=$!
track_pid $MR_PID

# The monitors print nothing until an event comes: add and remove vswap7
# until all three have seen one, so none misses the sequence below.
n=0
until grep -q vswap7 "$MJ" && grep -q vswap7 "$MT" && grep -q 'dev-id=7' "$MR"; do
	vswapctl dev add vswap7 --size 1M >/dev/null || fail "dev add vswap7"
	vswapctl dev del vswap7 || fail "dev del vswap7"
	n=$((n + 1))
	if [ $n -ge 50 ]; then
		cat "$MJ.err" "$MT.err" "$MR.err" | sed 's/^/#   /'
		fail "the monitors saw no event in 10 s"
	fi
	sleep 0.2
done
log "ok: the monitors are listening (after $n device add/del rounds)"

# --- the sequence ----------------------------------------------------------------
make_file random 320 "$TEST_TMP/random"
vswapctl dev add vswap1 --size 32M >/dev/null || fail "dev add vswap1"
vswapctl tier set vswap1 ram --priority 4 || fail "tier set (no event)"
vswapctl tier del vswap1 ram || fail "tier del vswap1 ram"
vswapctl tier add vswap1 ram --limit 1M --high-wmark 50 --low-wmark 20 >/dev/null ||
	fail "tier add vswap1 ram"
# 160 incompressible pages: 640 KiB of zsmalloc memory, above 50% of 1 MiB.
dev_write vswap1 0 160 "$TEST_TMP/random" || fail "160 random pages to vswap1"
wait_for 10 grep -q '"wmark"' "$MJ" || fail "no wmark event after 640 KiB in a 1 MiB tier"
# 160 more: the tier fills up at 1 MiB and a write fails.
dd if="$TEST_TMP/random" of=/dev/vswap1 bs=4096 seek=160 skip=160 count=160 \
	oflag=direct conv=notrunc 2>/dev/null &&
	fail "320 random pages fit in a 1 MiB ram tier"
log "ok: writing past the tier's limit failed"
wait_for 10 grep -q '"io-error"' "$MJ" || fail "no io-error event after a failed write"
st=$(vswapctl -j tier show vswap1 ram | "$JC" -p 0.state)
assert_str "$st" full "the ram tier at its limit is full"
blkdiscard /dev/vswap1 || fail "blkdiscard /dev/vswap1"
st=$(vswapctl -j tier show vswap1 ram | "$JC" -p 0.state)
assert_str "$st" active "the emptied ram tier is active again"
wait_for 10 sh -c "[ \$(grep -c '\"wmark\"' '$MJ') -ge 2 ]" ||
	fail "no second wmark event after the discard"
vswapctl dev del vswap1 || fail "dev del vswap1"
wait_for 10 grep -q '"dev-del","dev":"vswap1"' "$MJ" || {
	sed 's/^/#   /' "$MJ"
	fail "no dev-del event for vswap1"
}
wait_for 10 grep -q 'dev-del vswap1' "$MT" || fail "the text monitor missed dev-del"
wait_for 10 grep -q 'event dev-del-ntf dev-id=1' "$MR" || fail "the raw listener missed dev-del"
for p in $MT_PID $MR_PID; do
	kill "$p"
	wait "$p" 2>/dev/null
	untrack_pid "$p"
done
[ -s "$MJ.err" ] && { sed 's/^/#   /' "$MJ.err"; fail "monitor -j wrote to stderr"; }
# monitor -j goes on (module reload below): look at what it has so far.
SNAP=$TEST_TMP/monitor.snap
cp "$MJ" "$SNAP"

# --- JSON lines ------------------------------------------------------------------------
"$JC" -l -k '*.event' -k '*.dev' -k '*.dev_id' <"$SNAP" ||
	fail "monitor -j: not JSON lines, or a line without event, dev and dev_id"
log "ok: monitor -j: $(wc -l <"$SNAP") valid JSON lines, each with event, dev and dev_id"
# Only vswap1's events, in order; L is the first line about vswap1.
"$JC" -l -p '*.event' <"$SNAP" >"$TEST_TMP/events"
"$JC" -l -p '*.dev' <"$SNAP" >"$TEST_TMP/devs"
paste -d ' ' "$TEST_TMP/events" "$TEST_TMP/devs" | awk '{ print NR - 1, $1, $2 }' |
	grep ' vswap1$' >"$TEST_TMP/seq"
sed 's/^/#   /' "$TEST_TMP/seq"
assert_str "$(awk '{ print $2 }' "$TEST_TMP/seq" | tr '\n' ' ')" \
	"dev-add tier-del tier-add wmark io-error wmark dev-del " "the events of vswap1, in order"
line() { sed -n "$1p" "$TEST_TMP/seq" | cut -d' ' -f1; }
ADD=$(line 1) TDEL=$(line 2) TADD=$(line 3) HIGH=$(line 4) IOERR=$(line 5) LOW=$(line 6) DEL=$(line 7)

assert_eq "$("$JC" -l -p $ADD.dev_id <"$SNAP")" 1 "dev-add: dev_id"
assert_eq "$("$JC" -l -p $ADD.size <"$SNAP")" $((32 << 20)) "dev-add: size"
assert_eq "$("$JC" -l -p $TDEL.id <"$SNAP")" 1 "tier-del: tier id"
assert_str "$("$JC" -l -p $TDEL.name <"$SNAP")" ram "tier-del: tier name"
assert_eq "$("$JC" -l -p $TADD.id <"$SNAP")" 1 "tier-add: tier id"
assert_str "$("$JC" -l -p $TADD.name <"$SNAP")" ram "tier-add: tier name"
assert_str "$("$JC" -l -p $TADD.kind <"$SNAP")" ram "tier-add: kind"
assert_eq "$("$JC" -l -p $TADD.limit <"$SNAP")" $((1 << 20)) "tier-add: limit"
assert_str "$("$JC" -l -p $HIGH.wmark <"$SNAP")" high "first wmark: high"
assert_str "$("$JC" -l -p $HIGH.name <"$SNAP")" ram "first wmark: the ram tier"
assert_eq "$("$JC" -l -p $HIGH.id <"$SNAP")" 1 "first wmark: tier id"
assert_str "$("$JC" -l -p $IOERR.io_op <"$SNAP")" write "io-error: a write"
errno=$("$JC" -l -p $IOERR.errno <"$SNAP")
assert_eq "$errno" 28 "io-error: ENOSPC, the tier is at its limit"
assert_ge "$("$JC" -l -p $IOERR.error_count <"$SNAP")" 1 "io-error: error count"
assert_str "$("$JC" -l -p $LOW.wmark <"$SNAP")" low "second wmark: low"
assert_str "$("$JC" -l -p $LOW.name <"$SNAP")" ram "second wmark: the ram tier"
assert_eq "$("$JC" -l -p $DEL.dev_id <"$SNAP")" 1 "dev-del: dev_id"

# --- the text monitor and the raw listener saw the same --------------------------------
grep ' vswap1\( \|$\)' "$MT" | awk '{ print $1 }' | tr '\n' ' ' >"$TEST_TMP/text.seq"
sed 's/^/#   text: /' "$MT" | grep vswap1
assert_str "$(cat "$TEST_TMP/text.seq")" "dev-add tier-del tier-add wmark io-error wmark dev-del " \
	"the text monitor's events of vswap1"
grep 'dev-id=1\( \|$\)' "$MR" | awk '{ print $2 }' | tr '\n' ' ' >"$TEST_TMP/raw.seq"
assert_str "$(cat "$TEST_TMP/raw.seq")" \
	"dev-add-ntf tier-del-ntf tier-add-ntf wmark-ntf io-error-ntf wmark-ntf dev-del-ntf " \
	"the kernel's events of vswap1 (raw listener)"
# The warm-up rounds (vswap7) started before every listener was up, so
# each may have seen a different number of them: count the rest.
nraw=$(grep '^event ' "$MR" | grep -vc 'dev-id=7\( \|$\)')
assert_eq "$(grep -vc '"dev":"vswap7"' "$SNAP")" "$nraw" "monitor -j printed every event the kernel sent"
assert_eq "$(grep -vc ' vswap7\( \|$\)' "$MT")" "$nraw" "the text monitor printed every event"
grep 'wmark-ntf dev-id=1 ' "$MR" | head -n 1 | grep -q 'wmark=1$' || fail "raw: the first wmark is not HIGH (1)"
grep 'wmark-ntf dev-id=1 ' "$MR" | tail -n 1 | grep -q 'wmark=2$' || fail "raw: the last wmark is not LOW (2)"
log "ok: raw listener: wmark HIGH then LOW"

# --- a limit set under the usage crosses the high watermark at once -----------------------
vswapctl dev add vswap2 --size 16M >/dev/null || fail "dev add vswap2"
dev_write vswap2 0 64 "$TEST_TMP/random" || fail "64 random pages to vswap2"
vswapctl tier set vswap2 ram --limit 512K --high-wmark 40 --low-wmark 10 ||
	fail "tier set vswap2 ram --limit 512K"
wait_for 10 grep -q '"event":"wmark","dev":"vswap2"' "$MJ" ||
	fail "no wmark event when the limit was set under the usage"
assert_str "$(grep '"dev":"vswap2"' "$MJ" | grep '"wmark"' | "$JC" -l -p 0.wmark)" high \
	"tier set under the usage: wmark high"
vswapctl dev del vswap2 || fail "dev del vswap2"

# --- the monitor follows a module reload -------------------------------------------------
# The family and its group go away with the module and come back (maybe
# with other ids); vswapctl monitor follows nlctrl's notifications.
vswap_unload
kill -0 $MJ_PID 2>/dev/null || fail "monitor -j exited when vswap was unloaded"
vswap_load
n=0
until grep -q '"dev":"vswap6"' "$MJ"; do
	vswapctl dev add vswap6 --size 1M >/dev/null || fail "dev add vswap6"
	vswapctl dev del vswap6 || fail "dev del vswap6"
	n=$((n + 1))
	if [ $n -ge 25 ]; then
		sed 's/^/#   /' "$MJ.err"
		fail "monitor -j saw no event after the module was reloaded"
	fi
	sleep 0.2
done
log "ok: monitor -j follows a module reload ($n add/del rounds)"
kill $MJ_PID
wait $MJ_PID 2>/dev/null
untrack_pid $MJ_PID
"$JC" -l -k '*.event' <"$MJ" || fail "monitor -j: invalid JSON lines after the reload"

vswap_unload
test_done
