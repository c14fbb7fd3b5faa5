#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 disk=64M timeout=300
# smoke: yes
#
# Every netlink command, positive and negative, through vswapctl (exit 0
# ok, 1 usage, 2 refused by the kernel with its extack message on stderr),
# and through the raw sender (vswap_nl_fuzz --send) for requests vswapctl
# cannot make (missing attributes, out-of-range values, wrong types):
# dev add / show / del on a module loaded without devices, duplicate and
# bad names, unknown devices and tiers, out-of-range sizes, levels and
# watermarks, low >= high, tier set round trips and renames, algorithm
# changes only while empty, tier del busy (EBUSY) and drain (ENOSPC),
# backing tiers (added, shown, refused twice, removed), migrate
# validation, dev del refused while swapped on.  Statistics in JSON match
# sysfs.
. "$(dirname "$0")/test_common.sh"

test_init "every netlink command through vswapctl and raw requests"
require_vswap
require_prog vswap_nl_fuzz json_check
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"

OUT=$TEST_TMP/out
ERR=$TEST_TMP/err
RAW=$TEST_DIR/vswap_nl_fuzz
NCASES=0

# ctl ARGS...: run vswapctl; exit status in $RC, output in $OUT and $ERR.
ctl() {
	RC=0
	vswapctl "$@" >"$OUT" 2>"$ERR" || RC=$?
	NCASES=$((NCASES + 1))
}

ctl_dump() {
	sed 's/^/#   stdout: /' "$OUT"
	sed 's/^/#   stderr: /' "$ERR"
}

# ok WHAT ARGS...: vswapctl ARGS exits 0.
ok() {
	local local_what
	local_what=$1
	shift
	ctl "$@"
	if [ "$RC" -ne 0 ]; then
		ctl_dump
		fail "$local_what: 'vswapctl $*' exited $RC"
	fi
	log "ok: $local_what"
}

# refused WHAT ERE ARGS...: exits 2, stderr matches ERE (the kernel's
# words), and stdout is empty.
refused() {
	local local_what local_re
	local_what=$1 local_re=$2
	shift 2
	ctl "$@"
	if [ "$RC" -ne 2 ] || ! grep -qiE -- "$local_re" "$ERR" || [ -s "$OUT" ]; then
		ctl_dump
		fail "$local_what: 'vswapctl $*': expected exit 2 and /$local_re/ on stderr, got exit $RC"
	fi
	log "ok: $local_what: refused ($(head -n 1 "$ERR"))"
}

# usage WHAT ARGS...: exits 1 (refused by vswapctl itself).
usage() {
	local local_what
	local_what=$1
	shift
	ctl "$@"
	if [ "$RC" -ne 1 ] || [ ! -s "$ERR" ]; then
		ctl_dump
		fail "$local_what: 'vswapctl $*': expected a usage error (exit 1), got exit $RC"
	fi
	log "ok: $local_what: usage error ($(head -n 1 "$ERR"))"
}

# raw_refused WHAT ERRNO ERE CMD ATTRS...: the raw request is refused
# with ERRNO (EINVAL, or an ERE like 'EINVAL|ERANGE') and an extack
# message matching ERE.
raw_refused() {
	local local_what local_errno local_re local_out local_rc
	local_what=$1 local_errno=$2 local_re=$3
	shift 3
	local_rc=0
	local_out=$("$RAW" --send "$@" 2>&1) || local_rc=$?
	NCASES=$((NCASES + 1))
	if [ "$local_rc" -ne 2 ] ||
	   ! echo "$local_out" | grep -qE "^error ($local_errno) \(" ||
	   ! echo "$local_out" | grep -qiE -- "$local_re"; then
		echo "$local_out" | sed 's/^/#   /'
		fail "$local_what: raw '$*': expected $local_errno and /$local_re/ (exit $local_rc)"
	fi
	log "ok: $local_what: ${local_out#error }"
}

# jv PATH: a value of the JSON in $OUT (see json_check -p).
jv() {
	json_check_out -p "$1"
}

json_check_out() {
	"$TEST_DIR/json_check" "$@" <"$OUT" || {
		ctl_dump
		fail "bad JSON from vswapctl, or a missing key ($*)"
	}
}

nr_devs() {
	ls -d /sys/block/vswap* 2>/dev/null | wc -l
}

# sysfs directory of a tier (the zero tier's is "same").
tier_dir() {
	if [ "$2" = zero ]; then
		echo "/sys/block/$1/vswap/tiers/same"
	else
		echo "/sys/block/$1/vswap/tiers/$2"
	fi
}

# --- A module without devices ------------------------------------------
vswap_load
assert_eq "$(nr_devs)" 0 "no devices after loading without size="
ok "dev show, no devices" dev show
grep -q vswap "$OUT" && fail "dev show lists a device: $(cat "$OUT")"
ok "-j dev show, no devices" -j dev show
assert_eq "$(json_check_out -n '')" 0 "-j dev show: an empty array"
ok "status, no devices" status
ok "-j tier show, no devices" -j tier show
assert_eq "$(json_check_out -n '')" 0 "-j tier show: an empty array"

# --- dev add -------------------------------------------------------------
ok "dev add --size 64M" dev add --size 64M
assert_str "$(cat "$OUT")" vswap0 "dev add prints the new device"
wait_for 10 test -b /dev/vswap0 || fail "/dev/vswap0 did not appear"
assert_eq "$(cat /sys/block/vswap0/size)" $((64 * 2048)) "vswap0 is 64 MiB (sysfs)"
assert_str "$(vstat algorithm vswap0)" lz4 "vswap0 has the default algorithm"

ok "dev add vswap3 --size 32M --algo zstd --level 3" \
	dev add vswap3 --size 32M --algo zstd --level 3
assert_str "$(cat "$OUT")" vswap3 "dev add vswap3 prints vswap3"
wait_for 10 test -b /dev/vswap3 || fail "/dev/vswap3 did not appear"
assert_str "$(vstat algorithm vswap3)" zstd "vswap3 algorithm (sysfs)"
assert_eq "$(vstat level vswap3)" 3 "vswap3 level (sysfs)"
ok "-j dev show vswap3" -j dev show vswap3
assert_str "$(jv 0.name)" vswap3 "JSON name"
assert_eq "$(jv 0.id)" 3 "JSON id"
assert_eq "$(jv 0.size)" $((32 << 20)) "JSON size in bytes"
assert_str "$(jv 0.in_use)" false "JSON in_use"
ok "-j dev add vswap5 --size 1M (the smallest)" -j dev add vswap5 --size 1M
assert_str "$(jv name)" vswap5 "dev add -j: the new device as JSON"
assert_eq "$(jv size)" $((1 << 20)) "dev add -j: its size"
ok "dev del vswap5" dev del vswap5
wait_for 10 sh -c '! test -e /sys/block/vswap5' || fail "vswap5 still in sysfs"

refused "a name in use" 'vswap3 already exists' dev add vswap3 --size 64M
refused "a name the kernel refuses (vswap32)" 'must be vswapN, N from 0 to 31' \
	dev add vswap32 --size 8M
usage "a name that is not vswapN" dev add foo --size 8M
usage "dev add without --size" dev add
usage "an unknown algorithm" dev add --size 8M --algo lzo
usage "a size that is not one" dev add --size 12Q
refused "size 0" 'out of range' dev add --size 0
refused "size below 1 MiB" 'out of range' dev add --size 1023K
refused "size above 16 TiB" 'out of range' dev add --size 17T
refused "lz4 level 65" 'out of range' dev add --size 8M --algo lz4 --level 65
refused "zstd level 23" 'level 23 is out of range for zstd' dev add --size 8M --algo zstd --level 23
refused "lz4hc level 17" 'level 17 is out of range for lz4hc' dev add --size 8M --algo lz4hc --level 17
assert_eq "$(nr_devs)" 2 "refused dev adds created nothing"

# --- unknown devices and tiers ---------------------------------------------
refused "dev show of a missing device" 'no device vswap9' dev show vswap9
refused "dev del of a missing device" 'no device vswap9' dev del vswap9
refused "tier show of a missing device" 'no device vswap9' tier show vswap9
refused "tier set on a missing device" 'no device vswap9' tier set vswap9 ram --limit 1M
refused "tier del on a missing device" 'no device vswap9' tier del vswap9 ram
refused "tier add on a missing device" 'no device vswap9' tier add vswap9 ram
refused "migrate on a missing device" 'no device vswap9' migrate vswap9 --from ram --to zero
refused "a missing tier by name" 'no tier named nope' tier show vswap0 nope
refused "a missing tier by id" 'no tier 7' tier show vswap0 7
refused "tier set of a missing tier" 'no tier named nope' tier set vswap0 nope --limit 1M
refused "tier del of a missing tier" 'no tier named nope' tier del vswap0 nope
usage "dev del without a device" dev del
usage "an unknown command" frobnicate
usage "an unknown dev subcommand" dev frob

# --- tiers -------------------------------------------------------------------
ok "-j tier show vswap0" -j tier show vswap0
assert_eq "$(json_check_out -n '')" 2 "a new device has two tiers"
assert_eq "$(jv 0.id)" 0 "tier 0 id"
assert_str "$(jv 0.name)" zero "tier 0 is the zero tier"
assert_str "$(jv 0.kind)" zero "tier 0 kind"
assert_eq "$(jv 1.id)" 1 "tier 1 id"
assert_str "$(jv 1.name)" ram "tier 1 is the ram tier"
assert_str "$(jv 1.kind)" ram "tier 1 kind"
assert_str "$(jv 1.algo)" lz4 "ram tier algo"
assert_eq "$(jv 1.limit)" 0 "ram tier: no limit by default"
assert_eq "$(jv 1.high_wmark)" 90 "ram tier: default high watermark"
assert_eq "$(jv 1.low_wmark)" 70 "ram tier: default low watermark"
assert_str "$(jv 1.state)" active "ram tier state"

refused "a second ram tier" 'already has a RAM tier' tier add vswap0 ram
usage "adding the zero tier" tier add vswap0 zero
disk=${VM_DISK_DEVS%% *}
[ -b "$disk" ] || fail "no virtio disk (# vm: disk=) for the backing tier cases"
ok "a backing tier, class slow, named" tier add vswap0 "$disk" --class slow --name slow0 --limit 32M
ok "-j tier show vswap0 slow0" -j tier show vswap0 slow0
assert_str "$(jv 0.kind)" block "backing tier: kind"
assert_str "$(jv 0.class)" slow "backing tier: class"
assert_str "$(jv 0.path)" "$disk" "backing tier: path"
assert_eq "$(jv 0.capacity)" $((64 << 20)) "backing tier: capacity"
assert_eq "$(jv 0.limit)" $((32 << 20)) "backing tier: limit"
assert_str "$(jv 0.state)" active "backing tier: state"
refused "the same device twice" 'in use' tier add vswap0 "$disk" --name again
ok "removing the empty backing tier" tier del vswap0 slow0
ok "a backing tier named after its device" tier add vswap0 "$disk"
ok "-j tier show vswap0" -j tier show vswap0
assert_str "$(jv 2.name)" "${disk##*/}" "the default name is the device's"
assert_str "$(jv 2.class)" fast "the default class is fast"
ok "removing it" tier del vswap0 "${disk##*/}"
refused "a backing tier that is not a block device" 'not a block device' \
	tier add vswap0 /nonexistent/disk
refused "a backing tier on a character device" 'not a block device' tier add vswap0 /dev/null
refused "a backing tier with a reserved name" 'reserved' tier add vswap0 "$disk" --name same
refused "a backing tier with a name in use" 'already has a tier named ram' \
	tier add vswap0 "$disk" --name ram
refused "a backing tier with a bad name" 'only letters, digits' \
	tier add vswap0 "$disk" --name 'a b'
usage "a backing tier with an algorithm" tier add vswap0 "$disk" --algo lz4
ok "tier show after the refused adds" -j tier show vswap0
assert_eq "$(json_check_out -n '')" 2 "still two tiers"

# tier set: values round-trip.
ok "tier set ram limit, watermarks, idle age, priority" \
	tier set vswap0 ram --limit 16M --high-wmark 80 --low-wmark 60 --idle-age 30 --priority 5
ok "-j tier show vswap0 ram" -j tier show vswap0 ram
assert_eq "$(jv 0.limit)" $((16 << 20)) "limit round-trips"
assert_eq "$(jv 0.high_wmark)" 80 "high watermark round-trips"
assert_eq "$(jv 0.low_wmark)" 60 "low watermark round-trips"
assert_eq "$(jv 0.idle_age)" 30 "idle age round-trips"
assert_eq "$(jv 0.priority)" 5 "priority round-trips"
ok "tier set by id" tier set vswap0 1 --limit 12M
ok "-j tier show vswap0 1" -j tier show vswap0 1
assert_eq "$(jv 0.limit)" $((12 << 20)) "limit set by tier id"
usage "high watermark 101" tier set vswap0 ram --high-wmark 101
refused "high watermark 0" 'out of range' tier set vswap0 ram --high-wmark 0
refused "low watermark 100" 'out of range' tier set vswap0 ram --low-wmark 100
refused "low watermark at the high one" 'must be below the high watermark' \
	tier set vswap0 ram --low-wmark 80
refused "high watermark below the low one" 'must be below the high watermark' \
	tier set vswap0 ram --high-wmark 50
refused "level out of range for the algorithm" 'out of range for zstd' \
	tier set vswap0 ram --algo zstd --level 30
usage "tier set without a setting" tier set vswap0 ram
ok "-j tier show vswap0 ram after the refusals" -j tier show vswap0 ram
assert_eq "$(jv 0.high_wmark)" 80 "refused sets changed nothing (high)"
assert_eq "$(jv 0.low_wmark)" 60 "refused sets changed nothing (low)"
assert_eq "$(jv 0.limit)" $((12 << 20)) "refused sets changed nothing (limit)"
ok "no limit again" tier set vswap0 ram --limit none

# Renames.
ok "rename ram to cram" tier set vswap0 ram --name cram
ok "tier show by the new name" -j tier show vswap0 cram
assert_eq "$(jv 0.id)" 1 "the renamed tier keeps its id"
[ -d "$(tier_dir vswap0 cram)" ] || fail "no sysfs directory for the renamed tier"
[ -d "$(tier_dir vswap0 ram)" ] && fail "the old sysfs directory of the renamed tier stayed"
log "ok: sysfs tiers/cram replaced tiers/ram"
refused "the old name is gone" 'no tier named ram' tier show vswap0 ram
refused "rename to a name in use" 'already has a tier named zero' tier set vswap0 cram --name zero
refused "rename to the reserved name" 'reserved' tier set vswap0 cram --name same
refused "rename to a bad name" 'only letters, digits' tier set vswap0 cram --name 'x/y'
usage "rename to a name too long" tier set vswap0 cram --name abcdefghijklmnop
ok "rename back" tier set vswap0 1 --name ram
[ -d "$(tier_dir vswap0 ram)" ] || fail "no sysfs directory ram after renaming back"

# The zero tier: only a priority.
refused "a limit on the zero tier" 'no settings but its priority' tier set vswap0 zero --limit 1M
refused "renaming the zero tier" 'no settings but its priority' tier set vswap0 0 --name nil
ok "the zero tier's priority" tier set vswap0 zero --priority 7
ok "-j tier show vswap0 zero" -j tier show vswap0 zero
assert_eq "$(jv 0.priority)" 7 "zero tier priority round-trips"
refused "deleting the zero tier" 'cannot be removed' tier del vswap0 zero

# Tier state: only "active" can be set; a drain is cancelled only while it runs.
ok "tier set --state active on an active tier (no change)" tier set vswap0 ram --state active
ok "-j tier show vswap0 ram" -j tier show vswap0 ram
assert_str "$(jv 0.state)" active "ram: still active"
refused "tier set --state draining" 'only "active" can be set' tier set vswap0 ram --state draining
refused "tier set --state degraded" 'only "active" can be set' tier set vswap0 ram --state degraded
usage "tier set --state with an unknown state" tier set vswap0 ram --state bogus
refused "cancel when no drain runs" 'not being drained.*nothing to cancel' tier del vswap0 ram --cancel
refused "cancel on the zero tier" 'not being drained' tier del vswap0 zero --cancel
refused "cancel on a missing tier" 'no tier named nope' tier del vswap0 nope --cancel
usage "--cancel with --drain" tier del vswap0 ram --cancel --drain
usage "--cancel with --wait" tier del vswap0 ram --cancel --wait
assert_str "$(vswapctl -j tier show vswap0 ram | "$TEST_DIR/json_check" -p 0.state)" active \
	"ram: active after the refused requests"

# Algorithm: only while the tier is empty.
ok "algorithm of the empty ram tier" tier set vswap0 ram --algo zstd --level 5
assert_str "$(vstat algorithm vswap0)" zstd "algorithm changed (sysfs)"
assert_eq "$(vstat level vswap0)" 5 "level changed (sysfs)"
make_file text 64 "$TEST_TMP/text"
dev_write vswap0 0 64 "$TEST_TMP/text" || fail "write to vswap0"
assert_gt "$(tstat ram pages vswap0)" 0 "the ram tier holds pages"
refused "algorithm of a ram tier holding pages" 'can only change while it is empty' \
	tier set vswap0 ram --algo lz4
assert_str "$(vstat algorithm vswap0)" zstd "refused algorithm change changed nothing"
dev_read vswap0 0 64 "$TEST_TMP/back" || fail "read from vswap0"
cmp -s "$TEST_TMP/text" "$TEST_TMP/back" || fail "vswap0 data changed"

# tier del: busy without drain, nowhere to drain to with it.
refused "deleting a ram tier holding pages" 'holds [0-9]+ pages.*Device or resource busy' \
	tier del vswap0 ram
refused "draining a ram tier with nowhere to go" 'room for 0 of the [0-9]+ pages.*No space left' \
	tier del vswap0 ram --drain
blkdiscard /dev/vswap0 || fail "blkdiscard /dev/vswap0"
assert_eq "$(tstat ram pages vswap0)" 0 "the ram tier is empty after the discard"
ok "deleting the empty ram tier" tier del vswap0 ram
[ -d "$(tier_dir vswap0 ram)" ] && fail "tiers/ram still in sysfs after tier del"
ok "-j tier show vswap0 without ram" -j tier show vswap0
assert_eq "$(json_check_out -n '')" 1 "one tier left"
assert_str "$(jv 0.name)" zero "the zero tier is left"
make_file zero 4 "$TEST_TMP/zero"
dev_write vswap0 0 4 "$TEST_TMP/zero" || fail "a zero page needs no ram tier"
make_file random 1 "$TEST_TMP/rnd"
dev_write vswap0 8 1 "$TEST_TMP/rnd" &&
	fail "a random page was stored without a ram tier"
log "ok: without a ram tier only same-filled pages are stored"
refused "a ram tier whose low watermark is above the default high one" \
	'must be below the high watermark' tier add vswap0 ram --low-wmark 95
ok "adding the ram tier back" tier add vswap0 ram --algo lz4hc --limit 8M --high-wmark 75
assert_str "$(cat "$OUT")" ram "tier add prints the tier's name"
ok "-j tier show vswap0 ram" -j tier show vswap0 ram
assert_eq "$(jv 0.id)" 1 "the ram tier is tier 1 again"
assert_str "$(jv 0.algo)" lz4hc "its algorithm"
assert_eq "$(jv 0.limit)" $((8 << 20)) "its limit"
assert_eq "$(jv 0.high_wmark)" 75 "its high watermark"
[ -d "$(tier_dir vswap0 ram)" ] || fail "no sysfs tiers/ram after tier add"
dev_write vswap0 8 1 "$TEST_TMP/rnd" || fail "write after the ram tier came back"

# --- migrate: validated (moving pages: test_tier_*) ---------------------------
refused "migrate within one tier" 'same tier' migrate vswap0 --from ram --to ram
refused "migrate from the zero tier" 'zero tier' migrate vswap0 --from zero --to ram
refused "migrate to the zero tier" 'zero tier' migrate vswap0 --from 1 --to 0
refused "migrate to a missing tier" 'no tier' migrate vswap0 --from ram --to 9
refused "migrate to a missing tier by name" 'no tier named nvme' migrate vswap0 --from ram --to nvme
usage "migrate without --to" migrate vswap0 --from ram
usage "migrate without a device" migrate --from ram --to zero

# --- statistics in JSON against sysfs ------------------------------------------
make_file same 16 "$TEST_TMP/same"
make_file random 16 "$TEST_TMP/random"
dev_write vswap3 0 64 "$TEST_TMP/text" || fail "write text to vswap3"
dev_write vswap3 64 16 "$TEST_TMP/same" || fail "write same-filled pages to vswap3"
dev_write vswap3 80 16 "$TEST_TMP/random" || fail "write random pages to vswap3"
dev_read vswap3 0 96 "$TEST_TMP/back3" || fail "read vswap3"
dd if=/dev/zero of=/dev/vswap3 bs=4096 count=8 seek=200 oflag=direct 2>/dev/null
blkdiscard -o $((80 * 4096)) -l $((4 * 4096)) /dev/vswap3 || fail "discard on vswap3"
ok "-j dev show vswap3" -j dev show vswap3
for f in reads writes discards frees failed_reads failed_writes meta_bytes; do
	assert_eq "$(jv "0.$f")" "$(vstat $f vswap3)" "dev $f: JSON = sysfs"
done
assert_eq "$(jv 0.pages)" "$(vstat stored_pages vswap3)" "dev pages: JSON = sysfs stored_pages"
dev_pages=$(jv 0.pages)
ok "-j tier show vswap3" -j tier show vswap3
for t in 0 1; do
	name=$(jv "$t.name")
	d=$(tier_dir vswap3 "$name")
	for f in pages orig_bytes stored_bytes reads writes failed_reads failed_writes; do
		assert_eq "$(jv "$t.$f")" "$(cat "$d/$f")" "tier $name $f: JSON = sysfs"
	done
done
assert_eq "$(jv 1.stored_bytes)" "$(cat "$(tier_dir vswap3 ram)/pool_bytes")" \
	"ram stored_bytes: JSON = sysfs pool_bytes (memory in use)"
assert_eq "$(jv 1.huge_pages)" "$(cat "$(tier_dir vswap3 ram)/huge_pages")" \
	"ram huge_pages: JSON = sysfs"
assert_eq "$(($(jv 0.pages) + $(jv 1.pages)))" "$dev_pages" "device pages = sum over its tiers"
assert_eq "$(jv 0.pages)" 24 "zero tier: 16 same-filled + 8 zero pages"
assert_eq "$(jv 1.pages)" 76 "ram tier: 64 text + 12 random pages"

# --- dev del: refused while swapped on -------------------------------------------
vswap_swapon vswap3
refused "deleting a swapped-on device" 'in use.*swapoff first.*Device or resource busy' \
	dev del vswap3
ok "-j dev show vswap3 while swapped on" -j dev show vswap3
assert_str "$(jv 0.in_use)" true "JSON in_use while swapped on"
swapoff /dev/vswap3 || fail "swapoff /dev/vswap3"
ok "deleting it after swapoff" dev del vswap3
wait_for 10 sh -c '! test -e /sys/block/vswap3' || fail "vswap3 still in sysfs after dev del"
wait_for 10 sh -c '! test -e /dev/vswap3' || fail "/dev/vswap3 still there after dev del"
refused "deleting it twice" 'no device vswap3' dev del vswap3

# --- raw requests vswapctl does not make --------------------------------------------
raw_refused "dev-add without a size" EINVAL 'size .*is missing' dev-add
raw_refused "dev-add with a u32 size" EINVAL 'invalid attribute length|length' dev-add 4:u32=67108864
raw_refused "dev-add with an unterminated name" EINVAL '.' dev-add dev-size=8388608 3:nstr=vswap6
raw_refused "dev-add with a 32-byte name" 'EINVAL|ERANGE' '.' dev-add dev-size=8388608 \
	dev-name=vswap0123456789012345678901234567
raw_refused "dev-add with vswap01" EINVAL 'vswapN' dev-add dev-size=8388608 dev-name=vswap01
raw_refused "dev-add with vswap+6" EINVAL 'vswapN' dev-add dev-size=8388608 dev-name=vswap+6
raw_refused "dev-add with a name ending in a newline" EINVAL 'vswapN' \
	dev-add dev-size=8388608 3:hex=7673776170360a00
raw_refused "dev-add with algorithm 0" ERANGE 'out of range' dev-add dev-size=8388608 tier-algo=0
raw_refused "dev-add with algorithm 4" ERANGE 'out of range' dev-add dev-size=8388608 tier-algo=4
raw_refused "dev-del without a device" EINVAL 'device id .*is missing' dev-del
raw_refused "dev-del of device 32" ERANGE 'out of range' dev-del dev-id=32
raw_refused "dev-get of device 9" ENODEV 'no device vswap9' dev-get dev-id=9
raw_refused "tier-get without a tier" EINVAL 'by id .* or by name' tier-get dev-id=0
raw_refused "tier-get of tier 16" ERANGE 'out of range' tier-get dev-id=0 tier-id=16
raw_refused "tier-get whose id and name disagree" EINVAL 'is named ram, not zero' \
	tier-get dev-id=0 tier-id=1 tier-name=zero
raw_refused "tier-add without a kind" EINVAL 'kind .*is missing' tier-add dev-id=0
raw_refused "tier-add without a device" EINVAL 'device id .*is missing' tier-add tier-kind=2
raw_refused "tier-add of kind 0" ERANGE 'out of range' tier-add dev-id=0 tier-kind=0
raw_refused "tier-add of kind 4" ERANGE 'out of range' tier-add dev-id=0 tier-kind=4
raw_refused "tier-add of the zero kind" EEXIST 'built in' tier-add dev-id=0 tier-kind=1
raw_refused "block tier-add without a path" EINVAL 'needs the path' tier-add dev-id=0 tier-kind=3
raw_refused "block tier-add with an algorithm" EINVAL 'no algorithm' \
	tier-add dev-id=0 tier-kind=3 tier-path="$disk" tier-algo=1
raw_refused "block tier-add of class 3" ERANGE 'out of range' \
	tier-add dev-id=0 tier-kind=3 tier-path="$disk" tier-class=3
raw_refused "block tier-add with a 256-byte path" 'EINVAL|ERANGE' '.' \
	tier-add dev-id=0 tier-kind=3 \
	tier-path=/dev/$(printf '%0251d' 0)
raw_refused "block tier-add, a path too long for a tier name" EINVAL 'too long for a tier name' \
	tier-add dev-id=0 tier-kind=3 tier-path=/dev/abcdefghijklmnopq
raw_refused "ram tier-add with a path" EINVAL 'no path and no class' \
	tier-add dev-id=0 tier-kind=2 tier-path=/dev/vda
raw_refused "tier-set with an empty name" EINVAL 'must not be empty' \
	tier-set dev-id=0 tier-id=1 tier-name=
raw_refused "tier-set with a 16-byte name" 'EINVAL|ERANGE' '.' \
	tier-set dev-id=0 tier-id=1 tier-name=abcdefghijklmnop
raw_refused "tier-set with a u8 limit" EINVAL 'length' tier-set dev-id=0 tier-id=1 15:u8=1
raw_refused "tier-del with drain as a u32" 'EINVAL|ERANGE' '.' tier-del dev-id=0 tier-id=1 22:u32=1
raw_refused "tier-del with drain and cancel" EINVAL 'exclude each other' \
	tier-del dev-id=0 tier-id=1 tier-drain tier-cancel
raw_refused "tier-del cancel with no drain running" EINVAL 'not being drained' \
	tier-del dev-id=0 tier-id=1 tier-cancel
raw_refused "tier-set with state 0 (unspec)" 'EINVAL|ERANGE' '.' tier-set dev-id=0 tier-id=1 tier-state=0
raw_refused "tier-set with state 99" 'EINVAL|ERANGE' '.' tier-set dev-id=0 tier-id=1 tier-state=99
raw_refused "tier-set with state full" EINVAL 'only "active" can be set' \
	tier-set dev-id=0 tier-id=1 tier-state=4
raw_refused "migrate without a source" EINVAL 'source tier .*is missing' migrate dev-id=0 migrate-to=1
raw_refused "migrate without a target" EINVAL 'target tier .*is missing' migrate dev-id=0 migrate-from=1
raw_refused "migrate from tier 16" ERANGE 'out of range' migrate dev-id=0 migrate-from=16 migrate-to=1
raw_refused "an attribute of another command" EINVAL 'Unsupported attribute' dev-get dev-id=0 tier-limit=1
raw_refused "an attribute type past the last" EINVAL 'Unknown attribute type' dev-get 200:u32=1
raw_refused "an unknown command" EOPNOTSUPP '' 200
raw_refused "a notification sent as a request" EOPNOTSUPP '' dev-add-ntf
raw_refused "command 0" EOPNOTSUPP '' 0
out=$("$RAW" --send dev-get --dump) || fail "raw dev dump: $out"
assert_eq "$(echo "$out" | grep -c '^reply dev-get')" 1 "raw dump: one device (vswap0)"

# --- all 32 devices: the next add is refused, dumps span several messages -----------
i=1
while [ $i -lt 32 ]; do
	vswapctl dev add --size 1M >/dev/null || fail "dev add number $((i + 1)) of 32"
	i=$((i + 1))
done
assert_eq "$(nr_devs)" 32 "32 devices"
refused "a 33rd device" 'all 32 devices are in use.*No space left' dev add --size 1M
ok "-j dev show of 32 devices" -j dev show
assert_eq "$(json_check_out -n '')" 32 "the device dump has all 32"
assert_str "$(jv 31.name)" vswap31 "the device dump ends with vswap31"
ok "-j tier show of 32 devices" -j tier show
assert_eq "$(json_check_out -n '')" 64 "the tier dump has all 64 tiers (a multi-part dump)"
assert_str "$(jv 63.dev)" vswap31 "the tier dump ends with vswap31's"
assert_str "$(jv 63.name)" ram "... ram tier"
ok "-j status of 32 devices" -j status
assert_eq "$(json_check_out -n 31.tiers)" 2 "status: vswap31 has its two tiers"

# --- the end ---------------------------------------------------------------------------
i=1
while [ $i -lt 32 ]; do
	vswapctl dev del vswap$i || fail "dev del vswap$i"
	i=$((i + 1))
done
ok "dev del vswap0" dev del vswap0
assert_eq "$(nr_devs)" 0 "no devices left"
vswap_unload
log "$NCASES vswapctl and raw requests checked"
test_done
