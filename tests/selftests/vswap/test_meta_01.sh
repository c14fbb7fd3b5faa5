#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
#
# The 1 TiB metadata figure.  A 1 TiB device must cost a few MiB until it
# is used: one 8-byte directory word per 512-slot cluster (4 MiB), and a
# 4 KiB table (8 bytes per slot) only for clusters that hold data.
#
# Measured two ways:
#  - the kernel's own accounting: /proc/meminfo MemFree, SUnreclaim,
#    VmallocUsed and Percpu around modprobe (after drop_caches and a slab
#    shrink), minus the same deltas for loading the module without any
#    device (module text, data, the table mempool), i.e. what the 1 TiB
#    device itself costs;
#  - the module's meta_bytes (directory + cluster tables) and clusters.
# Asserts < 8 MiB before use, meta_bytes = 4 KiB per touched cluster,
# 8 bytes per slot for a full cluster, and back to the bare directory when
# the data is discarded.  The figures are printed as '# figure:' lines.
. "$(dirname "$0")/test_common.sh"

test_init "1 TiB device metadata cost"
require_vswap

KB=1024
MB=1048576
SLOTS=$((1 << 28))			# 1 TiB / 4 KiB
DIR_BYTES=$((SLOTS / 512 * 8))		# 4 MiB

# settle: caches dropped, then every slab cache shrunk: its empty slabs go
# back to the page allocator and, on a KASAN kernel, the objects freed into
# its quarantine are freed for real first (kmem_cache_shrink() flushes
# them).  Otherwise SUnreclaim holds up to 1/32 of RAM of objects already
# freed, released in 1 MiB batches by whichever allocation finds the
# quarantine full: a batch released while the device was made offset part
# of its growth (the debug lane once measured 3653 kB for the 4096 kB
# directory).
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	for c in /sys/kernel/slab/*; do
		[ -L "$c" ] || echo 1 >"$c/shrink" 2>/dev/null
	done
}

# snap: "MemFree SUnreclaim VmallocUsed Percpu" in kB.  Free pages held
# in the per-CPU lists are not in MemFree, and since 6.7 those lists are
# sized on the fly (up to megabytes): they are counted back in, from
# /proc/zoneinfo's pageset "count:" lines (4 KiB pages).
snap() {
	settle
	awk '$1 == "count:" { pcp += $2 }
	     $1 == "MemFree:" { f = $2 } $1 == "SUnreclaim:" { s = $2 }
	     $1 == "VmallocUsed:" { v = $2 } $1 == "Percpu:" { p = $2 }
	     END { print f + pcp * 4, s, v, p }' /proc/zoneinfo /proc/meminfo
}

# cost BEFORE AFTER: "memfree_drop accounted" in kB, accounted being the
# growth of SUnreclaim + VmallocUsed + Percpu.
cost() {
	echo "$1 $2" | awk '{ print $1 - $5, ($6 - $2) + ($7 - $3) + ($8 - $4) }'
}

# Dependencies (zsmalloc, lz4, zstd, ...) in, so they are not counted.
vswap_load >/dev/null
vswap_unload >/dev/null

# Three rounds: module alone, then module + 1 TiB device.
total_free=0 total_acct=0 rounds=3
r=1
while [ $r -le $rounds ]; do
	s0=$(snap)
	vswap_load >/dev/null
	s1=$(snap)
	vswap_unload >/dev/null
	s2=$(snap)
	vswap_load size=1T >/dev/null
	s3=$(snap)
	set -- $(cost "$s0" "$s1")
	mod_free=$1 mod_acct=$2
	set -- $(cost "$s2" "$s3")
	all_free=$1 all_acct=$2
	dev_free=$((all_free - mod_free)) dev_acct=$((all_acct - mod_acct))
	log "round $r: module alone: MemFree drop $mod_free kB (slab+vmalloc+percpu $mod_acct kB); module + 1 TiB device: MemFree drop $all_free kB ($all_acct kB); the device alone: MemFree drop $dev_free kB, slab+vmalloc+percpu $dev_acct kB"
	total_free=$((total_free + dev_free)) total_acct=$((total_acct + dev_acct))
	[ $r -lt $rounds ] && vswap_unload >/dev/null
	r=$((r + 1))
done
dev_free=$((total_free / rounds)) dev_acct=$((total_acct / rounds))
log "figure: 1 TiB device, unused: kernel MemFree drop $dev_free kB ($((dev_free * KB / 1000)) kB decimal) averaged over $rounds loads, of which slab+vmalloc+percpu $dev_acct kB"

assert_eq "$(cat /sys/block/vswap0/size)" $((SLOTS * 8)) "1 TiB device (sectors)"
meta0=$(vstat meta_bytes)
log "figure: 1 TiB device, unused: meta_bytes $meta0 ($((meta0 / MB)) MiB), clusters $(vstat clusters)"
assert_eq "$meta0" "$DIR_BYTES" "meta_bytes = 8 B per 512-slot cluster directory entry"
assert_eq "$(vstat clusters)" 0 "no cluster table before use"
assert_lt "$meta0" $((8 * MB)) "meta_bytes < 8 MiB before use"
assert_lt "$dev_free" $((8 * KB)) "kernel MemFree cost of the unused 1 TiB device < 8 MiB"
assert_lt "$dev_acct" $((8 * KB)) "slab+vmalloc+percpu cost of the unused 1 TiB device < 8 MiB"
# Sanity: the kernel saw at least the directory (MemFree alone is too noisy
# for this on a debug kernel, the slab/vmalloc/percpu figure is not).
assert_ge "$dev_acct" $((DIR_BYTES / KB * 9 / 10)) "slab+vmalloc+percpu covers the 4 MiB directory (measurement sanity)"

# A few pages in three clusters: first, middle and last.
make_file text 1 "$TEST_TMP/text"
make_file zero 1 "$TEST_TMP/zero"
for slot in 0 1 511 $((SLOTS / 2)) $((SLOTS - 1)); do
	dev_write vswap0 $slot 1 "$TEST_TMP/text" || fail "write slot $slot"
done
dev_read vswap0 $((SLOTS - 1)) 1 "$TEST_TMP/back" || fail "read the last slot"
cmp -s "$TEST_TMP/text" "$TEST_TMP/back" || fail "last slot reads back wrong"
assert_eq "$(vstat stored_pages)" 5 "5 slots used"
assert_eq "$(vstat clusters)" 3 "3 clusters touched"
grow=$(($(vstat meta_bytes) - meta0))
log "figure: 5 slots in 3 clusters: meta_bytes +$grow"
assert_eq "$grow" $((3 * 4096)) "meta_bytes grows by 4 KiB per touched cluster"

# One full cluster: 512 slots for one 4 KiB table = 8 bytes per slot.
free0=$(snap)
dd if=/dev/zero of=/dev/vswap0 bs=2M seek=1000 count=1 oflag=direct 2>/dev/null ||
	fail "write one full cluster"
free1=$(snap)
assert_eq "$(vstat clusters)" 4 "one more cluster"
grow=$(($(vstat meta_bytes) - meta0 - 3 * 4096))
log "figure: 512 slots (one full cluster, zero pages): meta_bytes +$grow = $((grow / 512)) B per slot; MemFree drop $(cost "$free0" "$free1" | cut -d' ' -f1) kB"
assert_eq "$grow" 4096 "a full cluster costs one 4 KiB table"
assert_le $((grow / 512)) 8 "<= 8 B of descriptor per used slot"
assert_stats_consistent vswap0

# Free the data: the tables go, back to the bare directory.
assert_ok "blkdiscard cluster 0" blkdiscard -o 0 -l $((512 * 4096)) /dev/vswap0
assert_ok "blkdiscard the full cluster" blkdiscard -o $((1000 * 2 * MB)) -l $((2 * MB)) /dev/vswap0
assert_ok "blkdiscard the middle slot" blkdiscard -o $((SLOTS / 2 * 4096)) -l 4096 /dev/vswap0
assert_ok "blkdiscard the last slot" blkdiscard -o $(((SLOTS - 1) * 4096)) -l 4096 /dev/vswap0
assert_eq "$(vstat stored_pages)" 0 "no slot used after discard"
assert_eq "$(vstat clusters)" 0 "no cluster table after discard"
assert_eq "$(vstat meta_bytes)" "$DIR_BYTES" "meta_bytes back to the directory"

vswap_unload
test_done
