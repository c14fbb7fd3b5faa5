#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest half of `make bench` (runs as /vm/script under the harness
# initramfs): measures vswap and zram with the same algorithm (lz4) and
# device size; the backing-tier measurements are in guest-tiers.sh
# (sourced, shipped as /vm/guest-tiers.sh).  Prints one machine-readable
# line per measurement (DEV is vswap, zram, or dd for a raw device):
#
#   BENCH info KEY VALUE...
#   BENCH sample ROW DEV REP VALUE
#
# DEV vswap-NAME is a variant: vswap loaded with the module parameters
# VARIANTS gives NAME ("NAME:p=v,p=v NAME2:..."), measured in the fio,
# swap and lat sections next to the defaults (vswap) and zram.
#   BENCH error WHAT
#   BENCH end
#
# Everything is judged on the host (tests/bench/run.sh); nothing here
# compares numbers.  Exits non-zero only when something broke.
set -Eeuo pipefail

# Defaults; run.sh overrides them through /vm/bench.env.
REPS=5 RUNTIME=8 RAMP=2 DEV_SIZE=1G FIO_SIZE=256M COMPRESS=50
SWAP_MIB=64 SWAP_LIMIT_MIB=32 SWAP_PASSES=2 SEED=1234 META=1 ZRAM_1T_ONCE=1
SECTIONS="fio swap meta tiers" VARIANTS=""
# Backing tiers (guest-tiers.sh): MiB demoted, MiB per latency run, idle
# age (s) of the RAM tier and of zram's writeback loop, the module's
# aging interval, the RAM tier's limit and swap_stress passes there.
DEMOTE_MIB=64 LAT_MIB=16 IDLE_AGE=2 AGE_INTERVAL=1 TIER_RAM_LIMIT_MIB=16
TIER_SWAP_PASSES=2 ZRAM_IDLE=age PREFILL_FAST_MIB=256
SWAP_STRESS=/vm/swap_stress
# shellcheck disable=SC1091 # written by run.sh
[ ! -r /vm/bench.env ] || . /vm/bench.env
[ "$META" != 0 ] || SECTIONS=${SECTIONS//meta/}
# shellcheck source=tests/bench/guest-lib.sh
. /vm/guest-lib.sh
# shellcheck source=tests/bench/guest-tiers.sh
. /vm/guest-tiers.sh

CG=/sys/fs/cgroup/bench
SLOTS_64G=$(((64 << 30) / 4096))
SLOTS_1T=$(((1 << 40) / 4096))

trap 'die "line $LINENO: command failed (rc $?)"' ERR

# Console printk would interleave with our lines; warnings still reach
# dmesg, which is dumped at the end.
dmesg -n 1

# --- devices --------------------------------------------------------------

# vswap_params KIND: set the module's writable parameters to its
# defaults, then to KIND's values; the next device made takes them (the
# parameters are read at device creation).
VSWAP_DEFAULTS=/tmp/vswap-param-defaults
vswap_params() {
	local p
	if [ ! -e "$VSWAP_DEFAULTS" ]; then
		for p in sync blocking; do
			echo "$p=$(cat "/sys/module/vswap/parameters/$p")"
		done >"$VSWAP_DEFAULTS"
	fi
	# shellcheck disable=SC2046 # one word per parameter
	for p in $(cat "$VSWAP_DEFAULTS") $(variant_params "$1"); do
		echo "${p#*=}" >"/sys/module/vswap/parameters/${p%%=*}" ||
			die "$1: module parameter $p refused"
	done
}

# dev_up KIND SIZE [ID]: fresh device, lz4, SIZE bytes (K/M/G/T suffix);
# a vswap kind gets /dev/vswapID [0], made with vswapctl once the module
# parameters are KIND's (several vswap kinds may be up side by side).
# Prints its path.
dev_up() {
	local id=${3:-0} out
	case $1 in
	vswap*)
		grep -q '^vswap ' /proc/modules || modprobe vswap || die "modprobe vswap"
		vswap_params "$1"
		out=$(vswapctl dev add "vswap$id" --size "$2" --algo lz4 2>&1) ||
			die "vswapctl dev add vswap$id --size $2 ($1): $out"
		wait_bdev "/dev/vswap$id"
		[ "$(cat "/sys/block/vswap$id/vswap/algorithm")" = lz4 ] ||
			die "vswap$id algorithm is not lz4"
		echo "/dev/vswap$id"
		;;
	zram)
		modprobe zram num_devices=1 || die "modprobe zram"
		wait_bdev /dev/zram0
		echo lz4 >/sys/block/zram0/comp_algorithm || die "zram0: lz4 refused"
		echo "$2" >/sys/block/zram0/disksize || die "zram0: disksize=$2 refused"
		grep -q '\[lz4\]' /sys/block/zram0/comp_algorithm || die "zram0 algorithm is not lz4"
		echo /dev/zram0
		;;
	esac
}

# dev_down KIND [ID]: the module goes with the last vswap device.
dev_down() {
	local id=${2:-0} out
	case $1 in
	vswap*)
		out=$(vswapctl dev del "vswap$id" 2>&1) || die "vswapctl dev del vswap$id: $out"
		if ! ls -d /sys/block/vswap* >/dev/null 2>&1; then
			rmmod vswap || die "rmmod vswap"
		fi
		;;
	zram)
		echo 1 >/sys/block/zram0/reset || die "zram0 reset"
		rmmod zram || die "rmmod zram"
		;;
	esac
}

# Bytes held by the compressed pool (zsmalloc pages, same for both).
pool_bytes() {
	case $1 in
	vswap*) cat "/sys/block/vswap${2:-0}/vswap/tiers/ram/pool_bytes" ;;
	zram) awk '{print $3}' /sys/block/zram0/mm_stat ;;
	esac
}

# --- fio ------------------------------------------------------------------

ctxt() { awk '$1 == "ctxt" {print $2}' /proc/stat; }

# fio_run KIND DEV REP ROW RW [fio args]: one time-bounded 4k job pair,
# emits total IOPS, and context switches per I/O (ramp included, so
# approximate): a driver that completes inline costs ~0, one whose I/O
# is handed to a worker costs ~2.  Terse v3: field 5 error, 8 read IOPS,
# 49 write IOPS.
fio_run() {
	local kind=$1 dev=$2 rep=$3 row=$4 rw=$5 out c0 c1
	shift 5
	c0=$(ctxt)
	out=$(fio --name="$row" --filename="$dev" --rw="$rw" --bs=4k \
		--direct=1 --ioengine=psync --numjobs=2 --group_reporting \
		--size="$FIO_SIZE" --time_based --runtime="$RUNTIME" \
		--ramp_time="$RAMP" --norandommap --randrepeat=1 \
		--randseed="$SEED" --refill_buffers \
		--buffer_compress_percentage="$COMPRESS" \
		--output-format=terse --terse-version=3 --eta=never "$@" 2>&1) ||
		die "fio $row on $dev: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	c1=$(ctxt)
	out=$(echo "$out" | grep '^3;' | tail -n 1)
	[ -n "$out" ] || die "fio $row on $dev: no terse output"
	echo "$out" | awk -F';' -v row="$row" -v kind="$kind" -v rep="$rep" \
		-v cs=$((c1 - c0)) -v t=$((RUNTIME + RAMP)) '
		$5 != 0 { print "BENCH error fio " row " " kind ": error " $5; exit 1 }
		{ iops = $8 + $49
		  printf "BENCH sample %s %s %s %.0f\n", row, kind, rep, iops
		  printf "BENCH sample %s_cs %s %s %.2f\n", row, kind, rep, cs / (iops * t + 1) }' ||
		die "fio $row on $dev reported an error"
}

# bench_fio REP KIND...: both devices up side by side, and every fio job
# run on each in turn, so that the two samples of a pair are seconds
# apart and share whatever the host was doing then.
bench_fio() {
	local rep=$1 kind job dev id=0
	local -A devs=() ids=()
	shift
	for kind in "$@"; do
		phase fio "$kind" "$rep"
		if [[ $kind == vswap* ]]; then
			ids[$kind]=$id
			id=$((id + 1))
		fi
		devs[$kind]=$(dev_up "$kind" "$DEV_SIZE" "${ids[$kind]:-}")
		dev=${devs[$kind]}
		# Reads need data: fill the region once, sequentially, untimed.
		fio --name=prefill --filename="$dev" --rw=write --bs=1M --direct=1 \
			--ioengine=psync --size="$FIO_SIZE" --randseed="$SEED" \
			--refill_buffers --buffer_compress_percentage="$COMPRESS" \
			--eta=never --output=/dev/null || die "fio prefill on $dev"
		emit sample pool_mib "$kind" "$rep" "$(pool_bytes "$kind" "${ids[$kind]:-}" |
			awk '{printf "%.1f", $1 / 1048576}')"
		# A bio-based device (zram on 6.12) has no scheduler.
		emit info queue "$kind" "$rep" scheduler \
			"$(cat "/sys/block/${dev#/dev/}/queue/scheduler" 2>/dev/null || echo none)"
	done
	for job in randwrite randread randrw randwrite_aio; do
		for kind in "$@"; do
			dev=${devs[$kind]}
			case $job in
			randrw) fio_run "$kind" "$dev" "$rep" randrw randrw --rwmixread=70 ;;
			# Diagnostic: libaio at depth 1 flushes its plug before
			# it waits, so a blk-mq driver gets the write in the
			# submitter's context; a psync write sleeps with its
			# request still plugged, and the flush from schedule()
			# runs the queue from kblockd.
			randwrite_aio)
				fio_run "$kind" "$dev" "$rep" randwrite_aio randwrite \
					--ioengine=libaio --iodepth=1
				;;
			*) fio_run "$kind" "$dev" "$rep" "$job" "$job" ;;
			esac
		done
	done
	for kind in "$@"; do
		if [[ $kind == vswap* ]]; then
			emit info vswap_stats "$kind" "$rep" \
				"$(cd "/sys/block/vswap${ids[$kind]}/vswap" && grep . failed_reads failed_writes meta_bytes clusters | tr '\n' ' ')"
			[ "$(cat "/sys/block/vswap${ids[$kind]}/vswap/failed_reads")" = 0 ] ||
				die "$kind: failed reads"
		fi
		dev_down "$kind" "${ids[$kind]:-}"
	done
}

# --- swap -----------------------------------------------------------------


# swap_stress in a memory cgroup: the working set is SWAP_MIB against a
# memory.max of SWAP_LIMIT_MIB, independent of the guest's RAM (which is
# sized for the 1 TiB metadata test), and a runaway cannot OOM the bench.
bench_swap() {
	local kind=$1 rep=$2 dev t0 t1 in0 out0 rc=0 log
	phase swap "$kind" "$rep"
	dev=$(dev_up "$kind" "$DEV_SIZE")
	mkswap "$dev" >/dev/null || die "mkswap $dev"
	swapon "$dev" || die "swapon $dev"
	mkdir -p "$CG"
	echo "${SWAP_LIMIT_MIB}M" >"$CG/memory.max"
	echo 3 >/proc/sys/vm/drop_caches
	in0=$(vmstat_get pswpin) out0=$(vmstat_get pswpout)
	log=/tmp/swap_stress.log
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner shell
	bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG" \
		"$SWAP_STRESS" -m "$SWAP_MIB" -t 2 -p "$SWAP_PASSES" -s "$SEED" \
		>"$log" 2>&1 || rc=$?
	t1=$EPOCHREALTIME
	if [ $rc -ne 0 ] || ! grep -q '^# swap_stress: PASS' "$log"; then
		sed 's/^/  /' "$log"
		die "swap_stress on $kind: rc $rc (verify mismatch or setup error)"
	fi
	emit sample swap_wall_s "$kind" "$rep" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')"
	emit info swap_io "$kind" "$rep" pswpin $(($(vmstat_get pswpin) - in0)) \
		pswpout $(($(vmstat_get pswpout) - out0))
	swapoff "$dev" || die "swapoff $dev"
	rmdir "$CG"
	dev_down "$kind"
}

# --- swap-in latency from RAM --------------------------------------------

# bench_lat KIND REP: swapin_lat (guest-tiers.sh's lat_run) on a device
# with only its zero and RAM tiers, one page per fault: the RAM-tier
# swap-in latency of every variant against zram's.
bench_lat() {
	local kind=$1 rep=$2 dev pc
	phase lat "$kind" "$rep"
	dev=$(dev_up "$kind" "$DEV_SIZE")
	mkswap "$dev" >/dev/null || die "mkswap $dev"
	swapon "$dev" || die "swapon $dev"
	pc=$(cat /proc/sys/vm/page-cluster)
	echo 0 >/proc/sys/vm/page-cluster
	lat_run "$kind" ram "$rep" swapin_ram
	echo "$pc" >/proc/sys/vm/page-cluster
	swapoff "$dev" || die "swapoff $dev"
	dev_down "$kind"
}

# --- metadata -------------------------------------------------------------

meminfo_now() {
	awk '$1 == "MemFree:" {f = $2} $1 == "Slab:" {s = $2}
	     $1 == "VmallocUsed:" {v = $2} $1 == "Percpu:" {p = $2}
	     END {print f, s, v, p}' /proc/meminfo
}

# Settled kernel memory counters (kB): MemFree Slab VmallocUsed Percpu.
# RCU-deferred frees and lazy vfree purges land a little after rmmod or
# reset: read until MemFree moves by less than 256 kB between reads.
meminfo() {
	local prev cur i
	cur=$(meminfo_now)
	for i in 1 2 3 4 5 6; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 0.3
		prev=$cur
		cur=$(meminfo_now)
		[ "$i" -lt 2 ] || [ $(((${cur%% *} - ${prev%% *}) / 256)) != 0 ] || break
	done
	echo "$cur"
}

# delta_bytes BEFORE AFTER: bytes taken, by MemFree, and by the sum of
# the tracked kernel allocators (Slab + VmallocUsed + Percpu).
delta_bytes() {
	echo "$1 $2" | awk '{printf "%.0f %.0f\n", ($1 - $5) * 1024,
		(($6 - $2) + ($7 - $3) + ($8 - $4)) * 1024}'
}

# bench_meta REP: what a 64 GiB and a 1 TiB device cost before any write.
# vswap: modprobe with size= minus modprobe without (module text, table
# mempool), i.e. the device alone.  zram: around setting disksize.
bench_meta() {
	local rep=$1 m0 m1 base size slots d tracked need avail

	phase meta all "$rep"
	m0=$(meminfo)
	modprobe vswap || die "modprobe vswap (no devices)"
	m1=$(meminfo)
	rmmod vswap || die "rmmod vswap"
	read -r base _ < <(delta_bytes "$m0" "$m1")
	emit info meta_raw vswap "$rep" module_only "$base" before "$m0" after "$m1"
	for size in 64G 1T; do
		slots=$SLOTS_64G
		[ $size = 64G ] || slots=$SLOTS_1T
		m0=$(meminfo)
		modprobe vswap size=$size comp=lz4 || die "modprobe vswap size=$size"
		wait_bdev /dev/vswap0
		m1=$(meminfo)
		read -r d tracked < <(delta_bytes "$m0" "$m1")
		emit sample "meta_${size}_meminfo" vswap "$rep" \
			"$(awk -v d="$d" -v b="$base" -v n="$slots" 'BEGIN {printf "%.4f", (d - b) / n}')"
		emit sample "meta_${size}_driver" vswap "$rep" \
			"$(awk -v d="$(cat /sys/block/vswap0/vswap/meta_bytes)" -v n="$slots" 'BEGIN {printf "%.4f", d / n}')"
		emit info meta_raw vswap "$rep" "$size" memfree_delta "$d" module_only "$base" tracked_delta "$tracked"
		rmmod vswap || die "rmmod vswap"
	done

	modprobe zram num_devices=1 || die "modprobe zram"
	wait_bdev /dev/zram0
	echo lz4 >/sys/block/zram0/comp_algorithm
	for size in 64G 1T; do
		slots=$SLOTS_64G
		[ $size = 64G ] || slots=$SLOTS_1T
		# zeroing a 6 GiB table takes a while under TCG and the result
		# (GiBs) dwarfs the noise (a few hundred kB): once is enough.
		if [ $size = 1T ] && [ "$rep" -gt 1 ] && [ "$ZRAM_1T_ONCE" = 1 ]; then
			continue
		fi
		m0=$(meminfo)
		# The 1 TiB table may not fit: then extrapolate from 64 GiB
		# (the table is linear in disksize) and say so.
		avail=$(awk '$1 == "MemAvailable:" {print $2 * 1024}' /proc/meminfo)
		need=$((slots * ${ZRAM_SLOT_BYTES:-24} + (256 << 20)))
		if [ $size = 1T ] && [ "$avail" -lt $need ]; then
			emit info zram_1t_computed "$rep" "needs $need B, MemAvailable $avail B"
			emit sample meta_1T_meminfo zram "$rep" "$ZRAM_64G_BPS"
			emit sample meta_1T_driver zram "$rep" "${ZRAM_SLOT_BYTES:-24}"
			continue
		fi
		echo $size >/sys/block/zram0/disksize || die "zram0: disksize=$size refused"
		m1=$(meminfo)
		read -r d tracked < <(delta_bytes "$m0" "$m1")
		ZRAM_64G_BPS=$(awk -v d="$d" -v n="$slots" 'BEGIN {printf "%.4f", d / n}')
		emit sample "meta_${size}_meminfo" zram "$rep" "$ZRAM_64G_BPS"
		# zram reports no metadata size: the table is disksize/4K
		# entries of sizeof(struct zram_table_entry), from the kernel's
		# config (24 B with CONFIG_ZRAM_MEMORY_TRACKING, 16 without).
		emit sample "meta_${size}_driver" zram "$rep" "${ZRAM_SLOT_BYTES:-24}"
		emit info meta_raw zram "$rep" "$size" memfree_delta "$d" tracked_delta "$tracked"
		echo 1 >/sys/block/zram0/reset || die "zram0 reset"
	done
	rmmod zram || die "rmmod zram"
	phase meta_end all "$rep"
}

# --- main -----------------------------------------------------------------

section() { [[ " $SECTIONS " == *" $1 "* ]]; }

[ -x "$SWAP_STRESS" ] || die "$SWAP_STRESS missing"
for m in vswap zram; do
	! grep -q "^$m " /proc/modules || die "$m already loaded"
done
emit info kernel "$(uname -r)"
emit info cpus "$(nproc)"
emit info mem_kb "$(awk '$1 == "MemTotal:" {print $2}' /proc/meminfo)"
emit info fio "$(fio --version)"
emit info vswap_version "$(modinfo -F version vswap 2>/dev/null || echo unknown)"
emit info params reps "$REPS" runtime "$RUNTIME" ramp "$RAMP" dev_size "$DEV_SIZE" \
	fio_size "$FIO_SIZE" compress "$COMPRESS" swap_mib "$SWAP_MIB" \
	swap_limit_mib "$SWAP_LIMIT_MIB" swap_passes "$SWAP_PASSES" seed "$SEED" \
	sections "${SECTIONS// /,}"
emit info variants "${VARIANTS:-none}"
! section tiers || tiers_init
if section lat && ! section tiers; then
	[ -x "$SWAPIN_LAT" ] || die "$SWAPIN_LAT missing"
	[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null || echo N)" = N ] ||
		echo N >/sys/module/zswap/parameters/enabled
fi

# Every device kind of the fio, swap and lat sections: vswap, zram, then
# the variants.  The backing-tier and metadata sections use vswap and
# zram only ($ORDER).
KINDS="vswap zram"
for v in $VARIANTS; do
	KINDS="$KINDS vswap-${v%%:*}"
done
# shellcheck disable=SC2086 # a list
KINDS_REV=$(printf '%s\n' $KINDS | tac | tr '\n' ' ')

# Alternate the devices within every repetition (per fio job, per swap
# run) and reverse their order on every other one (AB BA AB ...), so
# that drift and warm-up from host noise land on every side equally.
for ((rep = 1; rep <= REPS; rep++)); do
	ORDER="vswap zram" ALL=$KINDS
	[ $((rep % 2)) = 1 ] || ORDER="zram vswap" ALL=$KINDS_REV
	emit info rep "$rep" "$ALL" "$(cut -d' ' -f1 /proc/uptime)"
	# shellcheck disable=SC2086 # a list
	! section fio || bench_fio "$rep" $ALL
	if section swap; then
		for kind in $ALL; do
			bench_swap "$kind" "$rep"
		done
	fi
	if section lat; then
		for kind in $ALL; do
			bench_lat "$kind" "$rep"
		done
	fi
	! section meta || bench_meta "$rep"
	! section tiers || bench_tiers "$rep"
done

# Kernel reports would invalidate the numbers: fail on them.
if dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|soft lockup|hung_task|blocked for more than'; then
	die "kernel reported a problem (see above)"
fi
emit end
