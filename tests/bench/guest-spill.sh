#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest half of the spill section of `make bench` (runs as /vm/script in
# its own VM: tests/bench/run.sh boots it with SPILL_MEM of RAM and one
# emulated NVMe namespace).  Compressed RAM that spills to the NVMe,
# under global memory pressure (the whole VM short of memory, no memory
# cgroup, the hung-task detector armed), done three ways:
#
#   vswap   RAM tier (lz4) capped at POOL bytes, the NVMe as its fast
#           tier; module defaults otherwise (vswap-NAME: with the module
#           parameters SPILL_VARIANTS gives NAME, e.g. promote=1, and
#           ram_high=PCT / ram_low=PCT for the RAM tier's watermarks)
#   zswap   lz4, zsmalloc, max_pool_percent=POOL_PCT, the shrinker as the
#           kernel defaults it, in front of the NVMe as a swap partition
#   zram    lz4, mem_limit POOL, the NVMe as backing_dev, and a loop that
#           every ZRAM_IDLE_S seconds marks pages idle that long and
#           writes them back (what Android's mmd does on a timer)
#
# POOL is POOL_PCT% of MemTotal: zswap's pool limit, in bytes.  Each
# workload runs on each system in turn, the order rotated every rep:
#   uniform, skewed, phase   tierload (tierload.c), SPILL_FACTOR x MemTotal
#   redis                    guest-redis.sh
# Lines (read by report.py):
#   BENCH sample spill_WL_ROW SYS REP VALUE
#   BENCH spilltop SYS WL REP T RAM_PAGES DISK_PAGES POOL_BYTES
#   BENCH info ...   BENCH error WHAT   BENCH end
# No thresholds: exits non-zero only when something broke (a mismatch, a
# kernel report, a device missing).
set -Eeuo pipefail

REPS=3 SEED=1234 POOL_PCT=20 SPILL_FACTOR=2.3 SPILL_ACCESSES=60000
SPILL_WORKLOADS="uniform skewed phase redis" SPILL_SYSTEMS="vswap zswap zram"
SPILL_VARIANTS="" ZRAM_IDLE_S=2 SPILL_SAMPLE_S=1
REDIS_FACTOR=2 REDIS_REQS=100000 REDIS_CLIENTS=8 REDIS_VERIFY=20000
# shellcheck disable=SC1091 # written by run.sh
[ ! -r /vm/bench.env ] || . /vm/bench.env

NVME=${VM_NVME_DEVS%% *}
NVME_NAME=${NVME#/dev/}
TIERLOAD=/vm/tierload
ZSWAP=/sys/module/zswap/parameters
ZSWAP_DBG=/sys/kernel/debug/zswap

# shellcheck source=tests/bench/guest-lib.sh
. /vm/guest-lib.sh
VARIANTS=$SPILL_VARIANTS
trap 'die "line $LINENO: command failed (rc $?)"' ERR
dmesg -n 1

meminfo_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
MEM_KB=$(meminfo_kb MemTotal)
POOL=$((MEM_KB * 1024 * POOL_PCT / 100))
SET_MIB=$(awk -v m="$MEM_KB" -v f="$SPILL_FACTOR" 'BEGIN {printf "%d", m * f / 1024}')
SWAP_SIZE=$(((SET_MIB * 2 + 256) << 20))

# Sectors read (field 3) and written (field 7) on the NVMe so far.
nvme_rd_sectors() { awk '{print $3}' "/sys/block/$NVME_NAME/stat"; }
nvme_wr_sectors() { awk '{print $7}' "/sys/block/$NVME_NAME/stat"; }

ZRAM_LOOP=
sys_up() {
	case $1 in
	vswap*)
		local p mod=() ram=()
		# ram_high=PCT and ram_low=PCT set the RAM tier's watermarks;
		# the rest are module parameters.
		for p in $(variant_params "$1"); do
			case $p in
			ram_high=*) ram+=(--high-wmark "${p#*=}") ;;
			ram_low=*) ram+=(--low-wmark "${p#*=}") ;;
			*) mod+=("$p") ;;
			esac
		done
		modprobe vswap "${mod[@]}" || die "modprobe vswap ($1)"
		vsc dev add vswap0 --size "$SWAP_SIZE" --algo lz4
		wait_bdev /dev/vswap0
		vsc tier set vswap0 ram --limit "$POOL" "${ram[@]}"
		vsc tier add vswap0 "$NVME" --name fast --class fast
		SWAPDEV=/dev/vswap0
		;;
	zswap)
		echo lz4 >"$ZSWAP/compressor" || die "zswap: lz4 refused"
		echo zsmalloc >"$ZSWAP/zpool" || die "zswap: zsmalloc refused"
		echo "$POOL_PCT" >"$ZSWAP/max_pool_percent"
		echo Y >"$ZSWAP/enabled"
		SWAPDEV=$NVME
		;;
	zram)
		modprobe zram num_devices=1 || die "modprobe zram"
		wait_bdev /dev/zram0
		echo "$NVME" >/sys/block/zram0/backing_dev || die "zram0: backing_dev refused"
		echo lz4 >/sys/block/zram0/comp_algorithm || die "zram0: lz4 refused"
		echo "$SWAP_SIZE" >/sys/block/zram0/disksize
		echo "$POOL" >/sys/block/zram0/mem_limit
		SWAPDEV=/dev/zram0
		;;
	esac
	mkswap "$SWAPDEV" >/dev/null || die "mkswap $SWAPDEV"
	swapon "$SWAPDEV" || die "swapon $SWAPDEV"
	if [ "$1" = zram ]; then
		(
			trap - ERR
			while sleep "$ZRAM_IDLE_S"; do
				echo "$ZRAM_IDLE_S" >/sys/block/zram0/idle 2>/dev/null ||
					echo all >/sys/block/zram0/idle
				echo idle >/sys/block/zram0/writeback 2>/dev/null || true
			done
		) &
		ZRAM_LOOP=$!
	fi
	echo 3 >/proc/sys/vm/drop_caches
}

sys_down() {
	if [ -n "$ZRAM_LOOP" ]; then
		kill "$ZRAM_LOOP"
		wait "$ZRAM_LOOP" 2>/dev/null || true
		ZRAM_LOOP=
	fi
	swapoff "$SWAPDEV" || die "swapoff $SWAPDEV"
	case $1 in
	vswap*)
		# A free notification that found its slot busy leaves the data
		# until the slot is written again: discard it all.
		blkdiscard /dev/vswap0 || die "blkdiscard /dev/vswap0"
		vsc tier del vswap0 fast
		vsc dev del vswap0
		rmmod vswap || die "rmmod vswap"
		;;
	zswap)
		echo N >"$ZSWAP/enabled"
		;;
	zram)
		echo 1 >/sys/block/zram0/reset
		rmmod zram || die "rmmod zram"
		;;
	esac
}

# One line of where the swapped pages are: compressed RAM, the NVMe, and
# the compressed pool's bytes.
spill_state() {
	local sw
	case $1 in
	vswap*)
		local d=/sys/block/vswap0/vswap/tiers
		echo "$(($(cat $d/ram/pages) + $(cat $d/same/pages))) $(cat $d/fast/pages)" \
			"$(cat $d/ram/pool_bytes)"
		;;
	zswap)
		sw=$(awk -v d="$NVME" '$1 == d {print $4 / 4}' /proc/swaps)
		awk -v sw="${sw:-0}" -v st="$(cat $ZSWAP_DBG/stored_pages)" \
			-v pool="$(cat $ZSWAP_DBG/pool_total_size)" \
			'BEGIN {d = sw - st; printf "%d %d %d\n", st, d < 0 ? 0 : d, pool}'
		;;
	zram)
		# mm_stat: orig_data_size ... mem_used_total; bd_stat: bd_count.
		awk -v bd="$(awk '{print $1}' /sys/block/zram0/bd_stat)" \
			'{printf "%d %d %d\n", $1 / 4096, bd, $3}' /sys/block/zram0/mm_stat
		;;
	esac
}

sampler() {
	local sys=$1 wl=$2 rep=$3 t0
	t0=$(cut -d' ' -f1 /proc/uptime)
	trap - ERR
	while sleep "$SPILL_SAMPLE_S"; do
		emit spilltop "$sys" "$wl" "$rep" \
			"$(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' /proc/uptime)" \
			"$(spill_state "$sys" 2>/dev/null || echo "0 0 0")"
	done
}

# tierload_run SYS WL REP: one tierload run with its NVMe traffic.
tierload_run() {
	local sys=$1 wl=$2 rep=$3 log=/tmp/tierload.log rc=0 wr0 rd0 in0 out0 spid res
	local args=(-m "$SET_MIB" -t 2 -a "$SPILL_ACCESSES" -k "$wl" -s "$SEED")
	wr0=$(nvme_wr_sectors) rd0=$(nvme_rd_sectors)
	in0=$(vmstat_get pswpin) out0=$(vmstat_get pswpout)
	sampler "$sys" "$wl" "$rep" &
	spid=$!
	"$TIERLOAD" "${args[@]}" >"$log" 2>&1 || rc=$?
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	res=$(grep '^RESULT ' "$log" || true)
	if [ $rc -ne 0 ] || [ -z "$res" ]; then
		sed 's/^/  /' "$log"
		die "tierload $wl on $sys: rc $rc (a mismatch, OOM or setup error)"
	fi
	emit info tierload "$sys" "$wl" "$rep" "${res#RESULT }"
	emit info vmstat "$sys" "$wl" "$rep" pswpin $(($(vmstat_get pswpin) - in0)) \
		pswpout $(($(vmstat_get pswpout) - out0))
	# shellcheck disable=SC2086 # KEY=VALUE words
	set -- $res
	local kv
	for kv in "${@:2}"; do
		case ${kv%%=*} in
		aps | aps1 | aps2 | fill_s | access_s)
			emit sample "spill_${wl}_${kv%%=*}" "$sys" "$rep" "${kv#*=}"
			;;
		esac
	done
	emit sample "spill_${wl}_nvme_wr_mib" "$sys" "$rep" \
		$((($(nvme_wr_sectors) - wr0) / 2048))
	emit sample "spill_${wl}_nvme_rd_mib" "$sys" "$rep" \
		$((($(nvme_rd_sectors) - rd0) / 2048))
}

sys_info() {
	case $1 in
	vswap*)
		emit info vswap_tiers "$1" "$2" "$3" "$(cd /sys/block/vswap0/vswap/tiers &&
			grep . ram/pages ram/alloc_spills ram/promotions fast/pages \
				fast/writes fast/reads fast/demotions fast/promotions \
				fast/migrated_out | tr '\n' ' ')"
		;;
	zswap)
		emit info zswap "$1" "$2" "$3" "$(cd $ZSWAP_DBG && grep . ./* | tr '\n' ' ')"
		;;
	zram)
		emit info zram "$1" "$2" "$3" "mm_stat $(cat /sys/block/zram0/mm_stat)" \
			"bd_stat $(cat /sys/block/zram0/bd_stat)"
		;;
	esac
}

[ -b "$NVME" ] || die "no NVMe namespace (VM_NVME_DEVS='$VM_NVME_DEVS')"
[ -x "$TIERLOAD" ] || die "$TIERLOAD missing"
[ -d "$ZSWAP" ] || die "this kernel has no zswap"
[ -r /vm/guest-redis.sh ] || SPILL_WORKLOADS=${SPILL_WORKLOADS//redis/}
if [[ " $SPILL_WORKLOADS " == *" redis "* ]]; then
	# shellcheck source=tests/bench/guest-redis.sh
	. /vm/guest-redis.sh
fi
echo 120 >/proc/sys/kernel/hung_task_timeout_secs
emit info spill kernel "$(uname -r)" mem_kib "$MEM_KB" pool_bytes "$POOL" pool_pct "$POOL_PCT" \
	set_mib "$SET_MIB" accesses "$SPILL_ACCESSES" reps "$REPS" \
	systems "${SPILL_SYSTEMS// /,}" zswap_shrinker \
	"$(cat "$ZSWAP/shrinker_enabled" 2>/dev/null || echo n/a)"
for p in enabled compressor zpool max_pool_percent accept_threshold_percent \
	shrinker_enabled; do
	[ ! -r "$ZSWAP/$p" ] || emit info zswap_default "$p" "$(cat "$ZSWAP/$p")"
done
# Written once all over, so that no timed write lands on a hole of
# QEMU's image file.
dd if=/dev/zero of="$NVME" bs=1M count=$((SWAP_SIZE >> 20)) oflag=direct status=none ||
	die "prefill $NVME"

read -r -a systems <<<"$SPILL_SYSTEMS"
for rep in $(seq 1 "$REPS"); do
	for wl in $SPILL_WORKLOADS; do
		# Rotate the order every rep: none always runs first.
		for i in "${!systems[@]}"; do
			sys=${systems[$(((i + rep - 1) % ${#systems[@]}))]}
			phase "spill-$wl" "$sys" "$rep"
			sys_up "$sys"
			if [ "$wl" = redis ]; then
				bench_redis "$sys" "$rep"
			else
				tierload_run "$sys" "$wl" "$rep"
			fi
			sys_info "$sys" "$wl" "$rep"
			sys_down "$sys"
		done
	done
done

if dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|soft lockup|hung_task|blocked for more than|invoked oom-killer'; then
	dmesg | tail -n 200
	die "kernel reported a problem"
fi
emit end
