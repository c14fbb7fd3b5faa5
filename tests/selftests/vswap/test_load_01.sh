#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
# smoke: yes
#
# Load/unload loops: several sizes, 1..4 devices, every algorithm and
# explicit levels.  After each load every /dev/vswapN exists with the
# right capacity, algorithm, level and empty statistics, and works; after
# each unload nothing is left: no /sys/block/vswap*, no /dev/vswap*, no
# block major, no module.
. "$(dirname "$0")/test_common.sh"

test_init "module load/unload loops"
require_vswap

# assert_nothing_left: the module and everything it created are gone.
assert_nothing_left() {
	local local_x
	wait_for 10 sh -c '! ls -d /sys/block/vswap* /dev/vswap* >/dev/null 2>&1' || true
	assert_fails "module is gone after unload" test -d /sys/module/vswap
	assert_fails "not in /proc/modules" grep -q '^vswap ' /proc/modules
	for local_x in /sys/block/vswap* /dev/vswap*; do
		[ -e "$local_x" ] && fail "$local_x still exists after unload"
	done
	grep -qw vswap /proc/devices && fail "block major 'vswap' still registered"
	log "ok: no /sys/block/vswap*, /dev/vswap* or block major left"
}

# check_loaded COMP LEVEL BYTES NDEV
check_loaded() {
	local local_i local_pages local_line
	local_pages=$(($3 / 4096))
	local_line=$(dmesg_since_mark | grep 'vswap: loaded' | tail -n 1)
	case $local_line in
	*"$4 device(s) of $(($3 >> 20)) MiB, $1"*) log "ok: ${local_line#\[*\] }" ;;
	*) fail "no 'loaded ... $4 device(s) of $(($3 >> 20)) MiB, $1' message (last: $local_line)" ;;
	esac
	local_i=0
	while [ "$local_i" -lt "$4" ]; do
		local_d=vswap$local_i
		[ -b "/dev/$local_d" ] || fail "/dev/$local_d is not a block device"
		assert_eq "$(cat /sys/block/$local_d/size)" $(($3 / 512)) "$local_d capacity (sectors)"
		assert_str "$(vstat algorithm $local_d)" "$1" "$local_d algorithm"
		assert_eq "$(vstat level $local_d)" "$2" "$local_d level"
		assert_eq "$(vstat stored_pages $local_d)" 0 "$local_d stored_pages"
		assert_eq "$(vstat clusters $local_d)" 0 "$local_d clusters"
		assert_eq "$(vstat meta_bytes $local_d)" $(((local_pages + 511) / 512 * 8)) \
			"$local_d meta_bytes = 8 B per 512-slot cluster"
		# One page in the last slot, read back.
		dev_write $local_d $((local_pages - 1)) 1 "$TEST_TMP/text" ||
			fail "write to $local_d failed"
		dev_read $local_d $((local_pages - 1)) 1 "$TEST_TMP/back" ||
			fail "read from $local_d failed"
		cmp -s "$TEST_TMP/text" "$TEST_TMP/back" || fail "$local_d: data read back differs"
		assert_eq "$(vstat stored_pages $local_d)" 1 "$local_d stores the page"
		assert_eq "$(vstat clusters $local_d)" 1 "$local_d allocated one cluster"
		local_i=$((local_i + 1))
	done
	[ -e "/sys/block/vswap$4" ] && fail "vswap$4 exists, expected $4 device(s)"
	assert_str "$(cat /sys/module/vswap/parameters/comp)" "$1" "comp parameter"
	return 0
}

default_level() {
	case $1 in lz4) echo 1 ;; lz4hc) echo 9 ;; zstd) echo 3 ;; esac
}

make_file text 1 "$TEST_TMP/text"

# size, bytes, devices
cases="1M:1048576:1 64M:67108864:2 3G:3221225472:4 1025K:1048576:1 5000K:5120000:3 1048577:1048576:1 16T:17592186044416:1"
for comp in $(lane_algos "lz4 lz4hc zstd" zstd); do
	for c in $cases; do
		size=${c%%:*} rest=${c#*:}
		bytes=${rest%%:*} ndev=${rest#*:}
		dmesg_mark
		vswap_load size=$size num_devices=$ndev comp=$comp
		check_loaded $comp "$(default_level $comp)" "$bytes" "$ndev"
		vswap_unload
		assert_nothing_left
	done
done

# Explicit levels, both ends of every range.
for cl in lz4:1 lz4:64 lz4hc:1 lz4hc:16 zstd:1 zstd:22; do
	comp=${cl%:*} level=${cl#*:}
	dmesg_mark
	vswap_load size=8M comp=$comp level=$level
	check_loaded $comp "$level" 8388608 1
	vswap_unload
	assert_nothing_left
done

# The maximum number of devices.
dmesg_mark
vswap_load size=1M num_devices=32
check_loaded lz4 1 1048576 32
vswap_unload
assert_nothing_left

# No size: the module loads without devices.
dmesg_mark
vswap_load
dmesg_expect "load without size" 'vswap: loaded .* without devices'
ls -d /sys/block/vswap* >/dev/null 2>&1 && fail "devices exist without size="
vswap_unload
assert_nothing_left

# A quick loop: 4 devices with data in them, 15 times; device numbers are
# reused and nothing accumulates.
slab0=$(meminfo_kb SUnreclaim)
i=0
while [ $i -lt 15 ]; do
	vswap_load size=16M num_devices=4 >/dev/null
	for d in 0 1 2 3; do
		dev_write vswap$d $((i * 37 + d)) 1 "$TEST_TMP/text" || fail "write vswap$d"
	done
	[ "$(vstat stored_pages vswap3)" = 1 ] || fail "loop $i: vswap3 stored_pages $(vstat stored_pages vswap3)"
	vswap_unload >/dev/null
	[ -e /sys/block/vswap0 ] && fail "loop $i: vswap0 left behind"
	i=$((i + 1))
done
assert_nothing_left
log "SUnreclaim before/after 15 loops: $slab0 kB / $(meminfo_kb SUnreclaim) kB"

test_done
