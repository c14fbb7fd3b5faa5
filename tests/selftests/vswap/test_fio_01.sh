#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-lane: skip the RAM tier's store and load paths run under KASAN in test_io_01, test_swap_* and test_tier_*
# vm: mem=512M smp=2 timeout=300
# smoke: yes
#
# fio data integrity on /dev/vswap0 with verify=crc32c (verify_fatal=1,
# exit code checked): random (incompressible) data, compressible data
# (buffer_compress_percentage + refill_buffers), zero buffers, a
# repeated buffer_pattern, truly same-filled pages (verify=pattern, no
# header), overwrite passes over the same blocks with other content, and
# trims (trimmed blocks must read back as zeroes, the rest stays intact)
# and trims mixed with writes (trimwrite, 8 KiB and 2 MiB = one cluster).  A negative control corrupts one block behind
# fio's back and requires fio's verify to fail.  Each data kind is checked
# to land where it should (same tier, compressed or raw RAM pages).
#
# test_fio_02.sh and test_fio_03.sh source this file with another
# FIO_COMP.
. "$(dirname "$0")/test_common.sh"

FIO_COMP=${FIO_COMP:-lz4}
DEV=/dev/vswap0
MB=1048576

test_init "fio verify=crc32c on vswap0, comp=$FIO_COMP"
require_vswap
require_cmd fio

# fio_ok NAME ARGS...: run one fio job, which must succeed with no errors.
fio_ok() {
	local local_name local_out local_rc
	local_name=$1
	shift
	local_out=$TEST_TMP/fio-$local_name.out
	local_rc=0
	fio --name="$local_name" --filename=$DEV --direct=1 --ioengine=libaio \
		--iodepth=8 --verify_fatal=1 --exitall_on_error=1 \
		--group_reporting "$@" >"$local_out" 2>&1 || local_rc=$?
	if [ "$local_rc" -ne 0 ] || grep -qiE 'verify: bad|verify failed|bad magic|bad header|err= *[1-9]' "$local_out"; then
		sed 's/^/#   /' "$local_out"
		fail "fio job $local_name failed (exit $local_rc)"
	fi
	log "ok: fio $local_name: $(grep -E '^ +(WRITE|READ|TRIM):' "$local_out" | sed 's/^ *//; s/(.*//' | tr '\n' ' ')"
}

vswap_load size=128M comp=$FIO_COMP
assert_str "$(vstat algorithm)" "$FIO_COMP" "algorithm"
COMMON="--verify=crc32c --do_verify=1 --rw=randwrite"

# 1. Random data, two writers on disjoint halves: incompressible, raw.
fio_ok random $COMMON --bs=4k --size=8M --numjobs=2 --offset_increment=8M \
	--refill_buffers
assert_eq "$(vstat stored_pages)" 4096 "16 MiB of random data stored"
assert_ge "$(tstat ram huge_pages)" 4096 "random pages are stored raw (huge_pages)"
assert_le "$(tstat ram payload_bytes)" "$(tstat ram orig_bytes)" "raw pages are never stored bigger"

# 2. Compressible data, variable block sizes.
ram_o=$(tstat ram orig_bytes) ram_s=$(tstat ram payload_bytes)
fio_ok compressible $COMMON --bsrange=4k-64k --offset=16M --size=16M \
	--buffer_compress_percentage=70 --buffer_compress_chunk=512 --refill_buffers
o=$(($(tstat ram orig_bytes) - ram_o)) s=$(($(tstat ram payload_bytes) - ram_s))
log "compressible: $o bytes stored in $s bytes"
assert_eq "$o" $((16 * MB)) "16 MiB of compressible data on the RAM tier"
expect_lt "$s" $((o * 3 / 4)) "70%-compressible data is stored compressed"

# 3. Zero buffers (fio's verify header makes them not quite zero pages).
fio_ok zero $COMMON --bs=4k --offset=32M --size=8M --zero_buffers
# 4. A repeated 4-byte buffer pattern (again with the verify header).
fio_ok pattern $COMMON --bs=16k --offset=40M --size=8M --buffer_pattern=0xdeadbeef

# 5. Truly same-filled pages: verify=pattern writes nothing but the pattern.
same0=$(tstat same pages)
fio_ok same-beef --rw=write --bs=64k --offset=48M --size=8M \
	--verify=pattern --verify_pattern=0xdeadbeef --do_verify=1
fio_ok same-zero --rw=write --bs=64k --offset=56M --size=8M \
	--verify=pattern --verify_pattern=0x00 --do_verify=1
assert_eq $(($(tstat same pages) - same0)) 4096 "16 MiB of same-filled pages on the same tier"
assert_eq "$(tstat same payload_bytes)" 0 "the same tier stores no bytes"

# 6. Overwrite passes: the random region again with other content, twice.
stored=$(vstat stored_pages)
fio_ok overwrite-compressible $COMMON --bs=8k --size=16M --refill_buffers \
	--buffer_compress_percentage=50
fio_ok overwrite-pattern $COMMON --bsrange=4k-32k --size=16M \
	--buffer_pattern=0x01020304
fio_ok overwrite-random --rw=write --verify=crc32c --do_verify=1 --bs=128k \
	--size=16M --refill_buffers
assert_eq "$(vstat stored_pages)" "$stored" "overwrites replace slots, they do not add any"

# 7. Trims: written data, then a random trim of part of it; the trimmed
# part must read back as zeroes (verify=pattern 0x00), the rest intact;
# then trims mixed with writes (trimwrite) over live data, verified.
fio_ok trim-src --rw=write --verify=crc32c --do_verify=1 --bs=4k --offset=64M \
	--size=32M --refill_buffers --buffer_compress_percentage=40
stored=$(vstat stored_pages) disc0=$(vstat discards)
fio_ok trim --rw=randtrim --bs=16k --offset=64M --size=8M
assert_eq $(($(vstat discards) - disc0)) 2048 "fio's trims reached vswap (8 MiB of slots)"
assert_eq "$(vstat stored_pages)" $((stored - 2048)) "trimmed slots were released"
fio_ok trim-zero --rw=write --bs=64k --offset=64M --size=8M \
	--verify=pattern --verify_pattern=0x00 --verify_only=1
fio_ok trim-rest --rw=write --bs=4k --offset=72M --size=24M --verify=crc32c \
	--verify_only=1
# trimwrite: every range is trimmed, then written, then verified; with
# 2 MiB blocks each trim empties a whole cluster table first.
for bs in 8k 2M; do
	disc0=$(vstat discards) w0=$(vstat writes) stored=$(vstat stored_pages)
	fio_ok trimwrite-$bs --rw=trimwrite --bs=$bs --offset=72M --size=16M \
		--verify=crc32c --do_verify=1 --refill_buffers --buffer_compress_percentage=60
	assert_eq $(($(vstat discards) - disc0)) 4096 "trimwrite bs=$bs: 16 MiB trimmed"
	assert_eq $(($(vstat writes) - w0)) 4096 "trimwrite bs=$bs: 16 MiB written"
	assert_eq "$(vstat stored_pages)" "$stored" "trimwrite bs=$bs: slot count unchanged"
done
# (fio 3.33's randtrimwrite issues only trims, and trim_percentage with
# trim_backlog crashes it: neither is used.)

vswap_show vswap0
assert_no_failed_io vswap0
assert_stats_consistent vswap0

# 9. Negative control: fio must catch a corrupted block.
fio_ok ctl-write --rw=write --bs=4k --offset=120M --size=4M --verify=crc32c \
	--do_verify=0 --refill_buffers
fio_ok ctl-check --rw=write --bs=4k --offset=120M --size=4M --verify=crc32c \
	--verify_only=1
make_file random 1 "$TEST_TMP/junk"
dev_write vswap0 $((120 * 256 + 77)) 1 "$TEST_TMP/junk" || fail "corrupting write"
rc=0
fio --name=ctl-corrupt --filename=$DEV --direct=1 --ioengine=libaio --iodepth=8 \
	--rw=write --bs=4k --offset=120M --size=4M --verify=crc32c --verify_only=1 \
	--verify_fatal=1 >"$TEST_TMP/fio-ctl-corrupt.out" 2>&1 || rc=$?
grep -iE 'verify|bad|crc' "$TEST_TMP/fio-ctl-corrupt.out" | head -n 3 | sed 's/^/#   /'
assert_ne "$rc" 0 "fio verify fails (exit status) on a corrupted block"
grep -qiE 'crc32c|bad magic|verify failed|verify: bad' "$TEST_TMP/fio-ctl-corrupt.out" ||
	fail "fio failed but did not report a verify error"
log "ok: fio reported the corruption"

vswap_unload
test_done
