#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: vswap against zram (both lz4, same device size) in one VM
# run, and vswap's backing tiers on an emulated NVMe (fast) and a
# throttled virtio disk (slow) against zram's writeback and raw dd.
# Builds what it needs, boots the harness VM once with
# tests/bench/guest.sh (+ guest-tiers.sh, swapin_lat), parses the BENCH
# lines from the console log and writes build/bench/results.{md,json};
# prints the tables.
#
# Environment (defaults in brackets):
#   BENCH_KERNEL      the kernel lane the VM boots: 6.12, 6.1 or newest [6.12]
#   BENCH_KERNELS     several lanes, one VM each, the first as BENCH_KERNEL
#                     (every section), the others with only
#                     BENCH_OTHER_SECTIONS; a secondary lane whose module
#                     does not build is skipped with a note [$BENCH_KERNEL]
#   BENCH_OTHER_SECTIONS sections on the secondary kernels [swap]
#                     (without variants)
#   BENCH_VARIANTS    vswap variants measured next to the defaults in the
#                     fio, swap and lat sections: NAME:PARAM=V[,PARAM=V]
#                     separated by spaces, e.g. "async:sync=0 nb:blocking=0"
#                     (module parameters; results.md's Variants table) []
#   BENCH_REPS        repetitions, devices alternated within each [5]
#   BENCH_RUNTIME     seconds per fio job, after BENCH_RAMP [8] [2]
#   BENCH_DEV_SIZE    device size for fio and swap [1G]
#   BENCH_FIO_SIZE    region fio works on, prefilled first [256M]
#   BENCH_COMPRESS    fio buffer_compress_percentage [50]
#   BENCH_SWAP_MIB    swap_stress working set, MiB [64]
#   BENCH_SWAP_LIMIT  its cgroup's memory.max, MiB: half the set [32]
#   BENCH_SWAP_PASSES swap_stress passes [2]
#   BENCH_META        0 skips the 64 GiB / 1 TiB metadata test [1]
#   BENCH_SECTIONS    what to run, any of: fio swap lat meta tiers spill
#                     (lat: RAM-tier swap-in latency without backing
#                     tiers, like the tiers section's but for every
#                     variant; spill: its own VM, below)
#                     [fio swap lat meta tiers spill]
# Backing tiers (the "tiers" section; see README.md):
#   BENCH_NVME_SIZE   emulated NVMe: fast tier, zram's writeback device [1G]
#   BENCH_SLOW_SIZE   virtio disk: slow tier [1G]
#   BENCH_SLOW_THROTTLE its QEMU throttling options
#                     [throttling.bps-total=33554432,throttling.iops-total=1000]
#   BENCH_DEMOTE_MIB  data demoted RAM -> fast -> slow, and dd'd raw [64]
#   BENCH_LAT_MIB     swapin_lat mapping, MiB (256 faults per MiB) [16]
#   BENCH_IDLE_AGE    idle age of the RAM tier and zram's writeback loop, s [2]
#   BENCH_AGE_INTERVAL vswap's age_interval module parameter, s [1]
#   BENCH_TIER_RAM_LIMIT RAM tier limit in the tiered swap run, MiB [16]
#   BENCH_TIER_SWAP_PASSES swap_stress passes in the tiered swap run [2]
#   BENCH_ZRAM_IDLE   zram idle marking: age (echo SECONDS > idle, needs
#                     CONFIG_ZRAM_MEMORY_TRACKING) or all [age]
#   BENCH_ZRAM_1T_ONCE 0 measures zram's 1 TiB table every rep [1]
#   BENCH_MEM         guest RAM; 8G fits zram's 1 TiB table (6 GiB) [8G]
#   BENCH_TIMEOUT     VM wall-clock limit, seconds [3600]
#   BENCH_OUT         output directory [build/bench]
# Spill (tests/bench/guest-spill.sh, README.md): vswap against zswap and
# zram + writeback, compressed RAM spilling to one NVMe, in a small VM
# under global memory pressure:
#   BENCH_SPILL_KERNELS lanes, one VM each; the first gets every
#                     workload, the others BENCH_SPILL_OTHER [the primary]
#   BENCH_SPILL_OTHER workloads on the other lanes [uniform skewed]
#   BENCH_SPILL_MEM   the VM's RAM [512M]
#   BENCH_SPILL_WORKLOADS any of uniform skewed phase redis
#                     [uniform skewed phase redis]
#   BENCH_SPILL_SYSTEMS [vswap zswap zram]; vswap-NAME is a variant
#   BENCH_SPILL_VARIANTS NAME:PARAM=V[,PARAM=V] module parameters of the
#                     vswap-NAME systems, e.g. "p1:promote=1"; ram_high=PCT
#                     and ram_low=PCT set the RAM tier's watermarks []
#   BENCH_SPILL_FACTOR tierload's working set, x MemTotal [2.3]
#   BENCH_SPILL_ACCESSES tierload accesses per thread (2 threads) [60000]
#   BENCH_SPILL_POOL_PCT zswap's max_pool_percent, and vswap's RAM tier
#                     and zram's mem_limit as the same bytes [20]
#   BENCH_REDIS_FACTOR Redis data, x MemTotal [2]
#   BENCH_REDIS_REQS  redis-benchmark GET requests [100000]
#   BENCH_SPILL_NVME_SIZE the NVMe [4G]
#   BENCH_SPILL_TIMEOUT that VM's wall-clock limit, seconds [5400]
#
# No thresholds: exit 0 whatever the numbers, non-zero only when
# something broke (VM, fio, swap_stress verification, missing device).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$TOP/tests/bench
OUT=${BENCH_OUT:-$TOP/build/bench}
REPS=${BENCH_REPS:-5}
MEM=${BENCH_MEM:-8G}
TIMEOUT=${BENCH_TIMEOUT:-3600}

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

case $REPS in
'' | *[!0-9]* | 0) die "BENCH_REPS=$REPS: want a positive integer" ;;
esac
KERNEL=${BENCH_KERNEL:-6.12}
KERNELS=${BENCH_KERNELS:-$KERNEL}
PRIMARY=${KERNELS%% *}
SECTIONS=${BENCH_SECTIONS:-fio swap lat meta tiers spill}
SPILL=0
if [[ " $SECTIONS " == *" spill "* ]]; then
	SPILL=1
	SECTIONS=$(echo " $SECTIONS " | sed 's/ spill / /; s/  */ /g; s/^ //; s/ $//')
fi
OTHER_SECTIONS=${BENCH_OTHER_SECTIONS:-swap}
for k in $KERNELS; do
	case $k in
	6.1 | 6.12 | newest) ;;
	*) die "BENCH_KERNELS: unknown lane '$k' (6.1, 6.12, newest)" ;;
	esac
done
for v in ${BENCH_VARIANTS:-}; do
	[[ $v =~ ^[a-z0-9]+:[a-z_]+=[^,[:space:]]+(,[a-z_]+=[^,[:space:]]+)*$ ]] ||
		die "BENCH_VARIANTS: '$v' is not NAME:PARAM=VALUE[,PARAM=VALUE...]"
done
mkdir -p "$OUT"
rm -f "$OUT/kernels-skipped" "$OUT"/console*.log

# vswapctl (the guest makes every vswap device with it; the initramfs
# ships it when built).
make -C "$TOP/userspace/vswapctl" >"$OUT/build-vswapctl.log" 2>&1 ||
	die "building vswapctl failed (see $OUT/build-vswapctl.log)"

# swap_stress is built here from the selftest's source rather than in the
# selftest directory, so the bench never writes into files others edit.
src=$TOP/tests/selftests/vswap/swap_stress.c
[ -r "$src" ] || die "$src missing"
gcc -O2 -static -Wall -D_GNU_SOURCE -o "$OUT/swap_stress" "$src" -lpthread ||
	die "building swap_stress failed"
gcc -O2 -static -Wall -Wextra -D_GNU_SOURCE -o "$OUT/swapin_lat" "$BENCH/swapin_lat.c" ||
	die "building swapin_lat failed"
gcc -O2 -static -Wall -Wextra -D_GNU_SOURCE -o "$OUT/tierload" "$BENCH/tierload.c" -lpthread ||
	die "building tierload failed"
gcc -O2 -static -Wall -Wextra -D_GNU_SOURCE -o "$OUT/redis_fill" "$BENCH/redis_fill.c" ||
	die "building redis_fill failed"

# The slow tier's device; report.py prints it under the tier table.
slow_throttle=${BENCH_SLOW_THROTTLE-throttling.bps-total=33554432,throttling.iops-total=1000}
echo "nvme ${BENCH_NVME_SIZE:-1G}; slow virtio disk ${BENCH_SLOW_SIZE:-1G} ${slow_throttle:-unthrottled}" >"$OUT/devices"

# run_lane LANE SECTIONS VARIANTS CONSOLE: the module for LANE's Debian kernel
# (tests/vm/build-module.sh: its own copy of the sources per lane), then
# one VM.  Returns 3 when the module does not build for that kernel.
run_lane() {
	local lane=$1 sections=$2 variants=$3 console=$4 kconfig zram_slot_bytes=16 rc=0
	export VSWAP_KERNEL=$lane
	if ! "$TOP/tests/vm/build-module.sh" --kernel "$lane" >"$OUT/build-$lane.log" 2>&1; then
		log "vswap.ko does not build for $lane (see $OUT/build-$lane.log)"
		return 3
	fi
	# zram's per-slot table entry in the guest kernel: 16 B, plus the
	# access time when CONFIG_ZRAM_MEMORY_TRACKING=y.
	kconfig=$TOP/build/kernel/$lane/kdir/.config
	if [ -r "$kconfig" ] && grep -q '^CONFIG_ZRAM_MEMORY_TRACKING=y' "$kconfig"; then
		zram_slot_bytes=24
	fi
	cat >"$OUT/bench.env" <<EOF
REPS=$REPS
RUNTIME=${BENCH_RUNTIME:-8}
RAMP=${BENCH_RAMP:-2}
DEV_SIZE=${BENCH_DEV_SIZE:-1G}
FIO_SIZE=${BENCH_FIO_SIZE:-256M}
COMPRESS=${BENCH_COMPRESS:-50}
SWAP_MIB=${BENCH_SWAP_MIB:-64}
SWAP_LIMIT_MIB=${BENCH_SWAP_LIMIT:-32}
SWAP_PASSES=${BENCH_SWAP_PASSES:-2}
META=${BENCH_META:-1}
ZRAM_1T_ONCE=${BENCH_ZRAM_1T_ONCE:-1}
ZRAM_SLOT_BYTES=$zram_slot_bytes
SECTIONS="$sections"
VARIANTS="$variants"
DEMOTE_MIB=${BENCH_DEMOTE_MIB:-64}
LAT_MIB=${BENCH_LAT_MIB:-16}
IDLE_AGE=${BENCH_IDLE_AGE:-2}
AGE_INTERVAL=${BENCH_AGE_INTERVAL:-1}
TIER_RAM_LIMIT_MIB=${BENCH_TIER_RAM_LIMIT:-16}
TIER_SWAP_PASSES=${BENCH_TIER_SWAP_PASSES:-2}
ZRAM_IDLE=${BENCH_ZRAM_IDLE:-age}
EOF

	log "booting the $lane VM ($REPS reps, -m $MEM, $sections; console: ${console#"$TOP"/})"
	"$TOP/tests/vm/run-vm.sh" -m "$MEM" -s 2 -t "$TIMEOUT" -l "$console" \
		--script "$BENCH/guest.sh" \
		--file "$OUT/bench.env:/vm/bench.env" \
		--nvme "${BENCH_NVME_SIZE:-1G}" \
		--disk "${BENCH_SLOW_SIZE:-1G}${slow_throttle:+,$slow_throttle}" \
		--file "$BENCH/guest-lib.sh:/vm/guest-lib.sh" \
		--file "$BENCH/guest-tiers.sh:/vm/guest-tiers.sh" \
		--file "$OUT/swapin_lat:/vm/swapin_lat" \
		--file "$OUT/swap_stress:/vm/swap_stress" || rc=$?

	if grep -a '^BENCH error' "$console" >&2; then
		die "the guest reported errors (console: $console)"
	fi
	[ "$rc" = 0 ] || die "VM run failed with status $rc (console: $console)"
	grep -aq '^BENCH end' "$console" || die "guest did not finish (console: $console)"
}

# run_spill LANE WORKLOADS CONSOLE: the spill section's VM on LANE.
# Returns 3 when the module does not build for that kernel.
run_spill() {
	local lane=$1 workloads=$2 console=$3 rc=0
	export VSWAP_KERNEL=$lane
	if ! "$TOP/tests/vm/build-module.sh" --kernel "$lane" >"$OUT/build-$lane.log" 2>&1; then
		log "vswap.ko does not build for $lane (see $OUT/build-$lane.log)"
		return 3
	fi
	cat >"$OUT/spill.env" <<EOF
REPS=$REPS
POOL_PCT=${BENCH_SPILL_POOL_PCT:-20}
SPILL_FACTOR=${BENCH_SPILL_FACTOR:-2.3}
SPILL_ACCESSES=${BENCH_SPILL_ACCESSES:-60000}
SPILL_WORKLOADS="$workloads"
SPILL_SYSTEMS="${BENCH_SPILL_SYSTEMS:-vswap zswap zram}"
SPILL_VARIANTS="${BENCH_SPILL_VARIANTS:-}"
REDIS_FACTOR=${BENCH_REDIS_FACTOR:-2}
REDIS_REQS=${BENCH_REDIS_REQS:-100000}
EOF
	log "booting the $lane spill VM ($REPS reps, -m ${BENCH_SPILL_MEM:-512M}, $workloads; console: ${console#"$TOP"/})"
	"$TOP/tests/vm/run-vm.sh" -m "${BENCH_SPILL_MEM:-512M}" -s 2 \
		-t "${BENCH_SPILL_TIMEOUT:-5400}" -l "$console" \
		--script "$BENCH/guest-spill.sh" \
		--file "$OUT/spill.env:/vm/bench.env" \
		--nvme "${BENCH_SPILL_NVME_SIZE:-4G}" \
		--file "$BENCH/guest-lib.sh:/vm/guest-lib.sh" \
		--file "$BENCH/guest-redis.sh:/vm/guest-redis.sh" \
		--file "$OUT/redis_fill:/vm/redis_fill" \
		--file "$OUT/tierload:/vm/tierload" || rc=$?
	if grep -a '^BENCH error' "$console" >&2; then
		die "the spill guest reported errors (console: $console)"
	fi
	[ "$rc" = 0 ] || die "spill VM run failed with status $rc (console: $console)"
	grep -aq '^BENCH end' "$console" || die "spill guest did not finish (console: $console)"
}

# The host's load says how much to trust the spread (shared CPUs).
cut -d' ' -f1-3 /proc/loadavg >"$OUT/host-load.before"
others=()
rc=0
if [ -n "$SECTIONS" ]; then
	run_lane "$PRIMARY" "$SECTIONS" "${BENCH_VARIANTS:-}" "$OUT/console.log" || rc=$?
else
	: >"$OUT/console.log"
	KERNELS=$PRIMARY
fi
if [ "$rc" != 0 ]; then
	die "vswap.ko does not build for $PRIMARY: no bench on the primary kernel"
fi
spills=()
if [ "$SPILL" = 1 ]; then
	wls=${BENCH_SPILL_WORKLOADS:-uniform skewed phase redis}
	for k in ${BENCH_SPILL_KERNELS:-$PRIMARY}; do
		rc=0
		run_spill "$k" "$wls" "$OUT/console-spill-$k.log" || rc=$?
		wls=${BENCH_SPILL_OTHER:-uniform skewed}
		if [ "$rc" = 3 ]; then
			echo "$k: the module does not build for it (build-$k.log)" >>"$OUT/kernels-skipped"
			continue
		fi
		spills+=("spill:$k=$OUT/console-spill-$k.log")
	done
fi
for k in ${KERNELS#"$PRIMARY"}; do
	rc=0
	run_lane "$k" "$OTHER_SECTIONS" "" "$OUT/console-$k.log" || rc=$?
	if [ "$rc" = 3 ]; then
		echo "$k: the module does not build for it (build-$k.log)" >>"$OUT/kernels-skipped"
		continue
	fi
	others+=("$k=$OUT/console-$k.log")
done
cut -d' ' -f1-3 /proc/loadavg >"$OUT/host-load.after"
python3 "$BENCH/report.py" "$OUT/console.log" "$OUT" ${others[@]+"${others[@]}"} \
	${spills[@]+"${spills[@]}"} ||
	die "report failed"
cat "$OUT/results.md"
