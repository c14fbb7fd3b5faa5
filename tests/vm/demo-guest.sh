# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Guest side of `make demo` (busybox sh); demo.sh prepends the settings.
set -e
: "${DEMO_SIZE:=2G}" "${DEMO_COMP:=lz4}" "${DEMO_LIMIT_MB:=192}"
work_mb=$((DEMO_LIMIT_MB * 2))
sys=/sys/block/vswap0/vswap

human() { awk -v b="$1" 'BEGIN { split("B KiB MiB GiB TiB", u); i = 1;
	while (b >= 1024 && i < 5) { b /= 1024; i++ } printf "%.1f %s", b, u[i] }'; }

stats() {
	printf '%-6s %9s %11s %11s %7s %9s %9s\n' tier pages original stored ratio reads writes
	for t in same ram; do
		d=$sys/tiers/$t
		o=$(cat "$d/orig_bytes") s=$(cat "$d/stored_bytes")
		r=$(awk -v o="$o" -v s="$s" 'BEGIN { if (s > 0) printf "%.2f", o / s; else print "-" }')
		printf '%-6s %9s %11s %11s %7s %9s %9s\n' "$t" "$(cat "$d/pages")" \
			"$(human "$o")" "$(human "$s")" "$r" "$(cat "$d/reads")" "$(cat "$d/writes")"
	done
	printf 'device: %s pages stored, metadata %s in %s clusters, %s reads, %s writes, %s frees, failed %s/%s\n' \
		"$(cat $sys/stored_pages)" "$(human "$(cat $sys/meta_bytes)")" "$(cat $sys/clusters)" \
		"$(cat $sys/reads)" "$(cat $sys/writes)" "$(cat $sys/frees)" \
		"$(cat $sys/failed_reads)" "$(cat $sys/failed_writes)"
}

echo "### vswap demo: $(nproc) vCPUs, $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) MiB RAM"
echo "### modprobe vswap size=$DEMO_SIZE comp=$DEMO_COMP"
modprobe vswap size="$DEMO_SIZE" comp="$DEMO_COMP"
dmesg | grep 'vswap: loaded' | sed 's/^\[[^]]*\] /    /'
mkswap /dev/vswap0 >/dev/null
swapon /dev/vswap0
echo "### swapon /dev/vswap0"
cat /proc/swaps
# The workload gets DEMO_LIMIT_MB of RAM in a memory cgroup and uses twice
# that; the compressed pool lives outside the cgroup, in the rest of the VM.
cg=/sys/fs/cgroup/demo
mkdir -p $cg
echo "${DEMO_LIMIT_MB}M" >$cg/memory.max
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
	echo "--- t=${n}s  swap used $(awk '/SwapTotal/ {t=$2} /SwapFree/ {f=$2} END {print int((t - f) / 1024)}' /proc/meminfo) MiB"
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
exit $rc
