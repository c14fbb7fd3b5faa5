# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Backing-tier half of `make bench`, sourced by tests/bench/guest.sh
# (shipped as /vm/guest-tiers.sh): uses its emit, phase, die, wait_bdev,
# vmstat_get and CG.  The VM has an emulated NVMe namespace (FAST, the
# fast tier and zram's writeback device) and a throttled virtio disk
# (SLOW, the slow tier); run.sh attaches both.
#
#   bench_demote REP   demotion throughput RAM -> fast -> slow against
#                      raw dd of the same size on the same device
#   bench_latency REP  single swap-in faults (tests/bench/swapin_lat.c)
#                      from each tier, and from zram and its writeback
#   bench_tier_swap REP swap_stress with RAM + fast + slow tiers against
#                      zram with idle writeback to the same NVMe; vswap's
#                      run is sampled every second with vswapctl -j top
#                      (BENCH top REP JSON lines: report.py plots them)
#
# The vswap module is loaded with demote_rate=0 (no MiB/s limit) and
# age_interval=$AGE_INTERVAL for all three.

FAST=${VM_NVME_DEVS%% *}
SLOW=${VM_DISK_DEVS%% *}
SWAPIN_LAT=/vm/swapin_lat
RAND=/tmp/bench-rand

tstat() { cat "/sys/block/vswap0/vswap/tiers/$1/$2"; }

# One line of a tier's counters for the info lines.
tier_info() {
	local t=$1 f s=
	for f in pages stored_bytes writes reads demotions promotions migrated_in \
		migrated_out io_errors; do
		s="$s $f=$(tstat "$t" "$f")"
	done
	echo "$t:$s"
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
mibs() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN {printf "%.1f", n / (b - a)}'; }

# tvswap_up SIZE: a device made with vswapctl, ram tier (lz4) plus the
# fast and slow tiers.  The module comes and goes with each use.
tvswap_up() {
	modprobe vswap demote_rate=0 age_interval="$AGE_INTERVAL" ||
		die "modprobe vswap demote_rate=0 age_interval=$AGE_INTERVAL"
	vsc dev add vswap0 --size "$1" --algo lz4
	wait_bdev /dev/vswap0
	[ "$(cat /sys/block/vswap0/vswap/algorithm)" = lz4 ] || die "vswap0 algorithm is not lz4"
	[ $# -lt 2 ] || tvswap_tiers
}

tvswap_tiers() {
	vsc tier add vswap0 "$FAST" --name fast --class fast
	vsc tier add vswap0 "$SLOW" --name slow --class slow
}

# Everything freed (discard), tiers removed while empty, device and module gone.
tvswap_down() {
	local t
	if grep -q '^/dev/vswap0 ' /proc/swaps; then
		swapoff /dev/vswap0 || die "swapoff /dev/vswap0"
	fi
	blkdiscard /dev/vswap0 || die "blkdiscard /dev/vswap0"
	for t in fast slow; do
		[ ! -d "/sys/block/vswap0/vswap/tiers/$t" ] || vsc tier del vswap0 "$t"
	done
	vsc dev del vswap0
	rmmod vswap || die "rmmod vswap"
}

tzram_up() {
	modprobe zram num_devices=1 || die "modprobe zram"
	wait_bdev /dev/zram0
	echo "$FAST" >/sys/block/zram0/backing_dev || die "zram0: backing_dev $FAST refused"
	echo lz4 >/sys/block/zram0/comp_algorithm || die "zram0: lz4 refused"
	echo "$1" >/sys/block/zram0/disksize || die "zram0: disksize=$1 refused"
}

tzram_down() {
	if grep -q '^/dev/zram0 ' /proc/swaps; then
		swapoff /dev/zram0 || die "swapoff /dev/zram0"
	fi
	echo 1 >/sys/block/zram0/reset || die "zram0 reset"
	rmmod zram || die "rmmod zram"
}

# zram's idle marking: pages not accessed for AGE seconds where the
# kernel tracks access times (CONFIG_ZRAM_MEMORY_TRACKING, like vswap's
# idle age), else every page ("all").
zram_mark_idle() {
	if [ "$ZRAM_IDLE" = age ]; then
		echo "$1" >/sys/block/zram0/idle 2>/dev/null && return 0
	fi
	echo all >/sys/block/zram0/idle
}

# --- demotion throughput ------------------------------------------------

# raw_dd DEV TIER REP: sequential direct writes of DEMOTE_MIB on the raw
# device (not a tier at that moment).
raw_dd() {
	local t0 t1
	t0=$EPOCHREALTIME
	dd if=/dev/zero of="$1" bs=1M count="$DEMOTE_MIB" oflag=direct status=none ||
		die "dd to $1"
	t1=$EPOCHREALTIME
	emit sample "demote_$2" dd "$3" "$(mibs "$DEMOTE_MIB" "$t0" "$t1")"
}

# migrate_timed FROM TO REP: move everything, emit MiB/s of demotion.
migrate_timed() {
	local from=$1 to=$2 rep=$3 out t0 t1 state moved want=$((DEMOTE_MIB << 20))
	t0=$EPOCHREALTIME
	out=$(vswapctl -j migrate vswap0 --from "$from" --to "$to" --wait 2>&1) ||
		die "migrate $from -> $to: $out"
	t1=$EPOCHREALTIME
	state=$(echo "$out" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
	moved=$(echo "$out" | sed -n 's/.*"moved_bytes":\([0-9]*\).*/\1/p')
	[ "$state" = 'done' ] || die "migrate $from -> $to ended '$state': $out"
	[ "$moved" = "$want" ] || die "migrate $from -> $to moved $moved of $want bytes"
	[ "$(tstat "$to" pages)" = $((DEMOTE_MIB * 256)) ] ||
		die "after migrate $from -> $to: $to holds $(tstat "$to" pages) pages"
	emit sample "demote_$to" vswap "$rep" "$(mibs "$DEMOTE_MIB" "$t0" "$t1")"
	emit info demote "$rep" "$from->$to" seconds "$(elapsed "$t0" "$t1")" \
		"$(tier_info "$to")"
}

# bench_demote REP: odd reps time dd on both raw devices before their
# tiers exist, even reps after the tiers were removed, so that drift
# lands on both sides.  The same DEMOTE_MIB everywhere.
bench_demote() {
	local rep=$1 n=$((DEMOTE_MIB * 256))
	phase demote all "$rep"
	if [ $((rep % 2)) = 1 ]; then
		raw_dd "$FAST" fast "$rep"
		raw_dd "$SLOW" slow "$rep"
	fi
	tvswap_up "$DEV_SIZE" tiers
	# Incompressible, so that the RAM tier holds (and demotion moves)
	# DEMOTE_MIB of data, not a compressed fraction of it.
	dd if="$RAND" of=/dev/vswap0 bs=1M count="$DEMOTE_MIB" oflag=direct status=none ||
		die "filling /dev/vswap0"
	[ "$(tstat ram pages)" = "$n" ] || die "ram tier holds $(tstat ram pages) of $n pages"
	migrate_timed ram fast "$rep"
	migrate_timed fast slow "$rep"
	# Untimed: the data made it through both moves.
	cmp -s -n $((DEMOTE_MIB << 20)) "$RAND" \
		<(dd if=/dev/vswap0 bs=1M count="$DEMOTE_MIB" iflag=direct status=none) ||
		die "data read back from the slow tier differs"
	[ "$(cat /sys/block/vswap0/vswap/failed_reads)" = 0 ] || die "vswap: failed reads"
	tvswap_down
	if [ $((rep % 2)) = 0 ]; then
		raw_dd "$FAST" fast "$rep"
		raw_dd "$SLOW" slow "$rep"
	fi
}

# --- swap-in latency ----------------------------------------------------

# lat_run KIND WHERE REP [ROW]: swapin_lat swaps LAT_MIB out, place_KIND
# puts the slots WHERE they should be, then every page comes back once.
# Samples ROW_p50 and ROW_p99 (default ROW: lat_WHERE), and ROW_majflt:
# the share of accesses that were swap-in faults (%).  swapin_lat runs in
# its own memory cgroup, whose memory.reclaim drops what swap-out left
# in the swap cache (a device without SWP_SYNCHRONOUS_IO writes
# asynchronously, so a page can still be there, clean): every timed
# access must be a swap-in.
LATCG=/sys/fs/cgroup/bench-lat
lat_run() {
	local kind=$1 where=$2 rep=$3 row=${4:-lat_$2} pid rc=0 log=/tmp/swapin_lat.log res
	rm -f /tmp/lat.ready /tmp/lat.go
	mkfifo /tmp/lat.go
	mkdir -p "$LATCG"
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner shell
	bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$LATCG" \
		"$SWAPIN_LAT" -m "$LAT_MIB" -s "$SEED" -r /tmp/lat.ready -w /tmp/lat.go >"$log" 2>&1 &
	pid=$!
	while [ ! -e /tmp/lat.ready ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.05
	done
	if [ ! -e /tmp/lat.ready ]; then
		wait "$pid" || true
		sed 's/^/  /' "$log"
		die "swapin_lat on $kind did not get its pages out"
	fi
	"place_${kind%%-*}" "$where" "$rep"
	# -EAGAIN when less was there to reclaim: that is fine.
	echo $((LAT_MIB * 2))M >"$LATCG/memory.reclaim" 2>/dev/null || true
	echo go >/tmp/lat.go
	wait "$pid" || rc=$?
	rmdir "$LATCG" 2>/dev/null || true
	res=$(grep '^swapin_lat ' "$log" || true)
	if [ $rc -ne 0 ] || [ -z "$res" ]; then
		sed 's/^/  /' "$log"
		die "swapin_lat on $kind/$where: rc $rc (content mismatch or setup error)"
	fi
	# pages N swapped N majflt N median_us X p99_us Y ...
	# shellcheck disable=SC2086 # split into words
	set -- $res
	emit sample "${row}_p50" "$kind" "$rep" "${9}"
	emit sample "${row}_p99" "$kind" "$rep" "${11}"
	emit sample "${row}_majflt" "$kind" "$rep" "$(awk -v m="$7" -v n="$3" 'BEGIN {printf "%.1f", 100 * m / n}')"
	emit info swapin_lat "$kind" "$where" "$rep" "${res#swapin_lat }"
}

place_vswap() {
	local n=$((LAT_MIB * 256)) out
	[ "$(tstat ram pages)" -ge "$n" ] || die "vswap: ram holds $(tstat ram pages) < $n pages"
	if [ "$1" != ram ]; then
		out=$(vswapctl -j migrate vswap0 --from ram --to "$1" --wait 2>&1) ||
			die "migrate ram -> $1: $out"
		[ "$(tstat "$1" pages)" -ge "$n" ] || die "vswap: $1 holds $(tstat "$1" pages) < $n pages"
	fi
	if [ "$1" = ram ]; then
		emit info lat_place vswap "$1" "$2" "$(tier_info ram)"
	else
		emit info lat_place vswap "$1" "$2" "$(tier_info ram)" "$(tier_info "$1")"
	fi
}

place_zram() {
	local n=$((LAT_MIB * 256)) bd
	if [ "$1" = fast ]; then
		echo all >/sys/block/zram0/idle || die "zram0: idle"
		echo idle >/sys/block/zram0/writeback || die "zram0: writeback"
		read -r bd _ </sys/block/zram0/bd_stat
		[ "$bd" -ge "$n" ] || die "zram0: $bd pages on the backing device, want $n"
	fi
	emit info lat_place zram "$1" "$2" mm_stat "$(cat /sys/block/zram0/mm_stat)" \
		bd_stat "$(cat /sys/block/zram0/bd_stat)"
}

lat_vswap() {
	local rep=$1 where
	tvswap_up "$DEV_SIZE" tiers
	mkswap /dev/vswap0 >/dev/null || die "mkswap /dev/vswap0"
	swapon /dev/vswap0 || die "swapon /dev/vswap0"
	for where in ram fast slow; do
		lat_run vswap "$where" "$rep"
	done
	tvswap_down
}

lat_zram() {
	local rep=$1 where
	tzram_up "$DEV_SIZE"
	mkswap /dev/zram0 >/dev/null || die "mkswap /dev/zram0"
	swapon /dev/zram0 || die "swapon /dev/zram0"
	for where in ram fast; do
		lat_run zram "$where" "$rep"
	done
	tzram_down
}

bench_latency() {
	local rep=$1 kind pc
	pc=$(cat /proc/sys/vm/page-cluster)
	# One page per fault whatever the device (both are synchronous
	# swap devices, which skip readahead anyway).
	echo 0 >/proc/sys/vm/page-cluster
	for kind in $ORDER; do
		phase latency "$kind" "$rep"
		"lat_$kind" "$rep"
	done
	echo "$pc" >/proc/sys/vm/page-cluster
}

# --- swap workload over the tiers ---------------------------------------

# zram's side of the idle policy: every IDLE_AGE seconds, mark what was
# not touched for IDLE_AGE seconds idle and write it back.
zram_idle_loop() {
	while :; do
		sleep "$IDLE_AGE"
		zram_mark_idle "$IDLE_AGE" 2>/dev/null || true
		echo idle >/sys/block/zram0/writeback 2>/dev/null || true
	done
}

bench_tier_swap() {
	local kind=$1 rep=$2 dev t0 t1 in0 out0 rc=0 log=/tmp/tier_swap.log loop= sampler=
	phase tier_swap "$kind" "$rep"
	case $kind in
	vswap)
		tvswap_up "$DEV_SIZE"
		vsc tier set vswap0 ram --limit "${TIER_RAM_LIMIT_MIB}M" --idle-age "$IDLE_AGE"
		tvswap_tiers
		dev=/dev/vswap0
		;;
	zram)
		tzram_up "$DEV_SIZE"
		dev=/dev/zram0
		# Age-based idle marking needs CONFIG_ZRAM_MEMORY_TRACKING:
		# probe it once (nothing is a day old yet).
		if [ "$ZRAM_IDLE" = age ] && ! echo 86400 >/sys/block/zram0/idle 2>/dev/null; then
			ZRAM_IDLE=all
		fi
		emit info zram_idle "$rep" "$ZRAM_IDLE"
		;;
	esac
	mkswap "$dev" >/dev/null || die "mkswap $dev"
	swapon "$dev" || die "swapon $dev"
	mkdir -p "$CG"
	echo "${SWAP_LIMIT_MIB}M" >"$CG/memory.max"
	echo 3 >/proc/sys/vm/drop_caches
	if [ "$kind" = zram ]; then
		zram_idle_loop &
		loop=$!
	fi
	# Tier occupancy and migration rates over time, for the plot.
	if [ "$kind" = vswap ]; then
		vswapctl -j top vswap0 -d 1 >/tmp/tier_top.json 2>/tmp/tier_top.err &
		sampler=$!
	fi
	in0=$(vmstat_get pswpin) out0=$(vmstat_get pswpout)
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner shell
	bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG" \
		"$SWAP_STRESS" -m "$SWAP_MIB" -t 2 -p "$TIER_SWAP_PASSES" -s "$SEED" \
		>"$log" 2>&1 || rc=$?
	t1=$EPOCHREALTIME
	if [ -n "$loop" ]; then
		kill "$loop" 2>/dev/null || true
		wait "$loop" 2>/dev/null || true
	fi
	if [ -n "$sampler" ]; then
		kill "$sampler" 2>/dev/null || true
		wait "$sampler" 2>/dev/null || true
		grep -c '"devices"' /tmp/tier_top.json >/dev/null ||
			die "vswapctl -j top sampled nothing: $(cat /tmp/tier_top.err)"
		grep '"devices"' /tmp/tier_top.json | while read -r line; do
			emit top "$rep" "$line"
		done
	fi
	if [ $rc -ne 0 ] || ! grep -q '^# swap_stress: PASS' "$log"; then
		sed 's/^/  /' "$log"
		die "swap_stress on $kind with backing tiers: rc $rc (verify mismatch or setup error)"
	fi
	emit sample tier_swap_wall_s "$kind" "$rep" "$(elapsed "$t0" "$t1" | awk '{printf "%.2f", $1}')"
	emit info tier_swap_io "$kind" "$rep" pswpin $(($(vmstat_get pswpin) - in0)) \
		pswpout $(($(vmstat_get pswpout) - out0))
	# Pages written to and read from the backing device(s) in the run:
	# spills and demotions, swap-ins and promotions; zram's writeback
	# and its reads back.
	case $kind in
	vswap)
		emit sample tier_swap_backing_mib vswap "$rep" \
			"$(awk -v a="$(tstat fast writes)" -v b="$(tstat slow writes)" \
				'BEGIN {printf "%.1f", (a + b) / 256}')"
		emit sample tier_swap_backing_read_mib vswap "$rep" \
			"$(awk -v a="$(tstat fast reads)" -v b="$(tstat slow reads)" \
				'BEGIN {printf "%.1f", (a + b) / 256}')"
		emit info tier_swap_tiers vswap "$rep" "$(tier_info ram)" "$(tier_info fast)" \
			"$(tier_info slow)"
		[ "$(cat /sys/block/vswap0/vswap/failed_reads)" = 0 ] || die "vswap: failed reads"
		swapoff "$dev" || die "swapoff $dev"
		rmdir "$CG"
		tvswap_down
		;;
	zram)
		emit sample tier_swap_backing_mib zram "$rep" \
			"$(awk '{printf "%.1f", $3 / 256}' /sys/block/zram0/bd_stat)"
		emit sample tier_swap_backing_read_mib zram "$rep" \
			"$(awk '{printf "%.1f", $2 / 256}' /sys/block/zram0/bd_stat)"
		emit info tier_swap_tiers zram "$rep" mm_stat "$(cat /sys/block/zram0/mm_stat)" \
			bd_stat "$(cat /sys/block/zram0/bd_stat)"
		swapoff "$dev" || die "swapoff $dev"
		rmdir "$CG"
		tzram_down
		;;
	esac
}

# bench_tiers REP: the three measurements, devices alternated as
# elsewhere ($ORDER, set by the caller per rep).
bench_tiers() {
	local rep=$1 kind
	bench_demote "$rep"
	bench_latency "$rep"
	for kind in $ORDER; do
		bench_tier_swap "$kind" "$rep"
	done
}

# Once per run: the devices are there, the tools too, zswap is off; the
# random file; both backing devices written once over the region the
# tests use, so that no timed write lands on a hole of QEMU's image file.
tiers_init() {
	[ -b "$FAST" ] || die "no NVMe device (VM_NVME_DEVS='${VM_NVME_DEVS:-}')"
	[ -b "$SLOW" ] || die "no virtio disk (VM_DISK_DEVS='${VM_DISK_DEVS:-}')"
	command -v vswapctl >/dev/null || die "vswapctl missing (make userspace)"
	[ -x "$SWAPIN_LAT" ] || die "$SWAPIN_LAT missing"
	[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null || echo N)" = N ] ||
		echo N >/sys/module/zswap/parameters/enabled
	emit info tiers fast "$FAST" "$(cat "/sys/block/${FAST#/dev/}/size")" \
		slow "$SLOW" "$(cat "/sys/block/${SLOW#/dev/}/size")" sectors \
		demote_mib "$DEMOTE_MIB" lat_mib "$LAT_MIB" idle_age "$IDLE_AGE" \
		age_interval "$AGE_INTERVAL" ram_limit_mib "$TIER_RAM_LIMIT_MIB" \
		tier_swap_passes "$TIER_SWAP_PASSES" zram_idle "$ZRAM_IDLE"
	dd if=/dev/urandom of="$RAND" bs=1M count="$DEMOTE_MIB" status=none ||
		die "making $RAND"
	dd if=/dev/zero of="$FAST" bs=1M count="$PREFILL_FAST_MIB" oflag=direct status=none ||
		die "prefilling $FAST"
	dd if=/dev/zero of="$SLOW" bs=1M count=$((DEMOTE_MIB + LAT_MIB)) oflag=direct status=none ||
		die "prefilling $SLOW"
}
