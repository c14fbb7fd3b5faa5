# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Guest side of `make demo` (busybox sh); tests/demo/demo.sh prepends the settings.
#   DEMO_TIERS=ram,fast,slow  (default) the RAM tier, an emulated NVMe fast
#                             tier and a throttled slow disk, configured
#                             with vswapctl, watched with vswapctl top
#   DEMO_TIERS=ram            the short version: the RAM tier alone
set -e
: "${DEMO_TIERS:=ram,fast,slow}" "${DEMO_SIZE:=2G}" "${DEMO_COMP:=lz4}" "${DEMO_LIMIT_MB:=192}"
: "${DEMO_RAM_LIMIT_MB:=24}" "${DEMO_FAST_IDLE:=5}" "${DEMO_TOP_DELAY:=5}"
work_mb=$((DEMO_LIMIT_MB * 2))
sys=/sys/block/vswap0/vswap
cg=/sys/fs/cgroup/demo

human() { awk -v b="$1" 'BEGIN { split("B KiB MiB GiB TiB", u); i = 1;
	while (b >= 1024 && i < 5) { b /= 1024; i++ } printf "%.1f %s", b, u[i] }'; }
tstat() { cat "$sys/tiers/$1/$2"; }
swap_used_mb() { awk '/SwapTotal/ {t=$2} /SwapFree/ {f=$2} END {print int((t - f) / 1024)}' /proc/meminfo; }
mem_mb() { awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo; }

# The workload gets DEMO_LIMIT_MB of RAM in a memory cgroup and uses twice
# that; the compressed pool lives outside the cgroup, in the rest of the VM.
# memory.high (systemd's MemoryHigh=): past it the kernel reclaims and
# throttles the workload.  memory.max killed 2 of 7 runs: its OOM killer
# fires after 16 reclaim passes in a row free nothing, as when the
# evicted pages are all still being written to a throttled disk.
cg_setup() {
	mkdir -p $cg
	echo "${DEMO_LIMIT_MB}M" >$cg/memory.high
}

# --- the short version: RAM tier only ----------------------------------------

stats() {
	printf '%-6s %9s %11s %11s %7s %9s %9s\n' tier pages original stored ratio reads writes
	for t in same ram; do
		d=$sys/tiers/$t
		o=$(cat "$d/orig_bytes") s=$(cat "$d/payload_bytes" 2>/dev/null || cat "$d/stored_bytes")
		r=$(awk -v o="$o" -v s="$s" 'BEGIN { if (s > 0) printf "%.2f", o / s; else print "-" }')
		printf '%-6s %9s %11s %11s %7s %9s %9s\n' "$t" "$(cat "$d/pages")" \
			"$(human "$o")" "$(human "$s")" "$r" "$(cat "$d/reads")" "$(cat "$d/writes")"
	done
	printf 'device: %s pages stored, metadata %s in %s clusters, %s reads, %s writes, %s frees, failed %s/%s\n' \
		"$(cat $sys/stored_pages)" "$(human "$(cat $sys/meta_bytes)")" "$(cat $sys/clusters)" \
		"$(cat $sys/reads)" "$(cat $sys/writes)" "$(cat $sys/frees)" \
		"$(cat $sys/failed_reads)" "$(cat $sys/failed_writes)"
}

demo_ram() {
	echo "### vswap demo (RAM tier only): $(nproc) vCPUs, $(mem_mb) MiB RAM"
	echo "### modprobe vswap size=$DEMO_SIZE comp=$DEMO_COMP"
	modprobe vswap size="$DEMO_SIZE" comp="$DEMO_COMP"
	dmesg | grep 'vswap: loaded' | sed 's/^\[[^]]*\] /    /'
	mkswap /dev/vswap0 >/dev/null
	swapon /dev/vswap0
	echo "### swapon /dev/vswap0"
	cat /proc/swaps
	cg_setup
	echo "### workload: $work_mb MiB in a cgroup limited to $DEMO_LIMIT_MB MiB, 2 threads,"
	echo "### shuffled re-read and rewrite, every byte verified"
	# shellcheck disable=SC2016 # $$ is the inner shell's, on purpose
	sh -c 'echo $$ >"$1/cgroup.procs" && exec /selftests/vswap/swap_stress -m "$2" -t 2 -p 3' \
		- "$cg" "$work_mb" >/tmp/work.log 2>&1 &
	pid=$!
	n=0
	while kill -0 $pid 2>/dev/null; do
		sleep 5
		n=$((n + 5))
		echo "--- t=${n}s  swap used $(swap_used_mb) MiB"
		stats
	done
	rc=0
	wait $pid || rc=$?
	sed 's/^/    /' /tmp/work.log
	[ $rc -eq 0 ] && echo "### workload verified every byte" || echo "### workload FAILED (exit $rc)"
	echo "### final"
	stats
	echo "### swapoff, rmmod"
	swapoff /dev/vswap0
	echo "after swapoff: $(cat $sys/stored_pages) pages stored, $(cat $sys/clusters) clusters"
	rmmod vswap
	return $rc
}

# --- three tiers ---------------------------------------------------------------

# say TEXT: a narration line, timed like vswapctl top's lines.
say() {
	awk -v t0="$T0" -v s="$*" '{ printf "%6.1fs ### %s\n", $1 - t0, s; exit }' /proc/uptime
}

# wait_until SECONDS CONDITION: poll the shell condition every 0.5 s
# (single-quoted by the callers: evaluated each time).
# shellcheck disable=SC2016
wait_until() {
	n=$(($1 * 2))
	shift
	while ! eval "$*"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.5
	done
}

# The load: swap_stress over and over (each run verifies every byte it
# reads back) until told to stop.
load_start() {
	rm -f /tmp/stop /tmp/runs
	(
		while [ ! -e /tmp/stop ]; do
			# shellcheck disable=SC2016 # $$ is the inner shell's
			if sh -c 'echo $$ >"$1/cgroup.procs" && exec /selftests/vswap/swap_stress -m "$2" -t 2 -p 1' \
				- "$cg" "$work_mb" >/tmp/last.log 2>&1; then
				echo ok >>/tmp/runs
			else
				echo "FAILED rc=$?" >>/tmp/runs
				cat /tmp/last.log >>/tmp/failed.log
				dmesg | grep -E 'oom-kill|Killed process' >>/tmp/failed.log || true
			fi
		done
	) &
	LOAD=$!
}

runs() { grep -c . /tmp/runs 2>/dev/null || echo 0; }
# Two of vswapctl top's lines between the steps.
pause() { sleep $((DEMO_TOP_DELAY * 2)); }

# shellcheck disable=SC2086,SC2016 # split the device lists; conditions quoted
demo_tiers() {
	set -- $VM_NVME_DEVS
	fast=$1
	set -- $VM_DISK_DEVS
	slow=$1
	echo "### vswap demo: $(nproc) vCPUs, $(mem_mb) MiB RAM; fast tier $fast (emulated NVMe),"
	echo "### slow tier $slow (virtio disk throttled to $DEMO_SLOW_THROTTLE)."
	echo "### A workload of $work_mb MiB, twice the $DEMO_LIMIT_MB MiB of RAM its memory cgroup"
	echo "### allows, swaps through /dev/vswap0 and verifies every byte it reads back."
	echo "### You will see, in order:"
	echo "###   1. its pages fill the compressed RAM tier (limited to $DEMO_RAM_LIMIT_MB MiB);"
	echo "###   2. new pages spill to the fast tier, the engine demotes cold RAM pages to it,"
	echo "###      and fast-tier pages idle for ${DEMO_FAST_IDLE} s move on to the slow tier;"
	echo "###   3. a manual migration fast -> slow (vswapctl migrate);"
	echo "###   4. the fast tier drained and removed live, under load, while swap stays on"
	echo "###      (vswapctl tier del --drain --wait), then added again;"
	echo "###   5. the verdict of the workload and a per-tier summary (vswapctl status)."
	echo "### Throughout, 'vswapctl top' (not on a terminal: a line every ${DEMO_TOP_DELAY} s) shows"
	echo "### each tier as 'name pages stored/limit use% xratio' and its rates (r/w: pages"
	echo "### read/written, in/out: migrated, per second), and what the engine is doing."
	echo
	echo "### modprobe vswap age_interval=1"
	modprobe vswap age_interval=1
	echo "### vswapctl dev add vswap0 --size $DEMO_SIZE --algo $DEMO_COMP"
	vswapctl dev add vswap0 --size "$DEMO_SIZE" --algo "$DEMO_COMP" >/dev/null
	echo "### vswapctl tier set vswap0 ram --limit ${DEMO_RAM_LIMIT_MB}M --high-wmark 90 --low-wmark 70"
	vswapctl tier set vswap0 ram --limit "${DEMO_RAM_LIMIT_MB}M" --high-wmark 90 --low-wmark 70
	echo "### vswapctl tier add vswap0 $fast --name fast --class fast --idle-age $DEMO_FAST_IDLE"
	vswapctl tier add vswap0 "$fast" --name fast --class fast --idle-age "$DEMO_FAST_IDLE" >/dev/null
	echo "### vswapctl tier add vswap0 $slow --name slow --class slow"
	vswapctl tier add vswap0 "$slow" --name slow --class slow >/dev/null
	mkswap /dev/vswap0 >/dev/null
	swapon /dev/vswap0
	echo "### mkswap /dev/vswap0; swapon /dev/vswap0; vswapctl status"
	vswapctl status
	cg_setup
	echo
	T0=$(cut -d' ' -f1 /proc/uptime)
	# Watermark events come in bursts while RAM sits at its mark: left out.
	mkfifo /tmp/top.pipe
	awk '!/ event wmark / { print; fflush() }' </tmp/top.pipe &
	FILTER=$!
	vswapctl top vswap0 -d "$DEMO_TOP_DELAY" >/tmp/top.pipe 2>&1 &
	TOP=$!

	say "1. the workload starts: pages fill the RAM tier"
	load_start
	wait_until 120 '[ $(($(tstat fast writes) + $(tstat fast migrated_in))) -gt 0 ]' ||
		say "(nothing reached the fast tier in 120 s)"
	say "RAM tier at $(human "$(tstat ram stored_bytes)") of ${DEMO_RAM_LIMIT_MB} MiB, pages reach the fast tier"
	say "2. RAM is full: pages spill and are demoted to fast, then to slow as they cool"
	wait_until 120 '[ "$(tstat slow demotions)" -gt 0 ]' ||
		say "(no demotion to the slow tier in 120 s)"
	vswapctl tier set vswap0 fast --idle-age 0
	say "fast -> slow demotion seen; fast tier idle age now off, so that it keeps pages for what follows"
	sleep "$DEMO_TOP_DELAY"
	say "demoted so far: $(tstat fast demotions) pages RAM -> fast, $(tstat slow demotions) fast -> slow"
	pause
	wait_until 60 '[ "$(tstat fast pages)" -ge 1024 ]' || true
	say "3. vswapctl migrate vswap0 --from fast --to slow --max 8M --wait, $(tstat fast pages) pages on fast"
	vswapctl migrate vswap0 --from fast --to slow --max 8M --wait 2>&1 | sed 's/^/         /' || true

	pause
	wait_until 60 '[ "$(tstat fast pages)" -ge 1024 ]' || true
	say "4. vswapctl tier del vswap0 fast --drain --wait, with $(tstat fast pages) pages on fast, under load"
	vswapctl tier del vswap0 fast --drain --wait 2>&1 | sed 's/^/         /' || true
	if [ -d "$sys/tiers/fast" ]; then
		say "fast is still there: the drain did not finish"
	else
		say "fast is gone; swap stayed on: $(awk '$1 == "/dev/vswap0" { print $1, "used", $4, "KiB" }' /proc/swaps)"
	fi
	pause
	say "vswapctl tier add vswap0 $fast --name fast --class fast: back, under load"
	vswapctl tier add vswap0 "$fast" --name fast --class fast >/dev/null
	wait_until 60 '[ "$(tstat fast writes)" -gt 0 ] || [ "$(tstat fast migrated_in)" -gt 0 ]' ||
		say "(the re-added fast tier took no pages in 60 s)"
	pause
	say "where the pages are now (vswapctl status -o name,state,pages,stored_bytes,ratio,limit,use_pct):"
	vswapctl status -o name,state,pages,stored_bytes,ratio,limit,use_pct | sed 's/^/         /'

	say "5. stopping the load: the running swap_stress finishes its passes"
	touch /tmp/stop
	wait $LOAD || true
	kill $TOP 2>/dev/null || true
	wait $TOP $FILTER 2>/dev/null || true
	rc=0
	if grep -q FAILED /tmp/runs 2>/dev/null; then
		rc=1
		sed 's/^/    /' /tmp/failed.log
		if grep -q 'mismatches [1-9]' /tmp/failed.log; then
			echo "### workload FAILED: $(grep -c FAILED /tmp/runs) of $(runs) runs found bad data"
		else
			echo "### workload FAILED: $(grep -c FAILED /tmp/runs) of $(runs) runs did not finish" \
				"($(grep -o 'rc=[0-9]*' /tmp/runs | sort -u | tr '\n' ' ')- 137 is a kill), no bad data seen"
		fi
	else
		grep '^# swap_stress' /tmp/last.log | tail -n 3 | sed 's/^/    /'
		echo "### workload verified every byte: $(runs) runs of swap_stress -m $work_mb, all passed"
	fi
	echo "### vswapctl status: what went where over the whole run"
	vswapctl status
	echo "### swapoff, every tier empty again, rmmod"
	swapoff /dev/vswap0
	blkdiscard /dev/vswap0
	echo "after swapoff + discard: $(cat $sys/stored_pages) pages stored," \
		"failed reads $(cat $sys/failed_reads), failed writes $(cat $sys/failed_writes)"
	for t in fast slow; do
		vswapctl tier del vswap0 $t
	done
	vswapctl dev del vswap0
	rmmod vswap
	return $rc
}

case $DEMO_TIERS in
ram) demo_ram ;;
*) demo_tiers ;;
esac
