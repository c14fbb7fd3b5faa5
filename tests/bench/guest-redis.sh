# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Redis swap workload of `make bench`, sourced by the guest bench script
# (shipped as /vm/guest-redis.sh, with tests/bench/redis_fill.c built
# static as /vm/redis_fill): uses its emit, phase, die, nvme_wr_sectors,
# SEED and REDIS_FACTOR (working set, times MemTotal), REDIS_REQS (GETs),
# REDIS_CLIENTS (redis-benchmark connections), REDIS_VERIFY (keys read
# back).  The initramfs ships redis-server, redis-benchmark and
# redis-cli (tests/vm/mkinitramfs.sh, from the host's redis-tools).
#
#   bench_redis SYS REP   one Redis server holding REDIS_FACTOR x MemTotal
#                         of 1 KiB values, read back by redis-benchmark's
#                         uniformly random GETs; swap is already set up
#                         by the caller (SYS names it: vswap, zswap, ...)
#
# Lines:
#   BENCH sample redis_get_rps SYS REP R      redis-benchmark's GETs/s
#   BENCH sample redis_fill_s SYS REP S       redis_fill's SETs, seconds
#   BENCH sample redis_swap_mib SYS REP M     swap in use after the GETs
#   BENCH sample redis_nvme_wr_mib SYS REP M  written to the NVMe, fill
#                                             and GETs together
#   BENCH info redis_keys SYS REP N
#   BENCH info redis SYS REP KEY VALUE...     the same split by step
# Nothing here compares numbers.

: "${REDIS_FACTOR:=2}" "${REDIS_REQS:=200000}" "${REDIS_CLIENTS:=8}"
: "${REDIS_VERIFY:=20000}" "${SEED:=1234}"
REDIS_FILL=${REDIS_FILL:-/vm/redis_fill}
REDIS_PORT=6379
REDIS_PIDFILE=/run/redis-bench.pid
REDIS_LOG=/tmp/redis-bench.log
# Memory one key costs the server: N = REDIS_FACTOR * MemTotal /
# REDIS_KEY_BYTES.  Redis 7.0 with jemalloc 5.3 (Debian 12), measured as
# the growth of INFO's used_memory over 400000 keys: 1370 bytes, that is
# the value's sds (1024 + 4 bytes: jemalloc's 1280 size class), its robj
# (16), the key's sds (24), the dict entry (24) and the hash table's
# buckets (8-16); RSS grows by about as much.  Rounded up.
REDIS_KEY_BYTES=1400
REDIS_PC=

redis_meminfo_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }

# Swap in use (SwapTotal - SwapFree), MiB.
redis_swap_mib() {
	awk '$1 == "SwapTotal:" {t = $2} $1 == "SwapFree:" {f = $2}
		END {printf "%.1f", (t - f) / 1024}' /proc/meminfo
}

sectors_mib() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) / 2048}'; }

redis_pid() { cat "$REDIS_PIDFILE" 2>/dev/null || true; }

redis_ping() { redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true; }

# The server gone for good, vm.page-cluster back as it was.
redis_cleanup() {
	local pid
	pid=$(redis_pid)
	[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
	rm -f "$REDIS_PIDFILE"
	[ -z "$REDIS_PC" ] || echo "$REDIS_PC" >/proc/sys/vm/page-cluster
	REDIS_PC=
}

# redis_fail MSG: MSG, the server's last words and any OOM kill, then die
# with MSG's first and last lines.
redis_fail() {
	local msg=${1%%$'\n'*}
	[ "$msg" = "$1" ] || msg="$msg ... ${1##*$'\n'}"
	{
		echo "redis: $1"
		[ ! -r "$REDIS_LOG" ] || tail -n 15 "$REDIS_LOG" | sed 's/^/  log: /'
		dmesg | grep -iE 'out of memory|oom-kill|killed process' | tail -n 5 |
			sed 's/^/  dmesg: /' || true
	} >&2
	redis_cleanup
	die "redis: $msg"
}

redis_start() {
	local i=0
	rm -f "$REDIS_PIDFILE" "$REDIS_LOG"
	# No maxmemory: the whole data set stays in (swappable) memory.
	/usr/bin/redis-server --port "$REDIS_PORT" --save '' --appendonly no \
		--daemonize yes --protected-mode no --dir /tmp \
		--pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" ||
		redis_fail "redis-server did not start"
	while [ "$(redis_ping)" != PONG ]; do
		[ $i -lt 300 ] || redis_fail "redis-server does not answer PING after 60 s"
		sleep 0.2
		i=$((i + 1))
	done
}

# redis_stop SYS REP: SHUTDOWN NOSAVE, the process gone, then swap in use
# no longer falling (exit frees the process's slots, but a page that was
# swapped in and is still in the swap cache keeps its slot until reclaim
# or swapoff takes it: on a device without SWP_SYNCHRONOUS_IO, much of
# what the GETs read), for a minute at most.
redis_stop() {
	local pid i=0 still=0 t0 last cur
	pid=$(redis_pid)
	[ -n "$pid" ] || redis_fail "no pid in $REDIS_PIDFILE"
	t0=$EPOCHREALTIME
	# The server closes the connection instead of answering.
	redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
	while kill -0 "$pid" 2>/dev/null; do
		[ $i -lt 1200 ] || redis_fail "redis-server (pid $pid) still there 120 s after SHUTDOWN"
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$REDIS_PIDFILE"
	last=$(redis_swap_mib)
	i=0
	while [ $still -lt 4 ] && [ $i -lt 120 ]; do
		sleep 0.5
		cur=$(redis_swap_mib)
		if awk -v a="$cur" -v b="$last" 'BEGIN {exit !(a < b)}'; then
			still=0
		else
			still=$((still + 1))
		fi
		last=$cur
		i=$((i + 1))
	done
	emit info redis "$1" "$2" stop_s "$(awk -v a="$t0" -v b="$EPOCHREALTIME" \
		'BEGIN {printf "%.1f", b - a}')" swap_left_mib "$cur" \
		swap_cached_mib "$(awk '$1 == "SwapCached:" {printf "%.1f", $2 / 1024}' /proc/meminfo)"
}

bench_redis() {
	local sys=$1 rep=$2 n out fill_s csv rps verified base swap_fill swap_get
	local wr0 wr1 wr2
	n=$(awk -v f="$REDIS_FACTOR" -v m="$(redis_meminfo_kb MemTotal)" \
		-v b="$REDIS_KEY_BYTES" 'BEGIN {printf "%d", f * m * 1024 / b}')
	[ "$n" -gt 0 ] || die "redis: no keys (REDIS_FACTOR=$REDIS_FACTOR)"
	[ -x "$REDIS_FILL" ] || die "redis: $REDIS_FILL missing"
	command -v redis-benchmark >/dev/null || die "redis: no redis-benchmark in the initramfs"
	phase redis-start "$sys" "$rep"
	# One page per swap-in: a GET touches one random value.
	REDIS_PC=$(cat /proc/sys/vm/page-cluster)
	echo 0 >/proc/sys/vm/page-cluster
	base=$(redis_swap_mib)
	redis_start
	emit info redis_keys "$sys" "$rep" "$n"

	phase redis-fill "$sys" "$rep"
	wr0=$(nvme_wr_sectors)
	out=$("$REDIS_FILL" -p "$REDIS_PORT" -s "$SEED" fill "$n" 2>&1) ||
		redis_fail "redis_fill fill $n: $out"
	fill_s=$(echo "$out" | sed -n 's/^# filled [0-9]* keys in \([0-9.]*\) s$/\1/p')
	[ -n "$fill_s" ] || redis_fail "redis_fill fill $n said: $out"
	wr1=$(nvme_wr_sectors)
	swap_fill=$(redis_swap_mib)

	phase redis-get "$sys" "$rep"
	out=$(redis-benchmark -p "$REDIS_PORT" -t get -r "$n" -n "$REDIS_REQS" \
		-c "$REDIS_CLIENTS" -d 1024 --csv 2>&1) || redis_fail "redis-benchmark: $out"
	# "GET","<requests/s>","<avg ms>",...
	csv=$(echo "$out" | awk -F'"' '$2 == "GET"')
	rps=$(echo "$csv" | awk -F'"' '{print $4}')
	[[ $rps =~ ^[0-9]+(\.[0-9]+)?$ ]] || redis_fail "redis-benchmark said: $out"
	wr2=$(nvme_wr_sectors)
	swap_get=$(redis_swap_mib)

	phase redis-verify "$sys" "$rep"
	out=$("$REDIS_FILL" -p "$REDIS_PORT" -s "$SEED" verify "$n" "$REDIS_VERIFY" 2>&1) ||
		redis_fail "redis_fill verify $n $REDIS_VERIFY: $out"
	verified=$(echo "$out" | sed -n 's/^# verified \([0-9]*\) keys, 0 mismatches$/\1/p')
	[ -n "$verified" ] || redis_fail "redis_fill verify $n $REDIS_VERIFY said: $out"

	phase redis-stop "$sys" "$rep"
	redis_stop "$sys" "$rep"
	redis_cleanup

	emit sample redis_get_rps "$sys" "$rep" "$rps"
	emit sample redis_fill_s "$sys" "$rep" "$fill_s"
	emit sample redis_swap_mib "$sys" "$rep" "$swap_get"
	emit sample redis_nvme_wr_mib "$sys" "$rep" "$(sectors_mib "$wr0" "$wr2")"
	emit info redis "$sys" "$rep" swap_base_mib "$base" swap_fill_mib "$swap_fill" \
		nvme_fill_mib "$(sectors_mib "$wr0" "$wr1")" \
		nvme_get_mib "$(sectors_mib "$wr1" "$wr2")" \
		verified "$verified" get_csv "$csv"
}
