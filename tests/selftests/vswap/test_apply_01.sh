#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-lane: skip userspace behaviour (config apply, the live view); the kernel paths it drives are covered by test_tier_0[1-4] there
# vm: mem=512M smp=2 nvme=256M disk=256M,throttling.iops-total=4000 timeout=600
#
# vswapctl apply against the module: a vswap.conf(5) with a RAM tier, an
# NVMe fast tier and a throttled virtio slow tier is applied (device
# created, RAM limit and watermarks set, both tiers added), applied again
# (no changes), changed (one setting, one line), and then the slow tier
# is dropped from the config: kept without --prune, drained live and
# removed with --prune while swap_stress swaps through all tiers and
# verifies every page.  Error exit codes: 1 for a broken config (file:line),
# 2 for a resize, a missing disk, a replaced tier without --prune.
. "$(dirname "$0")/test_common.sh"

test_init "vswapctl apply: create, idempotent re-apply, change, prune under load, errors"
require_vswap
require_prog swap_stress
require_memcg
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
set -- $VM_NVME_DEVS
FAST=${1:-}
set -- $VM_DISK_DEVS
SLOW=${1:-}
[ -b "$FAST" ] && [ -b "$SLOW" ] || skip "needs an NVMe and a virtio disk (# vm: nvme= disk=)"

mkdir -p "$TEST_TMP"
CONF=$TEST_TMP/vswap.conf
OUT=$TEST_TMP/apply.out
ERR=$TEST_TMP/apply.err

# apply ARGS...: vswapctl apply --config $CONF ARGS; status in $rc.
apply() {
	rc=0
	vswapctl apply --config "$CONF" "$@" >"$OUT" 2>"$ERR" || rc=$?
	sed 's/^/#   out: /' "$OUT"
	sed 's/^/#   err: /' "$ERR"
}

write_conf() {
	cat >"$CONF" <<EOC
[vswap0]
size = 384M
algorithm = lz4
swap-priority = 10

[vswap0/ram]
limit = 8M
high-wmark = 75
low-wmark = 50

[vswap0/fast]
device = $FAST
class = fast
idle-age = $1

EOC
	[ "$2" = slow ] && cat >>"$CONF" <<EOC
[vswap0/slow]
device = $SLOW
class = slow
EOC
	return 0
}

vswap_load age_interval=1 demote_rate=0

# --- create from nothing ------------------------------------------------------
write_conf 0 slow
apply --dry-run
assert_eq "$rc" 0 "apply --dry-run"
[ -e /sys/block/vswap0 ] && fail "--dry-run created the device"
grep -qx 'vswap0: create, size 384M, algorithm lz4' "$OUT" || fail "the plan creates vswap0"
apply
assert_eq "$rc" 0 "apply"
assert_eq "$(grep -c . "$OUT")" 6 "six changes: create, limit, high, low, fast, slow"
grep -qx "vswap0/fast: add $FAST, class fast, idle-age 0" "$OUT" || fail "fast added"
grep -qx "vswap0/slow: add $SLOW, class slow" "$OUT" || fail "slow added"
assert_eq "$(vswapctl -b -n -o limit tier show vswap0 ram)" 8388608 "ram limit 8M"
assert_str "$(vswapctl -n -o high_wmark,low_wmark tier show vswap0 ram | tr -s ' ' | sed 's/^ //')" "75 50" \
	"ram watermarks"
assert_str "$(vswapctl -n -o class tier show vswap0 slow)" slow "slow tier class"

# --- idempotent -----------------------------------------------------------------
apply
assert_eq "$rc" 0 "re-apply"
assert_str "$(cat "$OUT")" "no changes" "a second apply changes nothing"

# --- swap through all tiers under load --------------------------------------------
vswap_swapon vswap0
cg_create 32M
load_start -m 64 -t 2 -p 1

# --- a changed setting: one line, applied live -------------------------------------
write_conf 2 slow
apply
assert_eq "$rc" 0 "apply a changed idle age"
assert_str "$(cat "$OUT")" "vswap0/fast: set idle-age 0 -> 2" "one change, one line"
assert_eq "$(vswapctl -n -o idle_age tier show vswap0 fast)" 2 "fast idle age is 2 s"
# Idle slots go fast -> slow now: wait for the slow tier to hold pages.
wait_for 240 sh -c "[ \$(cat /sys/block/vswap0/vswap/tiers/slow/pages) -ge 64 ]" || {
	vswap_show
	fail "no pages reached the slow tier in 240 s"
}
load_check "before the prune"

# --- the config drops the slow tier ------------------------------------------------
write_conf 2
apply
assert_eq "$rc" 0 "apply without --prune"
assert_str "$(cat "$OUT")" "no changes" "without --prune nothing changes"
grep -q 'vswap0/slow .* is not in the config; kept (--prune drains and removes it)' "$ERR" ||
	fail "a warning names the kept tier"
[ -d /sys/block/vswap0/vswap/tiers/slow ] || fail "slow removed without --prune"

sp=$(tstat slow pages)
apply --dry-run --prune
grep -q "^vswap0/slow: remove $SLOW, drain " "$OUT" || fail "the plan drains slow"
[ -d /sys/block/vswap0/vswap/tiers/slow ] || fail "--dry-run --prune removed slow"
log "pruning slow with $sp pages on it, under load"
apply --prune
assert_eq "$rc" 0 "apply --prune drains slow under load"
grep -q "^vswap0/slow: remove $SLOW, drain " "$OUT" || fail "apply --prune printed the removal"
[ -d /sys/block/vswap0/vswap/tiers/slow ] && fail "slow still there after --prune"
swap_active vswap0 || fail "swap went off during the prune"
load_next "after the prune"
apply --prune
assert_str "$(cat "$OUT")" "no changes" "nothing left to prune"

# --- errors -------------------------------------------------------------------------
cp "$CONF" "$TEST_TMP/good.conf"
printf '[vswap0/fast]\nspeed = 3\n' >>"$CONF"
apply
assert_eq "$rc" 1 "a broken config: exit 1"
grep -q "^vswapctl: $CONF:17: unknown key 'speed' in \[vswap0/fast\]" "$ERR" || fail "the message names file:line"
sed 's/^size = 384M/size = 512M/' "$TEST_TMP/good.conf" >"$CONF"
apply
assert_eq "$rc" 2 "a resize: exit 2"
grep -q 'a device cannot be resized' "$ERR" || fail "the resize message"
cp "$TEST_TMP/good.conf" "$CONF"
printf '[vswap0/gone]\ndevice = /dev/disk/by-id/vswap-test-absent\n' >>"$CONF"
apply
assert_eq "$rc" 2 "a missing disk: exit 2"
apply --missing-ok
assert_eq "$rc" 0 "a missing disk with --missing-ok: exit 0"
grep -q 'vswap-test-absent does not exist; the tier is skipped' "$ERR" || fail "--missing-ok warns"
sed "s|^device = $FAST|device = $SLOW|" "$TEST_TMP/good.conf" >"$CONF"
apply
assert_eq "$rc" 2 "a tier on another disk without --prune: exit 2"
grep -q 'replacing a tier drains it, use --prune' "$ERR" || fail "the replace message"
cp "$TEST_TMP/good.conf" "$CONF"
sed 's/^limit = 8M/limit = 9999999999999999999999/' "$TEST_TMP/good.conf" >"$CONF"
apply
assert_eq "$rc" 1 "a size out of range: exit 1"
cp "$TEST_TMP/good.conf" "$CONF"
apply
assert_str "$(cat "$OUT")" "no changes" "the good config still matches"

# --- stop ------------------------------------------------------------------------------
load_stop
log "ok: $(load_runs) swap_stress runs, all verified"
assert_eq "$(vstat failed_reads)" 0 "no failed read"
assert_eq "$(vstat failed_writes)" 0 "no failed write"
assert_ok "swapoff" swapoff /dev/vswap0
test_done
