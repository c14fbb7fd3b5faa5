#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vswapctl checks that need no vswap module (make check):
#   - usage errors exit 1 with one line and a hint; --help and -V exit 0;
#   - without the module every command exits 2 with the "not loaded" line;
#   - with canned kernel answers (vswapctl-fake, tests/fake_nl.c): every
#     text output, valid JSON with the documented keys, -o, errors (exit 2,
#     "vswapctl: <extack>: <strerror>"), migrate --wait, monitor.
# Usage: run.sh VSWAPCTL VSWAPCTL_FAKE
# shellcheck disable=SC2015 # "a && b || fail": fail when either is false
set -u
CTL=${1:-./vswapctl}
FAKE=${2:-./tests/vswapctl-fake}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0 n=0

fail() {
	echo "FAIL: $*"
	sed 's/^/  stdout: /' "$TMP/out"
	sed 's/^/  stderr: /' "$TMP/err"
	fails=$((fails + 1))
}

# run BIN ARGS...: exit status in $rc, output in $TMP/out and $TMP/err.
run() {
	rc=0
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	n=$((n + 1))
}

expect_rc() {
	local want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || fail "'${*#"$CTL"}': exit $rc, want $want"
}

# usage ARGS...: exit 1, nothing on stdout, "vswapctl: ..." then a hint.
usage() {
	run "$CTL" "$@"
	if [ "$rc" -ne 1 ] || [ -s "$TMP/out" ] || [ "$(wc -l <"$TMP/err")" -ne 2 ] ||
	   ! head -n 1 "$TMP/err" | grep -q '^vswapctl: ' ||
	   ! tail -n 1 "$TMP/err" | grep -q "^Try 'vswapctl .*--help'"; then
		fail "usage error expected: vswapctl $*"
	fi
}

# --- help, version, usage errors (no netlink needed) -------------------------
expect_rc 0 "$CTL" -V
grep -q '^vswapctl .*netlink family vswap version 1' "$TMP/out" || fail "-V output"
expect_rc 0 "$CTL" --help
grep -q '^Usage: vswapctl' "$TMP/out" || fail "--help output"
grep -q 'Examples:' "$TMP/out" || fail "--help has no examples"
expect_rc 0 "$CTL" help
for c in status "dev add" "dev del" "dev show" "tier add" "tier set" "tier del" \
	 "tier show" migrate monitor apply generator top; do
	# shellcheck disable=SC2086 # the command's words
	expect_rc 0 "$CTL" $c --help
	grep -q '^Usage: vswapctl' "$TMP/out" || fail "$c --help output"
done
expect_rc 1 "$CTL"

usage frobnicate
usage --frob status
usage -x status
usage status --frob
usage status vswap0 vswap1
usage status nope
usage -o nope status
usage -o "" status
usage -o name,nope dev show
usage dev frob
usage tier s
usage dev add
usage dev add --size
usage dev add --size 12Q
usage dev add --size 1.5G
usage dev add --size -1
usage dev add --size 99999999999999999999
usage dev add --size 16E
usage dev add --size 1G --algo lzo
usage dev add --size 1G --level 3
usage dev add --size 1G --algo zstd --level x
usage dev add foo --size 1G
usage dev add vswap1 vswap2 --size 1G
usage dev del
usage dev del vswap0 vswap1
usage dev del /dev/sda
usage dev show a b
usage tier add
usage tier add vswap0
usage tier add vswap0 zero
usage tier add vswap0 nvme0n1
usage tier add vswap0 ram --class fast
usage tier add vswap0 /dev/vda --algo lz4
usage tier add vswap0 /dev/vda --class medium
usage tier add vswap0 ram --name abcdefghijklmnop
usage tier add vswap0 ram --name 12
usage tier add vswap0 ram --name ""
usage tier add vswap0 ram extra
usage tier set vswap0
usage tier set vswap0 ram
usage tier set vswap0 ram --high-wmark 101
usage tier set vswap0 ram --low-wmark -1
usage tier set vswap0 ram --idle-age 4294967296
usage tier set vswap0 ram --limit lots
usage tier set vswap0 ram --state bogus
usage tier set vswap0 ram --state
usage tier del vswap0 nvme --cancel --drain
usage tier del vswap0 nvme --cancel --wait
usage tier set vswap0 abcdefghijklmnop --limit 1M
usage tier del vswap0
usage tier del vswap0 ram --frob
usage tier show vswap0 ram extra
usage migrate
usage migrate vswap0
usage migrate vswap0 --from ram
usage migrate vswap0 --to ram
usage migrate --from ram --to nvme
usage migrate vswap0 --from ram --to nvme --max 1X
usage migrate vswap0 --from ram --to nvme --idle x
usage monitor a b
usage top a b
usage top nope
usage top -d
usage top -d 0
usage top -d 0.05
usage top -d 3601
usage top -d 1x
usage top -d -1
usage top --delay nan
usage top -c 0
usage top -c x
usage top --count 4294967296
usage top -o name,nope
usage top --frob

# --- without the module --------------------------------------------------------
run "$CTL" dev show
if [ "$rc" -eq 2 ] && grep -q 'not loaded' "$TMP/err"; then
	for c in status "dev show" "tier show" "dev add --size 1M" "dev del 0" \
		 "tier set 0 ram --limit 1M" "migrate 0 --from 1 --to 2" monitor "top -c 1"; do
		# shellcheck disable=SC2086
		run "$CTL" $c
		[ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(cat "$TMP/err")" = "vswapctl: the vswap module is not loaded (generic netlink family 'vswap' not found)" ] ||
			fail "$c without the module"
	done
else
	echo "note: the vswap family exists here; skipped the module-not-loaded checks"
fi

# --- canned kernel answers -----------------------------------------------------
json() {
	python3 -c 'import json,sys; json.load(sys.stdin)' <"$TMP/out" 2>"$TMP/jerr" ||
		{ cat "$TMP/jerr" >>"$TMP/err"; fail "invalid JSON from vswapctl $*"; }
}

# keys WHAT PYEXPR: PYEXPR (over d = the JSON) is true.
check() {
	python3 -c "import json,sys
d=json.load(sys.stdin)
DEV=set('name id size in_use meta_bytes pages orig_bytes stored_bytes ratio use_pct reads writes discards frees failed_reads failed_writes huge_pages migrated_in migrated_out promotions demotions io_errors budget_used'.split())
TIER=set('dev dev_id id name kind class state algo level limit limit_auto path capacity high_wmark low_wmark idle_age priority pages orig_bytes stored_bytes ratio use_pct reads writes discards frees failed_reads failed_writes huge_pages migrated_in migrated_out promotions demotions io_errors budget_used'.split())
sys.exit(0 if ($2) else 1)" <"$TMP/out" 2>>"$TMP/err" || fail "$1"
}

if command -v python3 >/dev/null; then
	expect_rc 0 "$FAKE" -j status
	json -j status
	check "-j status: devices with tiers, every key" \
		"[x['name'] for x in d]==['vswap0','vswap3'] and all(set(x)==DEV|{'tiers'} for x in d) and [len(x['tiers']) for x in d]==[3,2] and all(set(t)==TIER for x in d for t in x['tiers'])"
	check "-j status: values" \
		"d[0]['size']==8<<30 and d[0]['in_use'] is True and d[0]['ratio']==3.41 and d[0]['huge_pages'] is None and d[0]['tiers'][1]['algo']=='zstd' and d[0]['tiers'][1]['limit']==64<<20 and d[0]['tiers'][0]['class'] is None and d[0]['tiers'][2]['class']=='fast' and d[0]['tiers'][2]['state']=='draining' and d[0]['tiers'][0]['discards'] is None and d[0]['tiers'][2]['use_pct']==95.4"
	check "-j status: the RAM tier's automatic cap (no limit set)" \
		"d[1]['tiers'][1]['limit']==0 and d[1]['tiers'][1]['limit_auto']==40<<20 and d[0]['tiers'][1]['limit_auto']==0"
	expect_rc 0 "$FAKE" -o name,limit tier show vswap3
	grep -q '^ram  *auto:40M$' "$TMP/out" || fail "tier show: an automatic cap reads auto:SIZE"
	expect_rc 0 "$FAKE" -p status vswap0
	json -p status
	grep -q '^        "tiers": \[$' "$TMP/out" || fail "-p status is not indented"
	expect_rc 0 "$FAKE" status -j -o name,pages
	check "status -j -o: tier keys limited" \
		"all(set(t)=={'name','pages'} for x in d for t in x['tiers']) and set(d[0])==DEV|{'tiers'}"
	expect_rc 0 "$FAKE" -j dev show
	check "-j dev show" "len(d)==2 and all(set(x)==DEV for x in d)"
	expect_rc 0 "$FAKE" -j -o name,size dev show
	check "-j -o name,size dev show" "all(set(x)=={'name','size'} for x in d)"
	expect_rc 0 "$FAKE" -j -o +path tier show
	check "-j -o +path tier show: all keys" "len(d)==5 and all(set(x)==TIER for x in d)"
	expect_rc 0 "$FAKE" -j tier show 3
	check "-j tier show 3" "[x['dev'] for x in d]==['vswap3']*2"
	expect_rc 0 "$FAKE" -j tier show vswap0 nvme
	check "-j tier show vswap0 nvme" "len(d)==1 and d[0]['path']=='/dev/nvme0n1 \"quoted\"\\\\\\t' and d[0]['capacity']==1<<20"
	expect_rc 0 "$FAKE" -j dev add vswap2 --size 64M
	check "-j dev add: an object" "set(d)==DEV and d['size']==64<<20"
	expect_rc 0 "$FAKE" -j tier add 0 ram --algo zstd --limit 1G
	check "-j tier add: an object" "set(d)==TIER and d['name']=='ram'"
	expect_rc 0 "$FAKE" -j tier set 0 ram --name fast --limit 1M
	check "-j tier set: an object" "set(d)==TIER"
	expect_rc 0 "$FAKE" -j migrate vswap0 --from ram --to nvme
	check "-j migrate" "d=={'dev':'vswap0','dev_id':0,'from':1,'to':2,'state':'running','moved_bytes':None,'total_bytes':8<<20,'errno':None}"
	expect_rc 0 "$FAKE" -j migrate vswap0 --from ram --to nvme --wait
	check "-j migrate --wait: the end" "d['state']=='done' and d['moved_bytes']==8<<20"
	FAKE_MIGRATE_FAIL=1 expect_rc 2 "$FAKE" -j migrate vswap0 --from 1 --to 2 --wait
	check "-j migrate --wait, failed" "d['state']=='failed' and d['errno']==5"
	grep -q 'the migration failed: Input/output error' "$TMP/err" || fail "migrate failure message"
	expect_rc 2 "$FAKE" -j monitor
	python3 -c "import json,sys
ev=[json.loads(l) for l in sys.stdin]
names=[e['event'] for e in ev]
assert names==['dev-add','dev-del','tier-add','tier-del','tier-drained','migrate','wmark','io-error','tier-state'], names
assert all('dev' in e and 'dev_id' in e for e in ev)
assert ev[0]['size']==64<<20 and ev[2]['path'].startswith('/dev/nvme0n1') and ev[5]['errno']==28
assert ev[6]['wmark']=='high' and ev[7]=={'event':'io-error','dev':'vswap0','dev_id':0,'io_op':'write','errno':5,'error_count':3}
assert ev[8]=={'event':'tier-state','dev':'vswap0','dev_id':0,'id':2,'name':'nvme','state':'active','errno':28}, ev[8]
" <"$TMP/out" 2>>"$TMP/err" || fail "-j monitor: JSON lines"
	# top -j: a JSON line per refresh (every key, rates null at first),
	# the events as monitor's JSON lines in between.
	FAKE_GROW=1 expect_rc 0 "$FAKE" -j top -c 3 -d 0.5
	python3 -c "import json,sys
lines=[json.loads(l) for l in sys.stdin]
s=[x for x in lines if 'time' in x]
ev=[x for x in lines if 'event' in x]
assert len(s)==3 and len(ev)==9, (len(s), len(ev))
DEV={'name','id','size','pages','orig_bytes','stored_bytes','ratio','swap_used','swap_size','swap_prio','action','action_pct','tiers'}
TIER={'id','name','kind','class','state','pages','orig_bytes','stored_bytes','limit','capacity','room','use_pct','ratio','reads_per_s','writes_per_s','mig_in_per_s','mig_out_per_s','demotions_per_s','promotions_per_s'}
assert all(set(x)=={'time','interval','events_lost','devices'} for x in s)
assert [d['name'] for d in s[0]['devices']]==['vswap0','vswap3']
assert all(set(d)==DEV and all(set(t)==TIER for t in d['tiers']) for x in s for d in x['devices'])
assert s[0]['interval'] is None and s[0]['devices'][0]['tiers'][1]['reads_per_s'] is None
assert s[0]['devices'][0]['action']=='aging' and s[0]['devices'][1]['action']=='idle'
d=s[2]['devices'][0]
assert 0.3 < s[2]['interval'] < 1.5, s[2]['interval']
ram,nvme=d['tiers'][1],d['tiers'][2]
rate=64/s[2]['interval']
assert abs(ram['reads_per_s']-rate)<=1 and abs(ram['mig_out_per_s']-rate)<=1, (ram, rate)
assert abs(nvme['writes_per_s']-rate)<=1 and abs(nvme['demotions_per_s']-rate)<=1 and nvme['mig_in_per_s']>0
assert ram['writes_per_s']==0 and nvme['reads_per_s']==0
assert d['action'].startswith('demoting ram -> nvme ') and d['action'].endswith('/s'), d['action']
assert nvme['room']==1<<20 and nvme['use_pct']==95.4 and ram['room']==64<<20 and d['tiers'][0]['room'] is None
" <"$TMP/out" 2>>"$TMP/err" || fail "-j top: JSON lines"
	expect_rc 0 "$FAKE" -j top 3 -c 1
	python3 -c "import json,sys
x=json.loads(sys.stdin.readline())
assert [d['name'] for d in x['devices']]==['vswap3']
" <"$TMP/out" 2>>"$TMP/err" || fail "-j top DEV: that device only"
	expect_rc 0 "$FAKE" -j top 0 -c 1
	python3 -c "import json,sys
x=json.loads(sys.stdin.readline())
d=x['devices'][0]
assert d['action']=='draining nvme 0%' and d['action_pct']==0.0 and d['tiers'][2]['state']=='draining', d
" <"$TMP/out" 2>>"$TMP/err" || fail "-j top: a draining tier is the engine's action"
else
	echo "note: no python3; skipped the JSON checks"
fi

# top, not on a terminal: a line per device and refresh, events between.
FAKE_GROW=1 expect_rc 0 "$FAKE" top vswap0 -c 2 -d 0.3
[ "$(grep -c '^ *[0-9.]*s vswap0 ' "$TMP/out")" -eq 2 ] || fail "top: one line per refresh"
head -n 1 "$TMP/out" | grep -q '^   0.0s vswap0 8G 1000pg, not swapped on, aging | zero 0pg | ram 400pg 488K/64M 0.7% x3.28 | nvme 800pg 977K/1M 95.4% x3.28$' ||
	fail "top: the first line"
grep -q '^ *[0-9.]*s vswap0 .*, demoting ram -> nvme [0-9]*/s | .* | ram .* r[0-9]*/s out[0-9]*/s | nvme .* w[0-9]*/s in[0-9]*/s$' "$TMP/out" ||
	fail "top: rates and the engine's action on the second line"
grep -q '^ *[0-9.]*s event tier-drained vswap0 id 2 name nvme$' "$TMP/out" || fail "top: event lines"
grep -q 'vswap1' "$TMP/out" && fail "top vswap0 shows another device's events"
expect_rc 0 "$FAKE" top --batch -c 1 -d 0.1
[ "$(grep -c 's vswap[03] ' "$TMP/out")" -eq 2 ] || fail "top --batch: both devices"

expect_rc 0 "$FAKE" status
grep -q '^vswap0: size 8G, in use: yes, metadata 4.2K$' "$TMP/out" || fail "status: device line"
grep -q '^  ID  NAME  KIND  STATE' "$TMP/out" || fail "status: tier table heading"
expect_rc 0 "$FAKE" -n -b -o name,stored_bytes,use_pct status vswap0
grep -q '^  nvme  1000000  95.4$' "$TMP/out" || fail "status -n -b -o"
grep -q 'NAME' "$TMP/out" && fail "status -n printed headings"
expect_rc 0 "$FAKE" dev show
[ "$(head -n 1 "$TMP/out" | tr -s ' ')" = "NAME SIZE INUSE PAGES DATA STORED RATIO USE% META" ] ||
	fail "dev show: heading"
expect_rc 0 "$FAKE" -o all tier show
expect_rc 0 "$FAKE" dev add --size 64M
[ "$(cat "$TMP/out")" = vswap0 ] || fail "dev add prints the device name"
expect_rc 0 "$FAKE" tier add 0 ram
[ "$(cat "$TMP/out")" = ram ] || fail "tier add prints the tier name"
expect_rc 0 "$FAKE" tier set 0 ram --limit none
[ -s "$TMP/out" ] && fail "tier set prints nothing"
expect_rc 0 "$FAKE" migrate 0 --from ram --to nvme --wait
grep -q '^migrating: 2M of 8M (25%)$' "$TMP/out" && grep -q '^migrating: 8M of 8M (100%)$' "$TMP/out" ||
	fail "migrate --wait: progress lines"
grep -q '^vswap0: from tier 1 to tier 2, done, moved 8M (estimate 8M)$' "$TMP/out" ||
	fail "migrate --wait: the result"
expect_rc 2 "$FAKE" monitor
[ "$(sed -n 3p "$TMP/out")" = "tier-add vswap0 id 2 name nvme kind block class fast state draining path /dev/nvme0n1 \"quoted\"\\	" ] ||
	fail "monitor: tier-add line"
grep -q '^io-error vswap0 io_op write errno EIO error_count 3$' "$TMP/out" || fail "monitor: io-error line"
grep -q '^tier-state vswap0 id 2 name nvme state active errno ENOSPC$' "$TMP/out" || fail "monitor: tier-state line"
expect_rc 0 "$FAKE" tier del 0 nvme --cancel
[ -s "$TMP/out" ] && fail "tier del --cancel prints nothing"
expect_rc 0 "$FAKE" tier set 0 nvme --state active
[ -s "$TMP/out" ] && fail "tier set --state prints nothing"

# Errors: the kernel's message, then strerror; exit 2; nothing on stdout.
FAKE_ERRNO=17 FAKE_EXTACK="vswap3 already exists" expect_rc 2 "$FAKE" dev add vswap3 --size 1M
[ "$(cat "$TMP/err")" = "vswapctl: vswap3 already exists: File exists" ] && [ ! -s "$TMP/out" ] ||
	fail "extack error line"
FAKE_ERRNO=1 FAKE_EXTACK="" expect_rc 2 "$FAKE" dev del 0
grep -q '^vswapctl: cannot remove the device: Operation not permitted$' "$TMP/err" ||
	fail "EPERM without extack"
FAKE_ERRNO=19 FAKE_EXTACK="no device vswap9" expect_rc 2 "$FAKE" -j status vswap9
[ ! -s "$TMP/out" ] || fail "-j: nothing on stdout after an error"
expect_rc 2 "$FAKE" tier show 0 nope
grep -q '^vswapctl: vswap0 has no tier named nope: No such file or directory$' "$TMP/err" ||
	fail "tier show of a missing tier"

# --- apply and the generator (vswap.conf(5) under a temporary root) ----------
R=$TMP/root
mkdir -p "$R/etc/vswap.conf.d" "$R/proc" "$R/sys/module/vswap"
echo 'MemTotal:        1048576 kB' >"$R/proc/meminfo"
cat >"$R/etc/vswap.conf" <<'EOC'
[vswap3]
size = 32M
swap-priority = 50

[vswap3/ram]
limit = ram / 64
high-wmark = 80

[vswap3/fast]
device = /dev/null
class = fast
idle-age = 60
device-timeout = 7

[vswap3/gone]
device = /dev/disk/by-id/does-not-exist
EOC
expect_rc 2 "$FAKE" apply --dry-run --root "$R"
grep -q "^vswapctl: $R/etc/vswap.conf:15: vswap3/gone: /dev/disk/by-id/does-not-exist does not exist (--missing-ok skips it)\$" "$TMP/err" ||
	fail "apply: a missing disk is an error"
expect_rc 0 "$FAKE" apply --dry-run --missing-ok --root "$R" vswap3
[ "$(cat "$TMP/out")" = "vswap3/ram: set limit none -> 16M
vswap3/ram: set high-wmark 90 -> 80
vswap3/fast: add /dev/null, class fast, idle-age 60" ] || fail "apply --dry-run: the plan"
grep -q '^vswapctl: warning: vswap3/gone: /dev/disk/by-id/does-not-exist does not exist; the tier is skipped$' "$TMP/err" ||
	fail "apply --missing-ok: the warning"
if command -v python3 >/dev/null; then
	expect_rc 0 "$FAKE" -j apply --dry-run --missing-ok --root "$R"
	check "-j apply --dry-run" "d==[{'dev':'vswap3','tier':'ram','op':'set','key':'limit','from':0,'to':16<<20},{'dev':'vswap3','tier':'ram','op':'set','key':'high-wmark','from':90,'to':80},{'dev':'vswap3','tier':'fast','op':'add','path':'/dev/null','class':'fast','idle_age':60}]"
fi
# Executed: the same lines, as each change is made.
expect_rc 0 "$FAKE" apply --missing-ok --root "$R"
[ "$(wc -l <"$TMP/out")" -eq 3 ] && grep -q '^vswap3/fast: add /dev/null' "$TMP/out" || fail "apply: executed"
# Without a module a dry run plans from nothing.
rmdir "$R/sys/module/vswap"
expect_rc 0 "$FAKE" apply --dry-run --missing-ok --root "$R"
[ "$(head -n 1 "$TMP/out")" = "vswap3: create, size 32M" ] || fail "apply --dry-run without the module"
mkdir "$R/sys/module/vswap"
# A device the kernel has at another size: exit 2, nothing done.
printf '[vswap0]\nsize = 4G\n' >"$R/etc/vswap.conf.d/50-vswap0.conf"
expect_rc 2 "$FAKE" apply --missing-ok --root "$R"
grep -q "^vswapctl: $R/etc/vswap.conf.d/50-vswap0.conf:1: vswap0 is 8G, the config says 4G: a device cannot be resized" "$TMP/err" &&
	[ ! -s "$TMP/out" ] || fail "apply: resize refused"
# --prune: the fake vswap0's nvme tier is not in the config.
printf '[vswap0]\nsize = 8G\nalgorithm = zstd\nlevel = 3\n' >"$R/etc/vswap.conf.d/50-vswap0.conf"
expect_rc 0 "$FAKE" apply --dry-run --prune --root "$R" vswap0
[ "$(cat "$TMP/out")" = "vswap0/nvme: remove /dev/nvme0n1 \"quoted\"\\	, drain 3.1M" ] || fail "apply --prune: the plan"
expect_rc 0 "$FAKE" apply --dry-run --root "$R" vswap0
[ "$(cat "$TMP/out")" = "no changes" ] && grep -q 'vswap0/nvme .* is not in the config; kept (--prune drains and removes it)' "$TMP/err" ||
	fail "apply without --prune keeps the tier"
# Config errors: exit 1, file:line.
printf '[vswap0]\nsize = 8G\nsqueeze = yes\n' >"$R/etc/vswap.conf.d/50-vswap0.conf"
expect_rc 1 "$FAKE" apply --dry-run --root "$R"
[ "$(cat "$TMP/err")" = "vswapctl: $R/etc/vswap.conf.d/50-vswap0.conf:3: unknown key 'squeeze' in [vswap0] (known: size, algorithm, level, swap-priority)" ] ||
	fail "apply: config error message"
expect_rc 1 "$CTL" apply --config "$TMP/nonexistent.conf"
grep -q "cannot read $TMP/nonexistent.conf: No such file or directory" "$TMP/err" || fail "apply --config missing"
rm "$R/etc/vswap.conf.d/50-vswap0.conf"
expect_rc 1 "$FAKE" apply --dry-run --root "$R" vswap5
grep -q '^vswapctl: vswap5 is not in the configuration$' "$TMP/err" || fail "apply DEV not configured"
usage apply --frob
usage apply vswap0 vswap1
usage apply --config

# The generator: units for vswap3, nothing with vswap=off.
G=$TMP/gen
mkdir -p "$G"
expect_rc 0 "$CTL" generator --root "$R" "$G"
grep -qx 'What=/dev/vswap3' "$G/dev-vswap3.swap" && grep -qx 'Priority=50' "$G/dev-vswap3.swap" &&
	grep -qx 'Requires=vswap-setup@vswap3.service' "$G/dev-vswap3.swap" &&
	grep -qx 'After=vswap-setup@vswap3.service' "$G/dev-vswap3.swap" &&
	grep -qx 'Before=swap.target' "$G/dev-vswap3.swap" || fail "generator: dev-vswap3.swap"
[ "$(readlink "$G/swap.target.wants/dev-vswap3.swap")" = ../dev-vswap3.swap ] || fail "generator: swap.target.wants"
grep -qx 'Wants=dev-null.device' "$G/vswap-setup@vswap3.service.d/50-tiers.conf" &&
	grep -qx 'After=dev-disk-by\\x2did-does\\x2dnot\\x2dexist.device' "$G/vswap-setup@vswap3.service.d/50-tiers.conf" ||
	fail "generator: the setup unit waits for the tier disks"
grep -qx 'JobRunningTimeoutSec=7s' "$G/dev-null.device.d/50-vswap-timeout.conf" || fail "generator: device-timeout"
[ ! -e "$G/dev-disk-by\\x2did-does\\x2dnot\\x2dexist.device.d" ] || fail "generator: a timeout nobody asked for"
ln -s "$(realpath "$CTL")" "$TMP/vswap-generator"
G2=$TMP/gen2
mkdir -p "$G2/early" "$G2/late"
expect_rc 0 "$TMP/vswap-generator" --root "$R" "$G2" "$G2/early" "$G2/late"
[ -e "$G2/dev-vswap3.swap" ] || fail "invoked as vswap-generator"
echo 'root=/dev/vda vswap=off' >"$R/proc/cmdline"
rm -rf "$G2" && mkdir "$G2"
expect_rc 0 "$TMP/vswap-generator" --root "$R" "$G2"
[ -z "$(ls "$G2")" ] && grep -q 'vswap=off' "$TMP/err" || fail "generator: vswap=off writes nothing"
rm "$R/proc/cmdline"
printf '[vswap0]\nsize = ram /\n' >"$R/etc/vswap.conf.d/10-broken.conf"
expect_rc 1 "$CTL" generator --root "$R" "$G2"
[ -z "$(ls "$G2")" ] && grep -q "^vswap-generator: $R/etc/vswap.conf.d/10-broken.conf:2: size = ram /: at column 6: the expression ends too early; no vswap units\$" "$TMP/err" ||
	fail "generator: a broken config names file:line"
rm -rf "$R/etc" "$G2" && mkdir "$G2"
expect_rc 0 "$CTL" generator --root "$R" "$G2"
[ -z "$(ls "$G2")" ] || fail "generator: no config, no units"
# top on a terminal: the screen in tmux, then q.  ncurses writes a frame
# in many pieces and tmux takes them as they come, so a capture can hold
# half a frame (the device line of a refresh over the tier rows of the
# one before: rates "-").  The screen is captured until one capture has
# every expected line; the checks then name what never showed.
if command -v tmux >/dev/null; then
	sock=$TMP/tmux.sock
	n=$((n + 1))
	: >"$TMP/err"
	tmux -S "$sock" -f /dev/null new-session -d -x 132 -y 30 \
		"FAKE_GROW=1 $FAKE top -d 0.3 2>$TMP/top.err; echo top-exit \$?; sleep 30"
	top_title='^ vswapctl top - .*, every 0.3s, up .*q: quit *$'
	top_dev='^vswap0 8G 1000pg, not swapped on, demoting ram -> nvme [0-9]*/s$'
	top_head='^ TIER  KIND   STATE *OCCUPANCY  *USE%  PAGES  DATA  STORED  RATIO  LIMIT  READ/s  WRITE/s  MIGIN/s  MIGOUT/s$'
	top_nvme='^ nvme  block  active  \[#*\.*\]  95.4    800  3.1M    977K   3.28     1M       0  *[1-9][0-9]*  *[1-9][0-9]*  *0$'
	top_events='^[0-9:]* io-error vswap0 io_op write errno EIO error_count 3$'
	# screen_wait SECS ERE...: the screen in $TMP/out, until it has a
	# line matching each ERE (or SECS seconds have passed).
	screen_wait() {
		local end=$((SECONDS + $1)) re all
		shift
		while :; do
			tmux -S "$sock" capture-pane -p >"$TMP/out"
			all=y
			for re; do
				grep -q "$re" "$TMP/out" || all=n
			done
			[ "$all" = y ] || [ "$SECONDS" -ge "$end" ] && return
			sleep 0.1
		done
	}
	screen_wait 60 "$top_title" "$top_dev" "$top_head" "$top_nvme" '^-- events -' "$top_events"
	grep -q "$top_title" "$TMP/out" || fail "top screen: title line"
	grep -q "$top_dev" "$TMP/out" || fail "top screen: device line"
	grep -q "$top_head" "$TMP/out" || fail "top screen: tier table heading"
	grep -q "$top_nvme" "$TMP/out" || fail "top screen: nvme row with its bar and rates"
	grep -q '^-- events -' "$TMP/out" && grep -q "$top_events" "$TMP/out" ||
		fail "top screen: events footer"
	tmux -S "$sock" send-keys q
	screen_wait 60 '^top-exit'
	grep -q '^top-exit 0$' "$TMP/out" || fail "top screen: q quits with status 0"
	tmux -S "$sock" kill-server 2>/dev/null
else
	echo "note: no tmux; skipped the top screen checks"
fi

echo "$n runs, $fails failed"
[ "$fails" -eq 0 ]
