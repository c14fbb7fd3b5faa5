#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-lane: skip userspace behaviour (config apply, the live view); the kernel paths it drives are covered by test_tier_0[1-4] there
# vm: mem=512M smp=2 nvme=128M timeout=300
#
# vswapctl top, against what vswapctl -j status says.  /dev/vswap0 is swap
# with a RAM tier limited to 4 MiB and an NVMe fast tier; swap_stress
# fills it (a working set 2.5 times its cgroup's memory.max) and pauses
# with its pages in swap, then verifies every byte at the end.
#  - The screen, driven in tmux and read with capture-pane: the device
#    line (swap use, the engine's action), a row per tier whose state,
#    pages and occupancy (percent and bar) agree with vswapctl -j status,
#    a migrate event in the footer, a narrower bar after a resize, and
#    q quitting with status 0.
#  - Not on a terminal: a line per refresh with every tier, write rates
#    while the workload fills swap, the event lines; -j: valid JSON lines
#    with the documented keys, write rates, the engine demoting RAM to
#    fast while RAM is above its high watermark, swap use as /proc/swaps
#    has it, and the tiers' pages as vswapctl -j status has them.
. "$(dirname "$0")/test_common.sh"

LIMIT_MB=16
WORK_MB=40

test_init "vswapctl top on a terminal (tmux), in line mode and as JSON lines"
require_vswap
require_prog swap_stress json_check
require_memcg
require_cmd mkfifo
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
command -v tmux >/dev/null 2>&1 || skip "tmux is not in the initramfs (install tmux on the host)"
set -- $VM_NVME_DEVS
FAST=${1:-}
[ -b "$FAST" ] || skip "needs an NVMe disk (# vm: nvme=)"

vswap_load age_interval=1 demote_rate=0
assert_ok "dev add" vswapctl dev add vswap0 --size 128M
assert_ok "ram tier" vswapctl tier set vswap0 ram --limit 4M --high-wmark 75 --low-wmark 50
assert_ok "fast tier" vswapctl tier add vswap0 "$FAST" --name fast --class fast
vswap_swapon vswap0
cg_create ${LIMIT_MB}M

# --- the screen, in tmux ------------------------------------------------------
SOCK=$TEST_TMP/tmux.sock
tm() { tmux -S "$SOCK" "$@"; }
tm -f /dev/null new-session -d -s top -x 150 -y 36 \
	"vswapctl top vswap0 -d 1 2>$TEST_TMP/top.err; echo \$? >$TEST_TMP/top.rc; sleep 600" ||
	fail "tmux new-session"
track_pid "$(tm display-message -p '#{pid}')"
SCREEN=$TEST_TMP/screen
screen() { tm capture-pane -p -t top >"$SCREEN"; }
wait_for 20 sh -c "tmux -S '$SOCK' capture-pane -p -t top | grep -q '^ TIER '" || {
	screen
	sed 's/^/#   /' "$SCREEN" "$TEST_TMP/top.err"
	fail "no tier table on the screen in 20 s"
}
log "ok: vswapctl top draws its screen in tmux (TERM=$(tm show-options -gv default-terminal))"

# --- not on a terminal: lines and JSON, while the workload fills swap ---------
vswapctl top vswap0 -d 1 >"$TEST_TMP/lines" 2>"$TEST_TMP/lines.err" &
LINES_PID=$!
track_pid $LINES_PID
vswapctl -j top vswap0 -d 1 >"$TEST_TMP/json" 2>"$TEST_TMP/json.err" &
JSON_PID=$!
track_pid $JSON_PID
sleep 1.5

ready=$TEST_TMP/ready fifo=$TEST_TMP/fifo
mkfifo "$fifo" || fail "mkfifo"
cg_exec "$TEST_DIR/swap_stress" -m $WORK_MB -t 2 -p 1 -P 0 -r "$ready" -w "$fifo" \
	>"$TEST_TMP/stress.out" 2>&1 &
STRESS=$!
track_pid $STRESS
# For the log: the screen while swap fills.
sleep 4
screen
sed 's/^/#   | /' "$SCREEN" | grep -v '^#   | $'
wait_file 200 "$ready" $STRESS || {
	sed 's/^/#   /' "$TEST_TMP/stress.out"
	fail "swap_stress did not pause"
}
log "swap_stress paused with its pages in swap after $(elapsed) s"
demoted=$(tstat fast demotions)
assert_ok "migrate ram -> fast --max 1M" vswapctl migrate vswap0 --from ram --to fast --max 1M --wait

# status NAME FIELD: a tier's value in vswapctl -j status.
STATUS=$TEST_TMP/status.json
status() {
	local local_i local_n
	local_n=$("$TEST_DIR/json_check" -n 0.tiers <"$STATUS")
	local_i=0
	while [ "$local_i" -lt "$local_n" ]; do
		if [ "$("$TEST_DIR/json_check" -p "0.tiers.$local_i.name" <"$STATUS")" = "$1" ]; then
			"$TEST_DIR/json_check" -p "0.tiers.$local_i.$2" <"$STATUS"
			return
		fi
		local_i=$((local_i + 1))
	done
	echo "no-tier-$1"
}

# near A B: A within 2% (and 16 pages) of B.
near() {
	is_uint "$1" && is_uint "$2" || return 1
	local local_d local_t
	local_d=$(($1 > $2 ? $1 - $2 : $2 - $1))
	local_t=$(($2 / 50))
	[ "$local_t" -ge 16 ] || local_t=16
	[ "$local_d" -le "$local_t" ]
}

TIERS="same ram fast"
# screen_matches: every tier's row agrees with a fresh status, and the
# engine has settled (aging).  Why not, in $WHY.
screen_matches() {
	local local_t local_row local_p local_s
	screen
	vswapctl -j status vswap0 >"$STATUS" || { WHY="vswapctl -j status failed"; return 1; }
	grep -q '^vswap0 128M [0-9]*pg, swap [0-9.]*[BKM]*/128M, aging$' "$SCREEN" ||
		{ WHY="device line: $(grep '^vswap0' "$SCREEN")"; return 1; }
	for local_t in $TIERS; do
		[ "$local_t" = same ] && local_s=zero || local_s=$local_t
		local_row=$(grep "^ $local_s " "$SCREEN")
		[ -n "$local_row" ] || { WHY="no row for $local_s"; return 1; }
		# TIER KIND STATE OCCUPANCY USE% PAGES ...
		set -- $local_row
		[ "$3" = "$(status "$local_s" state)" ] ||
			{ WHY="$local_s: state $3, status says $(status "$local_s" state)"; return 1; }
		local_p=$(status "$local_s" pages)
		near "$6" "$local_p" || { WHY="$local_s: $6 pages on the screen, $local_p in status"; return 1; }
	done
	return 0
}
WHY=
wait_for 30 screen_matches || {
	sed 's/^/#   /' "$SCREEN"
	sed 's/^/#   /' "$STATUS"
	fail "the screen does not agree with vswapctl -j status: $WHY"
}
sed 's/^/#   | /' "$SCREEN"
log "ok: state and pages of every tier on the screen agree with vswapctl -j status"
assert_gt "$(status ram pages)" 0 "ram holds pages"
assert_gt "$(status fast pages)" 0 "fast holds pages"

# Occupancy: USE% as status has it, and a bar filled that much.
for t in ram fast; do
	set -- $(grep "^ $t " "$SCREEN")
	bar=$4 pct=$5
	want=$(status $t use_pct)
	awk -v a="$pct" -v b="$want" 'BEGIN { d = a - b; exit !(d <= 2 && d >= -2) }' ||
		fail "$t: USE% $pct on the screen, $want in status"
	width=$((${#bar} - 2))
	fill=$(printf '%s' "$bar" | tr -cd '#' | wc -c)
	awk -v f="$fill" -v w="$width" -v p="$pct" 'BEGIN { d = f - w * p / 100; exit !(d <= 1.5 && d >= -1.5) }' ||
		fail "$t: bar $bar does not show $pct%"
	log "ok: $t occupancy $pct% (status $want%), bar $fill of $width"
done
grep -q '^-- events -' "$SCREEN" || fail "no events footer"
grep -q '^[0-9:]* migrate vswap0 from 1 to 2 state done moved_bytes ' "$SCREEN" ||
	fail "the migration's end is not in the events footer"
log "ok: the events footer shows the migration"

# A narrower terminal: the screen redraws at once, the bars shrink.
wide_bar=$(grep '^ ram ' "$SCREEN" | awk '{ print length($4) }')
tm resize-window -t top -x 100 -y 30 || fail "tmux resize-window"
wait_for 5 sh -c "tmux -S '$SOCK' capture-pane -p -t top | grep '^ ram ' |
	awk '{ exit !(length(\$4) < $wide_bar) }'" || {
	screen
	sed 's/^/#   /' "$SCREEN"
	fail "no redraw with shorter bars after resizing to 100 columns"
}
screen
assert_le "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$SCREEN")" 100 \
	"every line fits 100 columns"
grep -q '^ TIER .*OCCUPANCY' "$SCREEN" || fail "no tier table heading after the resize"
tm send-keys -t top q
wait_file 10 "$TEST_TMP/top.rc" || fail "q did not end vswapctl top"
assert_eq "$(cat "$TEST_TMP/top.rc")" 0 "q quits with status 0"
[ ! -s "$TEST_TMP/top.err" ] || { sed 's/^/#   /' "$TEST_TMP/top.err"; fail "top wrote to stderr"; }
tm kill-server

# --- line mode and JSON ---------------------------------------------------------
vswapctl -j status vswap0 >"$STATUS" || fail "vswapctl -j status"
sleep 1.2
kill $LINES_PID $JSON_PID
wait $LINES_PID $JSON_PID 2>/dev/null
untrack_pid $LINES_PID
untrack_pid $JSON_PID
n=$(grep -c '^ *[0-9.]*s vswap0 ' "$TEST_TMP/lines")
assert_ge "$n" 5 "a line per refresh"
grep '^ *[0-9.]*s vswap0 ' "$TEST_TMP/lines" | grep -v ' | zero .* | ram .* | fast ' |
	sed 's/^/#   /' | grep . && fail "a line lacks a tier"
grep -q '^ *[0-9.]*s vswap0 .* | \(ram\|fast\) [^|]* w[0-9]*/s' "$TEST_TMP/lines" ||
	fail "no write rate on any line while the workload wrote"
grep -q '^ *[0-9.]*s event migrate vswap0 from 1 to 2 state done ' "$TEST_TMP/lines" ||
	fail "no event line for the migration"
sed -n '1p;$p' "$TEST_TMP/lines" | sed 's/^/#   /'
log "ok: $n lines, write rates while swap filled, the migration's events"

grep '"devices"' "$TEST_TMP/json" >"$TEST_TMP/samples"
grep '"event"' "$TEST_TMP/json" >"$TEST_TMP/events"
assert_ge "$(grep -c . "$TEST_TMP/samples")" 5 "a JSON sample per refresh"
assert_ok "JSON lines, every key" "$TEST_DIR/json_check" -l \
	-k '*.time' -k '*.interval' -k '*.devices.0.swap_used' -k '*.devices.0.action' \
	-k '*.devices.0.tiers.*.pages' -k '*.devices.0.tiers.*.state' \
	-k '*.devices.0.tiers.*.use_pct' -k '*.devices.0.tiers.*.writes_per_s' \
	-k '*.devices.0.tiers.*.mig_out_per_s' <"$TEST_TMP/samples"
assert_ok "event JSON lines" "$TEST_DIR/json_check" -l -k '*.event' <"$TEST_TMP/events"
grep -q '"event":"migrate".*"state":"done"' "$TEST_TMP/events" || fail "no migrate event in the JSON"
"$TEST_DIR/json_check" -l -p '*.devices.0.tiers.*.writes_per_s' <"$TEST_TMP/samples" |
	grep -q '^[1-9]' || fail "no write rate in the JSON samples"
# Demotions before the manual migration are the engine's own.
if [ "$demoted" -gt 0 ]; then
	"$TEST_DIR/json_check" -l -p '*.devices.0.action' <"$TEST_TMP/samples" |
		grep -q '^demoting ram -> fast [0-9]*/s$' ||
		fail "the engine demoted $demoted pages, no sample says so"
	log "ok: the engine demoted $demoted pages ram -> fast while swap filled, and the samples say so"
else
	log "note: the engine demoted nothing while swap filled"
fi
last=$(tail -n 1 "$TEST_TMP/samples")
i=0
for t in zero ram fast; do
	p=$(echo "$last" | "$TEST_DIR/json_check" -p "devices.0.tiers.$i.pages")
	assert_str "$(echo "$last" | "$TEST_DIR/json_check" -p "devices.0.tiers.$i.name")" $t "JSON tier $i"
	near "$p" "$(status $t pages)" || fail "$t: $p pages in the last sample, $(status $t pages) in status"
	i=$((i + 1))
done
used=$(echo "$last" | "$TEST_DIR/json_check" -p devices.0.swap_used)
near $((used / 4096)) $(($(swap_used_kb vswap0) / 4)) ||
	fail "swap_used $used, /proc/swaps $(swap_used_kb vswap0) KiB"
log "ok: the last JSON sample agrees with status and /proc/swaps"

# --- the end: every byte verified --------------------------------------------------
echo go >"$fifo"
rc=0
wait $STRESS || rc=$?
untrack_pid $STRESS
[ $rc -eq 0 ] || { sed 's/^/#   /' "$TEST_TMP/stress.out"; fail "swap_stress rc $rc"; }
log "ok: swap_stress verified every byte"
assert_no_failed_io vswap0
assert_ok "swapoff" swapoff /dev/vswap0
cg_destroy
assert_ok "dev del" vswapctl dev del vswap0
vswap_unload
test_done
