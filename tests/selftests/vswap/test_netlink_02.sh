#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 disk=64M timeout=300
# debug-lane: skip refusals stop in the genl core or pre_doit, reads are test_netlink_01's, JSON is userspace
#
# Unprivileged callers.  As nobody (runas), every mutating command is
# refused by the kernel (vswapctl exit 2, EPERM), before it looks at its
# arguments (a missing device gives EPERM too), and changes nothing; every
# read command works, and so does monitor.  Root without CAP_SYS_ADMIN
# (runas -D 21) is refused too, with the kernel's message.  The same with
# raw requests for every mutating command.  The JSON of status, dev show
# and tier show (as nobody) is valid RFC 8259 with every documented key
# (json_check), -o limits the JSON keys, and -p (pretty) is valid JSON
# too.
. "$(dirname "$0")/test_common.sh"

test_init "unprivileged callers: mutating commands refused, reads and JSON work"
require_vswap
require_prog vswap_nl_fuzz json_check runas
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"

OUT=$TEST_TMP/out
ERR=$TEST_TMP/err
RUNAS=$TEST_DIR/runas
RAW=$TEST_DIR/vswap_nl_fuzz
JC=$TEST_DIR/json_check
NDENIED=0 NREAD=0

# as WHO ARGS...: vswapctl ARGS as WHO (nobody, or nosysadmin: root
# without CAP_SYS_ADMIN); exit status in $RC.
as() {
	local local_who
	local_who=$1
	shift
	RC=0
	case $local_who in
	nobody) "$RUNAS" nobody vswapctl "$@" >"$OUT" 2>"$ERR" || RC=$? ;;
	nosysadmin) "$RUNAS" -D 21 root vswapctl "$@" >"$OUT" 2>"$ERR" || RC=$? ;;
	root) vswapctl "$@" >"$OUT" 2>"$ERR" || RC=$? ;;
	esac
}

dump_out() {
	sed 's/^/#   stdout: /' "$OUT"
	sed 's/^/#   stderr: /' "$ERR"
}

# denied WHO ERE ARGS...: exit 2, stderr matches ERE, nothing on stdout.
denied() {
	local local_who local_re
	local_who=$1 local_re=$2
	shift 2
	as "$local_who" "$@"
	NDENIED=$((NDENIED + 1))
	if [ "$RC" -ne 2 ] || ! grep -qiE -- "$local_re" "$ERR" || [ -s "$OUT" ]; then
		dump_out
		fail "$local_who: 'vswapctl $*': expected exit 2 and /$local_re/, got exit $RC"
	fi
	log "ok: $local_who: vswapctl $*: refused ($(head -n 1 "$ERR"))"
}

# allowed WHO ARGS...: exit 0.
allowed() {
	local local_who
	local_who=$1
	shift
	as "$local_who" "$@"
	NREAD=$((NREAD + 1))
	if [ "$RC" -ne 0 ]; then
		dump_out
		fail "$local_who: 'vswapctl $*' exited $RC"
	fi
	log "ok: $local_who: vswapctl $*"
}

# keys WHAT PATH...: the JSON in $OUT is valid and has every PATH.
keys() {
	local local_what local_args local_p
	local_what=$1
	shift
	local_args=
	for local_p in "$@"; do
		local_args="$local_args -k $local_p"
	done
	# shellcheck disable=SC2086 # one word per option
	"$JC" $local_args <"$OUT" 2>"$TEST_TMP/jc.err" || {
		sed 's/^/#   /' "$TEST_TMP/jc.err"
		dump_out
		fail "$local_what: invalid JSON or a documented key missing"
	}
	log "ok: $local_what: valid JSON with all $# documented keys"
}

state() {
	vswapctl -j dev show >"$TEST_TMP/state"
	vswapctl -j tier show >>"$TEST_TMP/state"
	ls /sys/block | grep vswap >>"$TEST_TMP/state"
	cat "$TEST_TMP/state"
}

vswap_load size=64M
make_file text 32 "$TEST_TMP/text"
make_file random 8 "$TEST_TMP/random"
dev_write vswap0 0 32 "$TEST_TMP/text" || fail "write vswap0"
dev_write vswap0 32 8 "$TEST_TMP/random" || fail "write vswap0"
disk=${VM_DISK_DEVS%% *}
[ -b "$disk" ] || fail "no virtio disk (# vm: disk=)"
before=$(state)

# --- nobody: every mutating command refused ---------------------------------
EPERM='Operation not permitted'
for who in nobody nosysadmin; do
	[ "$who" = nobody ] && re=$EPERM || re="needs CAP_SYS_ADMIN.*$EPERM"
	denied $who "$re" dev add --size 8M
	denied $who "$re" dev add vswap4 --size 8M --algo zstd
	denied $who "$re" dev del vswap0
	denied $who "$re" dev del vswap9
	denied $who "$re" tier add vswap0 ram
	denied $who "$re" tier add vswap0 "$disk" --class slow
	denied $who "$re" tier set vswap0 ram --limit 1M
	denied $who "$re" tier set vswap0 ram --name cram
	denied $who "$re" tier set vswap0 zero --priority 3
	denied $who "$re" tier set vswap0 1 --algo zstd
	denied $who "$re" tier del vswap0 ram
	denied $who "$re" tier del vswap0 ram --drain
	denied $who "$re" tier del vswap0 ram --cancel
	denied $who "$re" tier set vswap0 ram --state active
	denied $who "$re" migrate vswap0 --from ram --to zero
	denied $who "$re" migrate vswap9 --from 1 --to 2
done
assert_str "$(state)" "$before" "the refused commands changed nothing"

# The same as raw requests: the kernel refuses each mutating op.
for who in nobody nosysadmin; do
	for req in "dev-add dev-size=8388608" "dev-del dev-id=0" \
		   "tier-add dev-id=0 tier-kind=2" "tier-set dev-id=0 tier-id=1 tier-limit=0" \
		   "tier-del dev-id=0 tier-id=1" "migrate dev-id=0 migrate-from=1 migrate-to=0"; do
		rc=0
		if [ $who = nobody ]; then
			# shellcheck disable=SC2086 # the request's words
			out=$("$RUNAS" nobody "$RAW" --send $req 2>&1) || rc=$?
		else
			# shellcheck disable=SC2086
			out=$("$RUNAS" -D 21 root "$RAW" --send $req 2>&1) || rc=$?
		fi
		NDENIED=$((NDENIED + 1))
		[ "$rc" -eq 2 ] && echo "$out" | grep -q '^error EPERM' ||
			fail "$who: raw $req: expected EPERM, got: $out"
		log "ok: $who: raw $req: ${out#error }"
	done
done
assert_str "$(state)" "$before" "the refused raw requests changed nothing"

# --- nobody: every read command works ----------------------------------------
for who in nobody nosysadmin; do
	allowed $who status
	allowed $who status vswap0
	allowed $who dev show
	allowed $who dev show vswap0
	allowed $who dev list
	allowed $who tier show
	allowed $who tier show vswap0
	allowed $who tier show vswap0 ram
	allowed $who tier show vswap0 0
	allowed $who -o name,pages,ratio status
done
as nobody dev show vswap0
grep -q vswap0 "$OUT" || fail "nobody: dev show does not show vswap0"
as nobody tier show vswap0
grep -q ram "$OUT" && grep -q zero "$OUT" || fail "nobody: tier show lacks the tiers"
# Errors about missing objects are the kernel's, not permission errors.
denied nobody 'no device vswap9' dev show vswap9
denied nobody 'no tier named nope' tier show vswap0 nope
for req in "dev-get --dump" "dev-get dev-id=0" "tier-get --dump" "tier-get dev-id=0 tier-id=1"; do
	# shellcheck disable=SC2086
	out=$("$RUNAS" nobody "$RAW" --send $req 2>&1) || fail "nobody: raw $req: $out"
	NREAD=$((NREAD + 1))
	log "ok: nobody: raw $req ($(echo "$out" | grep -c '^reply') replies)"
done

# monitor works unprivileged: it sees what root does.
"$RUNAS" nobody vswapctl -j monitor >"$TEST_TMP/mon" 2>"$TEST_TMP/mon.err" &
MON=$!
track_pid $MON
n=0
until grep -q '"event"' "$TEST_TMP/mon" 2>/dev/null; do
	# Until the monitor has joined the group: add and remove a device.
	vswapctl dev add vswap7 --size 1M >/dev/null || fail "dev add vswap7"
	vswapctl dev del vswap7 || fail "dev del vswap7"
	n=$((n + 1))
	[ $n -lt 50 ] || { cat "$TEST_TMP/mon.err"; fail "nobody: monitor saw no event"; }
	sleep 0.2
done
kill $MON
wait $MON 2>/dev/null
untrack_pid $MON
"$JC" -l -k 0.event -k 0.dev <"$TEST_TMP/mon" ||
	fail "nobody: monitor -j output is not JSON lines with event and dev"
log "ok: nobody: monitor -j sees root's events ($(wc -l <"$TEST_TMP/mon") lines)"

# --- JSON: valid, with the documented keys ------------------------------------------
# As vswapctl(8) documents them (section JSON).
DEV_KEYS="name id size in_use meta_bytes pages orig_bytes stored_bytes ratio use_pct
	reads writes discards frees failed_reads failed_writes huge_pages migrated_in
	migrated_out promotions demotions io_errors budget_used"
TIER_KEYS="dev dev_id id name kind class state algo level limit path capacity
	high_wmark low_wmark idle_age priority pages orig_bytes stored_bytes ratio use_pct
	reads writes failed_reads failed_writes huge_pages migrated_in migrated_out
	promotions demotions io_errors budget_used discards frees"
paths() {
	local local_k
	for local_k in $2; do
		echo "$1$local_k"
	done
}

vswapctl dev add vswap2 --size 16M >/dev/null || fail "dev add vswap2"
as nobody -j status
# shellcheck disable=SC2046 # one path per word
keys "-j status" $(paths '*.' "$DEV_KEYS") $(paths '*.tiers.*.' "$TIER_KEYS")
assert_eq "$("$JC" -n '' <"$OUT")" 2 "-j status: two devices"
assert_eq "$("$JC" -n 0.tiers <"$OUT")" 2 "-j status: vswap0 has two tiers"
assert_str "$("$JC" -p 0.name <"$OUT")" vswap0 "-j status: vswap0 first"
assert_eq "$("$JC" -p 0.pages <"$OUT")" "$(vstat stored_pages vswap0)" "-j status: vswap0 pages = sysfs"
assert_eq "$("$JC" -p 0.tiers.1.pages <"$OUT")" "$(tstat ram pages vswap0)" \
	"-j status: vswap0 ram pages = sysfs"
as nobody -j status vswap2
keys "-j status vswap2" $(paths '0.' "$DEV_KEYS") $(paths '0.tiers.*.' "$TIER_KEYS")
assert_eq "$("$JC" -n '' <"$OUT")" 1 "-j status vswap2: one device"
as nobody -j dev show
keys "-j dev show" $(paths '*.' "$DEV_KEYS")
as nobody -j dev show vswap0
keys "-j dev show vswap0" $(paths '0.' "$DEV_KEYS")
as nobody -j tier show
keys "-j tier show" $(paths '*.' "$TIER_KEYS")
assert_eq "$("$JC" -n '' <"$OUT")" 4 "-j tier show: four tiers on two devices"
as nobody -j tier show vswap0 ram
keys "-j tier show vswap0 ram" $(paths '0.' "$TIER_KEYS")
as nobody -p status
keys "-p status (pretty)" $(paths '*.' "$DEV_KEYS")
grep -q '^ ' "$OUT" || fail "-p status is not indented"
as nobody -j -o name,pages dev show
keys "-j -o name,pages dev show" '*.name' '*.pages'
"$JC" -k 0.size <"$OUT" 2>/dev/null && fail "-j -o name,pages: the JSON still has size"
log "ok: -o limits the JSON keys"
as nobody -j -o +path tier show vswap0
keys "-j -o +path tier show" '*.path' '*.name'

vswapctl dev del vswap2 || fail "dev del vswap2"
log "$NDENIED refusals and $NREAD reads checked unprivileged"
test_done
