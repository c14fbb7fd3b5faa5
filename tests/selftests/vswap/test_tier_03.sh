#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
# smoke: yes
#
# Fault injection on backing tiers, with null_blk disks made through
# configfs (memory backed, 4 KiB blocks): "badblocks" makes I/O touching
# chosen 512-byte sectors fail, "power" 0 removes the disk while vswap
# holds it.  Each case compares the whole device with what was written.
#  1. write errors: every sector of the only backing tier is bad and the
#     RAM tier is limited to 2 MiB.  Writes fill RAM to its limit; past it
#     they spill, fail on the disk and fail with EIO (RAM is full too), and
#     the slot keeps its old data.  The tier counts the errors, raises
#     io-error events and is degraded after 8 in a row; then it takes
#     nothing, and with room in RAM again every write succeeds.
#  2. read errors: data spilled to a healthy disk, then 7 of its 4 KiB
#     blocks made bad: reading those fails with EIO (never wrong data),
#     every other block reads back intact, 7 errors in a row do not
#     degrade the tier, and once the sectors are good again the blocks
#     read back right.
#  3. migration errors: a manual migration from a tier with bad blocks:
#     what could not be read stays (and still fails to read, then reads
#     right once the sectors are good), the rest moved intact, the
#     counters add up; a second migration moves the rest.
#  4. surprise removal: the disk holding part of the data is powered off:
#     reads of its slots fail with EIO, the others are intact, a drain of
#     it fails without losing anything (and tier del --drain --wait
#     returns), new writes go to another tier, the kernel logs no splat,
#     the device is deleted and vswap and null_blk unload (no reference
#     to the dead disk is left behind).
# io-error events must carry the errno (5, EIO) of the failed I/O.
. "$(dirname "$0")/test_common.sh"

test_init "backing tier faults (null_blk): write errors, read errors, migration errors, surprise removal"
require_vswap
require_prog json_check
command -v vswapctl >/dev/null 2>&1 || skip "vswapctl not built (make userspace)"
JC=$TEST_DIR/json_check
NBCFG=/sys/kernel/config/nullb
MON=$TEST_TMP/monitor.json
T=$TEST_TMP

# --- null_blk through configfs ---------------------------------------------------------
# configfs may be a module (null_blk depends on it): /sys/kernel/config
# appears when it is loaded.
modprobe configfs >/dev/null 2>&1
[ -d /sys/kernel/config ] || skip "no configfs (/sys/kernel/config)"
grep -q ' /sys/kernel/config configfs' /proc/mounts ||
	mount -t configfs none /sys/kernel/config ||
	skip "cannot mount configfs"
[ -d "$NBCFG" ] || modprobe null_blk nr_devices=0 >/dev/null 2>&1
[ -d "$NBCFG" ] || skip "null_blk with configfs is not available (CONFIG_BLK_DEV_NULL_BLK)"
NB_ITEMS=

# Cleanup on exit: what test_common.sh does, then the null_blk disks (vswap
# is gone by then, so nobody holds them).
_t3_exit() {
	_EXIT_RC=$?
	trap - EXIT
	_cleanup
	for _nb in $NB_ITEMS; do
		rmdir "$NBCFG/$_nb" 2>/dev/null
	done
	exit "$_EXIT_RC"
}
trap _t3_exit EXIT

# nb_create NAME MIB: a memory-backed null_blk disk with 4 KiB blocks;
# its node in $NB_DEV.
nb_create() {
	local local_d
	local_d=$NBCFG/$1
	mkdir "$local_d" || fail "mkdir $local_d"
	NB_ITEMS="$NB_ITEMS $1"
	{ echo "$2" >"$local_d/size" && echo 4096 >"$local_d/blocksize" &&
		echo 1 >"$local_d/memory_backed" && echo 1 >"$local_d/power"; } ||
		fail "configuring null_blk $1"
	# Named after the configfs item (6.1+), else nullbINDEX.
	NB_DEV=/dev/$1
	wait_for 5 test -b "$NB_DEV" || NB_DEV=/dev/nullb$(cat "$local_d/index")
	wait_for 5 test -b "$NB_DEV" || fail "null_blk $1: no block device node"
	log "null_blk $1: $NB_DEV, $2 MiB, 4 KiB blocks, memory backed"
}

nb_remove() {
	local local_n local_new
	rmdir "$NBCFG/$1" || fail "rmdir $NBCFG/$1"
	for local_n in $NB_ITEMS; do
		[ "$local_n" = "$1" ] || local_new="$local_new $local_n"
	done
	NB_ITEMS=$local_new
}

# nb_bad NAME +|- FIRST_SLOT NR_SLOTS: mark (+) or clear (-) the sectors
# of 4 KiB slots FIRST_SLOT.. of the disk.
nb_bad() {
	echo "$2$(($3 * 8))-$((($3 + $4) * 8 - 1))" >"$NBCFG/$1/badblocks" ||
		fail "badblocks $2 on $1"
}

# --- helpers -------------------------------------------------------------------------
# tj TIER KEY: a value from vswapctl -j tier show.
tj() { vswapctl -j tier show vswap0 "$1" | "$JC" -p "0.$2"; }

# put FILE FIRST COUNT: write blocks FIRST.. of FILE to the same blocks of
# /dev/vswap0, one 4 KiB request each.
put() {
	dd if="$1" of=/dev/vswap0 bs=4096 skip="$2" seek="$2" count="$3" \
		oflag=direct conv=notrunc 2>"$T/put.err"
}

# get1 BLOCK OUT: read one block.
get1() {
	dd if=/dev/vswap0 of="$2" bs=4096 skip="$1" count=1 iflag=direct 2>/dev/null
}

# read_all BLOCKS OUT: read blocks 0..BLOCKS-1 one request each, going on
# after errors (failed blocks read as zeros); $RERR: the number of them.
read_all() {
	dd if=/dev/vswap0 of="$2" bs=4096 count="$1" iflag=direct \
		conv=noerror,sync 2>"$T/read.err"
	RERR=$(grep -c 'Input/output error' "$T/read.err")
}

# verify BLOCKS FILE WHAT: the first BLOCKS blocks of the device are FILE.
verify() {
	dd if=/dev/vswap0 of="$T/back" bs=4096 count="$1" iflag=direct 2>/dev/null ||
		fail "$3: reading /dev/vswap0 back failed"
	cmp -s "$2" "$T/back" || fail "$3: data differs"
	log "ok: $3: $1 blocks read back intact"
}

# blocks FILE FIRST COUNT OUT: extract blocks.
blocks() {
	dd if="$1" of="$4" bs=4096 skip="$2" count="$3" 2>/dev/null
}

# diff_blocks A B: the 4 KiB blocks where A and B differ, one per line.
diff_blocks() {
	cmp -l "$1" "$2" | awk 'BEGIN { l = -1 } { b = int(($1 - 1) / 4096); if (b != l) print b; l = b }'
}

# same_region A B FIRST COUNT: blocks FIRST.. of A and B are equal.
same_region() {
	blocks "$1" "$3" "$4" "$T/r1"
	blocks "$2" "$3" "$4" "$T/r2"
	cmp -s "$T/r1" "$T/r2"
}

# check_failed_blocks DATA BACK N WHAT: after read_all, exactly N blocks
# failed; they, and only they, differ from DATA and read as zeros (the
# padding dd puts for a failed read: nothing wrong came back).  Sets $BAD.
check_failed_blocks() {
	local local_b
	assert_eq "$RERR" "$3" "$4: reads that failed with EIO"
	BAD=$(diff_blocks "$1" "$2" | tr '\n' ' ')
	assert_eq "$(echo "$BAD" | wc -w)" "$3" "$4: blocks that differ from what was written"
	for local_b in $BAD; do
		blocks "$2" "$local_b" 1 "$T/b1"
		cmp -s "$T/b1" "$T/zero1" ||
			fail "$4: block $local_b read back wrong data without an error"
	done
	log "ok: $4: failed blocks: $BAD"
}

# events_since LINE: monitor output after line LINE.
events_since() { tail -n +$(($1 + 1)) "$MON"; }

# wait_event LINE OP WHAT: an io-error event for OP after line LINE.
wait_event() {
	wait_for 5 sh -c "tail -n +$(($1 + 1)) '$MON' | grep '\"io-error\"' | grep -q '\"io_op\":\"$2\"'" || {
		events_since "$1" | tail -n 5 | sed 's/^/#   /'
		fail "$3: no io-error event for $2 (vswapctl -j monitor)"
	}
	log "ok: $3: $(events_since "$1" | grep '"io-error"' | grep "\"io_op\":\"$2\"" | head -n 1)"
}

# expect_event_errno LINE OP ERRNO [OTHER...] WHAT: an io-error event for
# OP after line LINE carries ERRNO, and every one of them ERRNO or one of
# OTHER (an expectation: the test goes on).
expect_event_errno() {
	local local_e local_ok local_op local_w local_what local_x local_y
	local_what=$(eval echo "\${$#}")
	local_op=$2
	local_e=$(events_since "$1" | grep '"io-error"' | grep "\"io_op\":\"$2\"" |
		sed -n 's/.*"errno":\([0-9]*\).*/\1/p' | sort -u | tr '\n' ' ')
	shift 2
	local_ok=0
	case " $local_e" in *" $1 "*) local_ok=1 ;; esac
	for local_x in $local_e; do
		local_y=0
		for local_w in "$@"; do
			[ "$local_w" = "$local_x" ] && local_y=1
		done
		[ $local_y = 1 ] || local_ok=0
	done
	if [ $local_ok = 1 ]; then
		log "ok: $local_what (errno: $local_e)"
	else
		log "NOT OK: $local_what: io-error events for $local_op carry errno '$local_e', expected $1 (the test goes on, and will fail)"
		_EXPECT_FAILS=$((_EXPECT_FAILS + 1))
	fi
}

mon_lines() { wc -l <"$MON"; }

make_file zero 1 "$T/zero1"

# Random data must reach RAM first (spill_incompressible=1 is the default).
vswap_load spill_incompressible=0
vswapctl -j monitor >"$MON" 2>"$MON.err" &
MON_PID=$!
track_pid $MON_PID
n=0
until grep -q '"vswap7"' "$MON"; do
	vswapctl dev add vswap7 --size 1M >/dev/null || fail "dev add vswap7"
	vswapctl dev del vswap7 || fail "dev del vswap7"
	n=$((n + 1))
	[ $n -lt 50 ] || { sed 's/^/#   /' "$MON.err"; fail "the monitor saw no event in 10 s"; }
	sleep 0.2
done
log "ok: vswapctl -j monitor is listening"

# === 1. write errors ===================================================================
log "--- 1. write errors: every sector of the backing tier is bad ---"
t1=$(date +%s)
nb_create t3wr 16
WR=$NB_DEV
# In chunks of 512 sectors, ascending: 6.1's badblocks_set() stores a
# longer range as entries in the wrong order, and most of it then reads
# as good.
s=0
while [ $s -lt $((16 * 2048)) ]; do
	echo "+$s-$((s + 511))" >"$NBCFG/t3wr/badblocks" || fail "badblocks on t3wr"
	s=$((s + 512))
done
assert_eq "$(wc -l <"$NBCFG/t3wr/badblocks")" 64 "t3wr: every sector bad (64 ranges)"
assert_ok "dev add" vswapctl dev add vswap0 --size 16M

# A zoned disk cannot be a tier (slots are rewritten in place).
if mkdir "$NBCFG/t3zoned" 2>/dev/null; then
	NB_ITEMS="$NB_ITEMS t3zoned"
	if { echo 64 >"$NBCFG/t3zoned/size" && echo 4096 >"$NBCFG/t3zoned/blocksize" &&
		echo 1 >"$NBCFG/t3zoned/zoned" && echo 4 >"$NBCFG/t3zoned/zone_size" &&
		echo 1 >"$NBCFG/t3zoned/memory_backed" &&
		echo 1 >"$NBCFG/t3zoned/power"; } 2>/dev/null; then
		ZD=/dev/t3zoned
		wait_for 5 test -b "$ZD" || ZD=/dev/nullb$(cat "$NBCFG/t3zoned/index")
		wait_for 5 test -b "$ZD" || fail "zoned null_blk: no block device node"
		out=$(vswapctl tier add vswap0 "$ZD" --name zoned 2>&1) &&
			fail "a zoned disk became a tier"
		echo "$out" | grep -q "cannot be a tier" || fail "zoned: no clear message: $out"
		log "ok: refused a zoned disk: $out"
	else
		log "null_blk cannot make a zoned disk here (CONFIG_BLK_DEV_ZONED off): not checked"
	fi
	nb_remove t3zoned
fi
assert_ok "ram: limit 2M, watermarks 50/25%" \
	vswapctl tier set vswap0 ram --limit 2M --high-wmark 50 --low-wmark 25
# Old data in every slot: a same-filled pattern (zero tier, no RAM).
make_file same 768 "$T/pat"
make_file random 768 "$T/d1"
put "$T/pat" 0 768 || fail "writing the old pattern"
assert_eq "$(tstat same pages)" 768 "768 old same-filled pages"
L=$(mon_lines)
assert_ok "tier add bad" vswapctl tier add vswap0 "$WR" --name bad --class fast
if put "$T/d1" 0 768; then
	fail "768 random pages fit in a 2 MiB RAM tier and a tier with only bad sectors"
fi
log "ok: writing 768 random pages failed: $(grep -i error "$T/put.err" | head -n 1)"
dd if=/dev/vswap0 of="$T/back" bs=4096 count=768 iflag=direct 2>/dev/null ||
	fail "reading back after the failed write failed"
c=$(cmp "$T/d1" "$T/back" 2>/dev/null | sed -n 's/.*differ: [a-z]* \([0-9]*\).*/\1/p')
[ -n "$c" ] || fail "the device holds everything although the write failed"
N=$(((c - 1) / 4096))
log "the write stopped at block $N"
blocks "$T/d1" 0 "$N" "$T/r1"
blocks "$T/pat" "$N" $((768 - N)) "$T/r2"
cat "$T/r1" "$T/r2" >"$T/exp1"
cmp -s "$T/exp1" "$T/back" ||
	fail "blocks 0..$((N - 1)) must hold the new data and the rest the old pattern"
log "ok: the $N blocks written read back exactly, the others kept their old data"
assert_gt "$N" 256 "pages stored past the 50% watermark (writes spill at the limit)"
expect_eq "$N" 512 "RAM filled to its 2 MiB limit"
assert_eq "$(tstat ram pages)" "$N" "the RAM tier holds them"
assert_eq "$(tstat bad pages)" 0 "the bad tier holds nothing"
assert_gt "$(tstat bad io_errors)" 0 "bad: io_errors"
assert_ge "$(tj bad failed_writes)" "$(tstat bad io_errors)" "bad: failed_writes (pages) >= io_errors (bios)"
assert_eq "$(tj bad failed_reads)" 0 "bad: no failed reads"
assert_gt "$(vstat failed_writes)" 0 "vswap0: failed_writes"
# Each write past the limit tries the disk once more, until it is degraded.
i=$N
while [ "$(tj bad state)" != degraded ] && [ $i -lt $((N + 8)) ]; do
	put "$T/d1" $i 1 && fail "block $i: a write past the RAM limit succeeded"
	i=$((i + 1))
done
assert_str "$(tj bad state)" degraded "the tier is degraded"
dmesg_expect "degraded in the kernel log" "tier .*t3wr degraded after 8 I/O errors"
wait_event "$L" write "write errors reported"
# EIO from the disk; ENOSPC once RAM is at its limit too.
expect_event_errno "$L" write 5 28 "write errors reported as EIO"
e1=$(tstat bad io_errors)
i=$N
while [ $i -lt $((N + 8)) ]; do
	put "$T/d1" $i 1 && fail "block $i: a write past the RAM limit succeeded"
	i=$((i + 1))
done
log "ok: 8 more writes past the limit fail"
assert_eq "$(tstat bad io_errors)" "$e1" "the degraded tier is not tried again"
dd if=/dev/vswap0 of="$T/back" bs=4096 count=768 iflag=direct 2>/dev/null || fail "read back"
cmp -s "$T/exp1" "$T/back" || fail "failed writes changed the device"
log "ok: the failed writes changed nothing"
assert_ok "ram: no limit" vswapctl tier set vswap0 ram --limit 0
put "$T/d1" "$N" $((768 - N)) || fail "with RAM to spare, writing the rest failed"
verify 768 "$T/d1" "everything written once RAM has room"
assert_eq "$(tstat bad pages)" 0 "the degraded tier took nothing"
assert_eq "$(tstat bad io_errors)" "$e1" "and saw no I/O"
assert_eq "$(vstat stored_pages)" 768 "768 pages stored"
assert_ok "tier del bad" vswapctl tier del vswap0 bad
assert_ok "dev del" vswapctl dev del vswap0
nb_remove t3wr
log "case 1 took $(($(date +%s) - t1)) s"

# === 2. read errors ====================================================================
log "--- 2. read errors on a tier holding data ---"
t1=$(date +%s)
nb_create t3rd 16
RD=$NB_DEV
assert_ok "dev add" vswapctl dev add vswap0 --size 16M
# Spill only at the limit: no demotion, slots on the disk in write order.
assert_ok "ram: limit 1M" vswapctl tier set vswap0 ram --limit 1M --high-wmark 100 --low-wmark 90
assert_ok "tier add disk" vswapctl tier add vswap0 "$RD" --name disk --class fast
make_file random 1024 "$T/d2"
dd if="$T/d2" of=/dev/vswap0 bs=64k oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing 4 MiB failed"
verify 1024 "$T/d2" "4 MiB through a 1 MiB RAM tier"
P=$(tstat disk pages)
assert_ge "$P" 512 "most pages spilled to the disk"
assert_eq $(($(tstat ram pages) + P)) 1024 "ram + disk pages = 1024"
assert_eq "$(vstat failed_writes)" 0 "no write failed"
# 7 bad 4 KiB slots in two runs (4 + 3), all in use (next-fit from 0).
assert_gt "$P" 303 "the disk's slots 0..303 are in use"
e0=$(tstat disk io_errors)
L=$(mon_lines)
nb_bad t3rd + 100 4
nb_bad t3rd + 300 3
log "badblocks: $(tr '\n' ' ' <"$NBCFG/t3rd/badblocks")"
read_all 1024 "$T/back"
check_failed_blocks "$T/d2" "$T/back" 7 "read with 7 bad blocks on the disk"
BAD2=$BAD
for b in $BAD2; do
	rm -f "$T/one"
	get1 "$b" "$T/one" && fail "block $b: read succeeded on a bad block"
	[ ! -s "$T/one" ] || fail "block $b: a failed read returned data"
done
log "ok: each bad block fails alone with EIO, twice"
for b in $BAD2; do
	for g in $((b - 1)) $((b + 1)); do
		case " $BAD2 " in *" $g "*) continue ;; esac
		get1 "$g" "$T/one" || fail "block $g next to a bad one: read failed"
		blocks "$T/d2" "$g" 1 "$T/b1"
		cmp -s "$T/one" "$T/b1" || fail "block $g next to a bad one: wrong data"
	done
done
log "ok: the neighbours of the bad blocks read back intact, one by one"
assert_eq "$(tstat disk io_errors)" $((e0 + 14)) "disk: one I/O error per failed read"
assert_eq "$(tj disk failed_reads)" 14 "disk: failed_reads"
assert_eq "$(tj disk failed_writes)" 0 "disk: no failed writes"
assert_str "$(tj disk state)" active "7 errors in a row do not degrade the tier"
wait_event "$L" read "read errors reported"
expect_event_errno "$L" read 5 "read errors reported as EIO"
log "vswap0 failed_reads (device counter): $(vstat failed_reads)"
nb_bad t3rd - 100 4
nb_bad t3rd - 300 3
for b in $BAD2; do
	get1 "$b" "$T/one" || fail "block $b: still fails after the sectors were cleared"
	blocks "$T/d2" "$b" 1 "$T/b1"
	cmp -s "$T/one" "$T/b1" || fail "block $b: wrong data after the sectors were cleared"
done
log "ok: the 7 blocks read right once their sectors are good"
verify 1024 "$T/d2" "after clearing the bad blocks"
assert_eq "$(tstat disk pages)" "$P" "the disk still holds its pages"
assert_eq "$(vstat stored_pages)" 1024 "1024 pages stored"
assert_ok "dev del" vswapctl dev del vswap0
nb_remove t3rd
log "case 2 took $(($(date +%s) - t1)) s"

# === 3. migration errors ===============================================================
log "--- 3. migration from a tier with bad blocks ---"
t1=$(date +%s)
nb_create t3src 16
SRC=$NB_DEV
nb_create t3dst 16
DST=$NB_DEV
assert_ok "dev add" vswapctl dev add vswap0 --size 16M
assert_ok "ram: limit 1M" vswapctl tier set vswap0 ram --limit 1M --high-wmark 100 --low-wmark 90
assert_ok "tier add src" vswapctl tier add vswap0 "$SRC" --name src --class fast
make_file random 1024 "$T/d3"
dd if="$T/d3" of=/dev/vswap0 bs=64k oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing 4 MiB failed"
verify 1024 "$T/d3" "4 MiB through a 1 MiB RAM tier"
P=$(tstat src pages)
R0=$(tstat ram pages)
assert_gt "$P" 503 "the src tier's slots 0..503 are in use"
assert_ok "tier add dst" vswapctl tier add vswap0 "$DST" --name dst --class slow
nb_bad t3src + 40 4
nb_bad t3src + 500 3
e0=$(tstat src io_errors)
out=$(vswapctl -j migrate vswap0 --from src --to dst --wait 2>&1) || {
	echo "$out" | sed 's/^/#   /'
	fail "migrate src -> dst failed"
}
log "migrate: $out"
assert_str "$(echo "$out" | "$JC" -p state)" "done" "the migration is done"
S=$(tstat src pages)
D=$(tstat dst pages)
log "after the migration: src $S pages, dst $D pages (of $P)"
assert_eq "$(echo "$out" | "$JC" -p moved_bytes)" $((D * 4096)) "moved_bytes = dst pages"
assert_ge "$S" 7 "the slots that could not be read stayed on src"
# A read of a batch fails as a whole: at most a batch (32 slots) stays per bad slot.
assert_le "$S" $((7 * 32)) "at most a batch stays per bad slot"
assert_gt "$D" 0 "the rest moved to dst"
assert_eq $((S + D)) "$P" "src + dst = the pages src held"
assert_eq "$(tstat ram pages)" "$R0" "the RAM tier kept its pages"
assert_eq $(($(tstat same pages) + $(tstat ram pages) + S + D)) "$(vstat stored_pages)" \
	"same + ram + src + dst = stored_pages"
assert_eq "$(vstat stored_pages)" 1024 "1024 pages stored"
assert_eq "$(tstat src migrated_out)" "$D" "src: migrated_out"
assert_eq "$(tstat dst migrated_in)" "$D" "dst: migrated_in"
assert_eq "$(tstat dst demotions)" "$D" "dst: demotions"
assert_gt "$(tstat src io_errors)" "$e0" "src: the failed reads are counted"
assert_gt "$(tj src failed_reads)" 0 "src: failed_reads"
assert_eq "$(tstat dst io_errors)" 0 "dst: no I/O error"
read_all 1024 "$T/back"
check_failed_blocks "$T/d3" "$T/back" 7 "read after the migration"
nb_bad t3src - 40 4
nb_bad t3src - 500 3
verify 1024 "$T/d3" "after clearing the bad blocks"
out=$(vswapctl -j migrate vswap0 --from src --to dst --wait 2>&1) || {
	echo "$out" | sed 's/^/#   /'
	fail "second migrate src -> dst failed"
}
assert_eq "$(tstat src pages)" 0 "the second migration emptied src"
assert_eq "$(tstat dst pages)" "$P" "dst holds everything src held"
assert_eq "$(tstat dst demotions)" "$P" "dst: demotions"
verify 1024 "$T/d3" "after the second migration"
assert_ok "dev del" vswapctl dev del vswap0
nb_remove t3src
nb_remove t3dst
log "case 3 took $(($(date +%s) - t1)) s"

# === 4. surprise removal ===============================================================
log "--- 4. surprise removal of a tier holding data ---"
t1=$(date +%s)
nb_create t3gone 16
GONE=$NB_DEV
nb_create t3spare 16
SPARE=$NB_DEV
assert_ok "dev add" vswapctl dev add vswap0 --size 16M
assert_ok "ram: limit 1M" vswapctl tier set vswap0 ram --limit 1M --high-wmark 100 --low-wmark 90
assert_ok "tier add gone" vswapctl tier add vswap0 "$GONE" --name gone --class fast
make_file random 768 "$T/d4"
dd if="$T/d4" of=/dev/vswap0 bs=64k oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing 3 MiB failed"
verify 768 "$T/d4" "3 MiB through a 1 MiB RAM tier"
G=$(tstat gone pages)
R=$(tstat ram pages)
assert_eq $((R + G)) 768 "ram + gone pages = 768"
assert_gt "$G" 0 "pages on the disk to be removed"
assert_ok "tier add spare" vswapctl tier add vswap0 "$SPARE" --name spare --class slow
L=$(mon_lines)
echo 0 >"$NBCFG/t3gone/power" || fail "powering t3gone off"
wait_for 5 sh -c "! test -b $GONE" || log "warning: $GONE still present after power off"
log "t3gone powered off (the disk is deleted while vswap holds it)"
read_all 768 "$T/back"
assert_eq "$RERR" "$G" "reads that fail: the slots that lived on the removed disk"
# RAM was filled first, the disk took the rest in write order.
same_region "$T/d4" "$T/back" 0 "$R" || fail "the first $R blocks (RAM) differ"
make_file zero "$G" "$T/zeroG"
blocks "$T/back" "$R" "$G" "$T/r1"
cmp -s "$T/r1" "$T/zeroG" || fail "a block of the removed disk read back data instead of failing"
log "ok: the $R RAM blocks read back intact, the $G on the removed disk failed with EIO"
assert_str "$(tj gone state)" degraded "the removed disk's tier is degraded"
assert_ge "$(tstat gone io_errors)" 8 "gone: io_errors"
wait_event "$L" read "read errors of the removed disk reported"
dmesg_check_clean
# A drain of it reads nothing: the engine gives up (migrate event "failed").
L=$(mon_lines)
if out=$(vswapctl tier del vswap0 gone --drain 2>&1); then
	wait_for 60 sh -c "tail -n +$((L + 1)) '$MON' | grep '\"event\":\"migrate\"' | grep -q '\"state\":\"failed\"'" || {
		events_since "$L" | tail -n 5 | sed 's/^/#   /'
		fail "the drain of the removed disk did not fail within 60 s"
	}
	log "ok: the drain of the removed disk failed: $(events_since "$L" | grep '"state":"failed"' | head -n 1)"
else
	log "ok: a drain of the removed disk is refused: $out"
fi
assert_eq "$(tstat gone pages)" "$G" "gone still holds its slots"
assert_eq "$(tstat spare pages)" 0 "nothing moved to spare"
assert_str "$(tj gone state)" degraded "gone is degraded"
# vswapctl tier del --drain --wait must return (status 2) when the drain fails.
rc=0
out=$(timeout 20 vswapctl tier del vswap0 gone --drain --wait 2>&1) || rc=$?
case $rc in
0) fail "tier del --drain --wait of the removed disk succeeded: $out" ;;
124 | 143)
	log "NOT OK: 'vswapctl tier del --drain --wait' still waits 20 s after the drain failed (the test goes on, and will fail)"
	_EXPECT_FAILS=$((_EXPECT_FAILS + 1)) ;;
*) log "ok: tier del --drain --wait fails (status $rc): $(echo "$out" | tail -n 1)" ;;
esac
assert_eq "$(tstat gone pages)" "$G" "gone still holds its slots"
# New data over half of the lost blocks: RAM is full, gone degraded: spare.
blocks "$T/d4" 0 "$R" "$T/d4n"
make_file random $((G / 2)) "$T/r1"
cat "$T/r1" >>"$T/d4n"
put "$T/d4n" "$R" $((G / 2)) || fail "writing over lost blocks failed"
assert_eq "$(tstat spare pages)" $((G / 2)) "the new data went to spare"
assert_eq "$(tstat gone pages)" $((G - G / 2)) "the overwritten slots left gone"
read_all 768 "$T/back"
assert_eq "$RERR" $((G - G / 2)) "only the blocks not rewritten still fail"
same_region "$T/d4n" "$T/back" 0 $((R + G / 2)) || fail "blocks 0..$((R + G / 2 - 1)) differ"
log "ok: old RAM data and the new data read back intact"
make_file random 64 "$T/r1"
dd if="$T/r1" of=/dev/vswap0 bs=4096 seek=2048 oflag=direct conv=notrunc 2>/dev/null ||
	fail "writing to unused blocks failed"
dd if=/dev/vswap0 of="$T/r2" bs=4096 skip=2048 count=64 iflag=direct 2>/dev/null ||
	fail "reading the new blocks failed"
cmp -s "$T/r1" "$T/r2" || fail "new blocks differ"
log "ok: writes to fresh blocks succeed and read back"
assert_eq "$(vstat stored_pages)" $((768 + 64)) "stored_pages"
assert_eq $(($(tstat ram pages) + $(tstat gone pages) + $(tstat spare pages))) \
	$((768 + 64)) "ram + gone + spare = stored_pages"
dmesg_check_clean
assert_ok "dev del with a tier on the removed disk" vswapctl dev del vswap0
kill "$MON_PID" 2>/dev/null
wait "$MON_PID" 2>/dev/null
untrack_pid "$MON_PID"
vswap_unload
nb_remove t3gone
nb_remove t3spare
if grep -q '^null_blk ' /proc/modules; then
	assert_ok "rmmod null_blk (nothing holds the removed disk)" rmmod null_blk
fi
log "case 4 took $(($(date +%s) - t1)) s"
test_done
