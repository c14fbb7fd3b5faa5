# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared helpers for the vswap selftests, sourced by every test_<group>_NN.sh.
# POSIX sh plus "local" (busybox ash, dash): the tests run under busybox
# ash in the QEMU guest.
#
# A test looks like:
#
#	#!/bin/sh
#	# vm: mem=512M
#	. "$(dirname "$0")/test_common.sh"
#	test_init "what this test checks"
#	vswap_load size=64M
#	assert_eq "$(vstat stored_pages)" 0 "fresh device stores nothing"
#	test_done
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.  Everything a test
# prints starts with '# '.  test_init marks the kernel log; test_done fails
# the test if the kernel logged a splat (BUG, WARNING, KASAN, lockdep, ...)
# after the mark.  The EXIT trap undoes whatever the test set up: workload
# processes, swap, cgroups, the module.
#
# Environment:
#   VSWAP_KO        path of vswap.ko to insmod when modprobe cannot find it
#   VSWAP_MISSING   "skip" to skip (exit 4) instead of failing when the
#                   module cannot be found at all
#   VSWAP_DEBUG     set to trace the helpers (set -x)

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

TEST_DIR=$(cd "$(dirname "$0")" && pwd)
TEST_NAME=$(basename "$0" .sh)
TEST_TMP=${TMPDIR:-/tmp}/vswap-$TEST_NAME.$$
CG_ROOT=${CG_ROOT:-/sys/fs/cgroup}
CG_TEST=$CG_ROOT/vswap-$TEST_NAME
_TRACKED_PIDS=
_MARK=
_T0=

log() { echo "# $*"; }

# lane_algos ALL DEBUG: the algorithms a test sweeps.  The debug kernel
# (VM_KERNEL=debug, KASAN + lockdep + kmemleak) is ~4x slower and looks for
# memory and locking bugs, which do not depend on the compressor: it runs
# DEBUG only.  The Debian lane runs ALL.
lane_algos() {
	if [ "${VM_KERNEL:-}" = debug ]; then echo "$2"; else echo "$1"; fi
}

# lane NORMAL DEBUG: a size or count for this lane.  Under KASAN and TCG
# the debug kernel is ~5x slower; it looks for memory and locking bugs,
# which a smaller working set finds as well.
lane() {
	lane_algos "$@"
}

# Kernel log lines that fail any test.
_SPLAT_RE='BUG:|WARNING:|Oops|general protection fault|kernel BUG|KASAN|UBSAN|KFENCE|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep|hung_task|blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected|rcu: INFO|list_add corruption|list_del corruption|refcount_t:|Bad page|invoked oom-killer|Out of memory|Call Trace:'

# ---------------------------------------------------------------------------
# Results

dump_state() {
	local local_d
	for local_d in /sys/block/vswap*; do
		[ -d "$local_d/vswap" ] || continue
		log "state of ${local_d##*/}:"
		vswap_show "${local_d##*/}"
	done
	if [ -r /proc/swaps ]; then
		log "/proc/swaps:"
		sed 's/^/#   /' /proc/swaps
	fi
	log "kernel log since the test started (last 40 lines):"
	dmesg_since_mark | tail -n 40 | sed 's/^/#   /'
}

fail() {
	echo "# FAIL: $TEST_NAME: $*"
	dump_state
	exit $KSFT_FAIL
}

skip() {
	echo "# SKIP: $TEST_NAME: $*"
	exit $KSFT_SKIP
}

# ---------------------------------------------------------------------------
# Assertions (integers unless noted).  The last argument says what is
# being checked; it is printed on success and on failure.

is_uint() {
	case $1 in
	''|*[!0-9]*) return 1 ;;
	*) return 0 ;;
	esac
}

is_int() {
	case $1 in
	-*) is_uint "${1#-}" ;;
	*) is_uint "$1" ;;
	esac
}

_cmp() {
	# _cmp A OP B WHAT
	is_int "$1" || fail "$4: '$1' is not a number"
	is_int "$3" || fail "$4: '$3' is not a number"
	if [ "$1" "-$2" "$3" ]; then
		log "ok: $4 ($1 $2 $3)"
	else
		fail "$4: expected $1 $2 $3"
	fi
}

# expect_*: like assert_* but the test goes on; test_done fails the test
# if any expectation was not met.  For checks whose failure should not
# hide the results of the rest of the test.
_EXPECT_FAILS=0
_ecmp() {
	if is_int "$1" && is_int "$3" && [ "$1" "-$2" "$3" ]; then
		log "ok: $4 ($1 $2 $3)"
	else
		log "NOT OK: $4: expected $1 $2 $3 (the test goes on, and will fail)"
		_EXPECT_FAILS=$((_EXPECT_FAILS + 1))
	fi
}
expect_eq() { _ecmp "$1" eq "$2" "$3"; }
expect_lt() { _ecmp "$1" lt "$2" "$3"; }
expect_le() { _ecmp "$1" le "$2" "$3"; }
expect_ge() { _ecmp "$1" ge "$2" "$3"; }

assert_eq() { _cmp "$1" eq "$2" "$3"; }
assert_ne() { _cmp "$1" ne "$2" "$3"; }
assert_lt() { _cmp "$1" lt "$2" "$3"; }
assert_le() { _cmp "$1" le "$2" "$3"; }
assert_gt() { _cmp "$1" gt "$2" "$3"; }
assert_ge() { _cmp "$1" ge "$2" "$3"; }

# assert_str ACTUAL EXPECTED WHAT
assert_str() {
	if [ "$1" = "$2" ]; then
		log "ok: $3 ('$1')"
	else
		fail "$3: expected '$2', got '$1'"
	fi
}

# assert_ok WHAT CMD...: CMD must succeed; its output is shown on failure.
assert_ok() {
	local local_out local_what
	local_what=$1
	shift
	if local_out=$("$@" 2>&1); then
		log "ok: $local_what"
	else
		echo "$local_out" | sed 's/^/#   /'
		fail "$local_what: '$*' failed"
	fi
}

# assert_fails WHAT CMD...: CMD must fail.
assert_fails() {
	local local_out local_what
	local_what=$1
	shift
	if local_out=$("$@" 2>&1); then
		echo "$local_out" | sed 's/^/#   /'
		fail "$local_what: '$*' succeeded"
	else
		log "ok: $local_what (refused: $(echo "$local_out" | head -n 1))"
	fi
}

# ---------------------------------------------------------------------------
# Requirements

require_root() {
	[ "$(id -u)" = 0 ] || skip "must run as root"
}

require_cmd() {
	local local_c
	for local_c in "$@"; do
		command -v "$local_c" >/dev/null 2>&1 || skip "'$local_c' not found"
	done
}

require_prog() {
	local local_p
	# A program built by the Makefile next to the scripts.
	for local_p in "$@"; do
		[ -x "$TEST_DIR/$local_p" ] ||
			fail "$TEST_DIR/$local_p missing: run make in tests/selftests/vswap"
	done
}

require_memcg() {
	[ -r "$CG_ROOT/cgroup.controllers" ] || skip "cgroup2 is not mounted at $CG_ROOT"
	grep -qw memory "$CG_ROOT/cgroup.controllers" ||
		skip "the memory controller is not available"
}

require_mem_mb() {
	local local_have
	local_have=$(($(meminfo_kb MemTotal) / 1024))
	[ "$local_have" -ge "$1" ] ||
		skip "needs ${1} MiB of RAM, the VM has ${local_have} MiB (# vm: mem=)"
}

# ---------------------------------------------------------------------------
# Kernel log

dmesg_mark() {
	_MARK="vswap-selftest: $TEST_NAME start $$ $(date +%s)"
	echo "$_MARK" >/dev/kmsg 2>/dev/null || _MARK=
}

dmesg_since_mark() {
	if [ -n "$_MARK" ] && dmesg | grep -qF "$_MARK"; then
		dmesg | awk -v m="$_MARK" 'seen { print } index($0, m) { seen = 1 }'
	else
		dmesg
	fi
}

# dmesg_expect WHAT ERE: the kernel log since the mark has a matching line.
dmesg_expect() {
	local local_line
	local_line=$(dmesg_since_mark | grep -iE -- "$2" | tail -n 1)
	[ -n "$local_line" ] || fail "$1: no kernel log line matching /$2/"
	log "ok: $1: ${local_line#\[*\] }"
}

dmesg_check_clean() {
	local local_bad
	local_bad=$(dmesg_since_mark | grep -E "$_SPLAT_RE" | head -n 20)
	if [ -n "$local_bad" ]; then
		echo "$local_bad" | sed 's/^/#   /'
		fail "the kernel logged a warning, bug or splat (above)"
	fi
}

# kmemleak_check: with CONFIG_DEBUG_KMEMLEAK, scan and fail on any leak that
# mentions vswap.  A no-op on kernels without kmemleak.
kmemleak_check() {
	local local_k
	local_k=/sys/kernel/debug/kmemleak
	[ -w "$local_k" ] || return 0
	echo scan >"$local_k" 2>/dev/null || return 0
	sleep 1
	echo scan >"$local_k" 2>/dev/null
	if grep -q vswap "$local_k" 2>/dev/null; then
		head -n 60 "$local_k" | sed 's/^/#   /'
		fail "kmemleak reports leaked objects from vswap"
	fi
	log "ok: kmemleak found nothing from vswap"
}

# ---------------------------------------------------------------------------
# Waiting and processes

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	local local_n
	local_n=$(($1 * 5))
	shift
	while ! "$@" >/dev/null 2>&1; do
		local_n=$((local_n - 1))
		[ "$local_n" -gt 0 ] || return 1
		sleep 0.2
	done
	return 0
}

# track_pid PID: killed (SIGKILL) on exit if still running.
track_pid() {
	_TRACKED_PIDS="$_TRACKED_PIDS $1"
}

untrack_pid() {
	local local_new local_p
	for local_p in $_TRACKED_PIDS; do
		[ "$local_p" = "$1" ] || local_new="$local_new $local_p"
	done
	_TRACKED_PIDS=$local_new
}

elapsed() {
	echo $(($(date +%s) - _T0))
}

# ---------------------------------------------------------------------------
# /proc readers

meminfo_kb() {
	awk -v f="$1:" '$1 == f { print $2; exit }' /proc/meminfo
}

vmstat_get() {
	awk -v f="$1" '$1 == f { print $2; exit }' /proc/vmstat
}

# swap_used_kb DEV: the Used column of /proc/swaps for /dev/DEV, empty if
# DEV is not active swap.
swap_used_kb() {
	awk -v d="/dev/$1" '$1 == d { print $4; exit }' /proc/swaps
}

swap_active() {
	grep -q "^/dev/$1[[:space:]]" /proc/swaps
}

# ---------------------------------------------------------------------------
# The module

vswap_loaded() {
	[ -d /sys/module/vswap ]
}

_vswap_find_ko() {
	local local_ko
	for local_ko in "$VSWAP_KO" "$TEST_DIR/vswap.ko" "$TEST_DIR/../vswap.ko" \
			/lib/modules/"$(uname -r)"/extra/vswap.ko \
			/lib/modules/"$(uname -r)"/updates/vswap.ko; do
		[ -n "$local_ko" ] && [ -r "$local_ko" ] && echo "$local_ko" && return 0
	done
	return 1
}

# vswap_available: modprobe can find the module, or a vswap.ko exists.
vswap_available() {
	modinfo vswap >/dev/null 2>&1 && return 0
	_vswap_find_ko >/dev/null
}

require_vswap() {
	vswap_available && return 0
	[ "${VSWAP_MISSING:-}" = skip ] && skip "vswap module not found"
	fail "vswap module not found (modinfo vswap fails; set VSWAP_KO or install it)"
}

# vswap_try_load PARAMS...: load the module; returns its status, the
# loader's messages are in $LOAD_OUT.
vswap_try_load() {
	local local_ko local_m
	if modinfo vswap >/dev/null 2>&1; then
		LOAD_OUT=$(modprobe vswap "$@" 2>&1)
	else
		local_ko=$(_vswap_find_ko) || {
			LOAD_OUT="vswap.ko not found"
			return 1
		}
		# Dependencies, in case they are modules (errors: built in).
		for local_m in zsmalloc lz4_compress lz4hc_compress \
				lz4_decompress zstd_compress zstd_decompress; do
			modprobe "$local_m" >/dev/null 2>&1
		done
		LOAD_OUT=$(insmod "$local_ko" "$@" 2>&1)
	fi
}

# vswap_load PARAMS...: load the module or fail the test.  With size= it
# also waits for every /dev/vswapN node.
vswap_load() {
	local local_a local_i local_n
	vswap_loaded && fail "vswap is already loaded"
	if ! vswap_try_load "$@"; then
		echo "$LOAD_OUT" | sed 's/^/#   /'
		dmesg_since_mark | grep -i vswap | tail -n 5 | sed 's/^/#   /'
		fail "loading vswap $* failed"
	fi
	local_n=0
	case " $* " in
	*" size="*)
		local_n=1
		for local_a in "$@"; do
			case $local_a in num_devices=*) local_n=${local_a#*=} ;; esac
		done
		;;
	esac
	local_i=0
	while [ "$local_i" -lt "$local_n" ]; do
		wait_for 10 test -b "/dev/vswap$local_i" ||
			fail "/dev/vswap$local_i did not appear after loading vswap $*"
		local_i=$((local_i + 1))
	done
	log "loaded vswap $* ($local_n device(s))"
}

vswap_unload() {
	local local_out
	vswap_loaded || return 0
	if ! local_out=$(rmmod vswap 2>&1); then
		echo "$local_out" | sed 's/^/#   /'
		fail "rmmod vswap failed"
	fi
	wait_for 10 sh -c '! test -d /sys/module/vswap' ||
		fail "/sys/module/vswap still present after rmmod"
	log "unloaded vswap"
}

# vstat NAME [DEV]: one device statistic, e.g. vstat stored_pages vswap0.
vstat() {
	local local_f
	local_f=/sys/block/${2:-vswap0}/vswap/$1
	if [ -r "$local_f" ]; then
		cat "$local_f"
	else
		echo "missing:$local_f"
	fi
}

# tstat TIER NAME [DEV]: one tier statistic, e.g. tstat ram pages.
tstat() {
	vstat "tiers/$1/$2" "${3:-vswap0}"
}

vswap_show() {
	local local_dev local_f local_s local_t
	local_dev=${1:-vswap0}
	for local_f in algorithm level reads writes discards frees miss_frees \
			failed_reads failed_writes stored_pages meta_bytes clusters; do
		local_s="$local_s $local_f=$(vstat "$local_f" "$local_dev")"
	done
	log "$local_dev:$local_s"
	for local_t in /sys/block/"$local_dev"/vswap/tiers/*; do
		[ -d "$local_t" ] || continue
		local_s=
		for local_f in "$local_t"/*; do
			[ -f "$local_f" ] && local_s="$local_s ${local_f##*/}=$(cat "$local_f")"
		done
		log "$local_dev tier ${local_t##*/}:$local_s"
	done
}

# assert_no_failed_io [DEV]
assert_no_failed_io() {
	assert_eq "$(vstat failed_reads "${1:-vswap0}")" 0 "${1:-vswap0} failed_reads"
	assert_eq "$(vstat failed_writes "${1:-vswap0}")" 0 "${1:-vswap0} failed_writes"
}

# assert_stats_consistent [DEV]: invariants between the counters.
assert_stats_consistent() {
	local local_dev local_rp local_sp
	local_dev=${1:-vswap0}
	local_sp=$(tstat same pages "$local_dev")
	local_rp=$(tstat ram pages "$local_dev")
	assert_eq "$(vstat stored_pages "$local_dev")" $((local_sp + local_rp)) \
		"$local_dev stored_pages = same.pages + ram.pages"
	assert_eq "$(tstat same payload_bytes "$local_dev")" 0 "$local_dev same tier stores no bytes"
	assert_eq "$(tstat same orig_bytes "$local_dev")" $((local_sp * 4096)) \
		"$local_dev same.orig_bytes = 4 KiB per page"
	assert_eq "$(tstat ram orig_bytes "$local_dev")" $((local_rp * 4096)) \
		"$local_dev ram.orig_bytes = 4 KiB per page"
	assert_le "$(tstat ram payload_bytes "$local_dev")" $((local_rp * 4096)) \
		"$local_dev ram never stores more than the raw size"
	assert_le "$(tstat ram huge_pages "$local_dev")" "$local_rp" \
		"$local_dev ram.huge_pages <= ram.pages"
	assert_ge "$(tstat ram payload_bytes "$local_dev")" \
		$(($(tstat ram huge_pages "$local_dev") * 4096)) \
		"$local_dev ram.payload_bytes covers the huge pages"
}

# ---------------------------------------------------------------------------
# Raw device I/O with busybox dd (4 KiB blocks, page-cache bypassed)

# dev_write DEV FIRST_BLOCK COUNT SOURCE_FILE
dev_write() {
	dd if="$4" of="/dev/$1" bs=4096 seek="$2" count="$3" \
		oflag=direct conv=notrunc 2>/dev/null
}

# dev_read DEV FIRST_BLOCK COUNT OUTPUT_FILE
dev_read() {
	dd if="/dev/$1" of="$4" bs=4096 skip="$2" count="$3" iflag=direct 2>/dev/null
}

# make_file KIND BLOCKS PATH: zero | same (0xdeadbeef) | text | random
make_file() {
	case $1 in
	zero) dd if=/dev/zero of="$3" bs=4096 count="$2" 2>/dev/null ;;
	same) dd if=/dev/zero bs=4096 count="$2" 2>/dev/null |
		tr '\000' '\336' >"$3" ;;	# 0xdededede...
	text) yes "vswap selftest compressible line of text 0123456789" |
		head -c $(($2 * 4096)) >"$3" ;;
	random) dd if=/dev/urandom of="$3" bs=4096 count="$2" 2>/dev/null ;;
	*) fail "make_file: unknown kind $1" ;;
	esac
}

# ---------------------------------------------------------------------------
# Memory cgroups

# cg_create LIMIT: a child cgroup for the test with memory.max=LIMIT
# (e.g. 128M), swap unlimited.  Sets $CG_TEST.
cg_create() {
	require_memcg
	grep -qw memory "$CG_ROOT/cgroup.subtree_control" ||
		echo +memory >"$CG_ROOT/cgroup.subtree_control" ||
		fail "cannot enable the memory controller in $CG_ROOT"
	[ -d "$CG_TEST" ] || mkdir "$CG_TEST" || fail "mkdir $CG_TEST"
	echo "$1" >"$CG_TEST/memory.max" || fail "memory.max=$1"
	[ -w "$CG_TEST/memory.swap.max" ] && echo max >"$CG_TEST/memory.swap.max"
	log "cgroup ${CG_TEST##*/}: memory.max=$(cat "$CG_TEST/memory.max") memory.swap.max=$(cat "$CG_TEST/memory.swap.max" 2>/dev/null)"
}

# cg_exec CMD...: run CMD inside $CG_TEST (in the foreground).
cg_exec() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG_TEST" "$@"
}

# --- a verifying swap load, run over and over --------------------------------
# load_start ARGS...: swap_stress ARGS in the test's cgroup, again and again
# until load_stop; each run's result is a line of $LOAD_RUNS.
load_start() {
	LOAD_STOP=$TEST_TMP/load.stop
	LOAD_RUNS=$TEST_TMP/load.runs
	rm -f "$LOAD_STOP" "$LOAD_RUNS"
	(
		while [ ! -e "$LOAD_STOP" ]; do
			if cg_exec "$TEST_DIR/swap_stress" "$@" >"$TEST_TMP/load.last" 2>&1; then
				echo ok >>"$LOAD_RUNS"
			else
				echo "FAILED rc=$?" >>"$LOAD_RUNS"
				cat "$TEST_TMP/load.last" >>"$TEST_TMP/load.failed"
			fi
		done
	) &
	LOAD_PID=$!
	track_pid $LOAD_PID
}

load_runs() { grep -c . "$LOAD_RUNS" 2>/dev/null || echo 0; }

# load_check WHEN: fails the test if a run failed: bad data, or killed
# (rc 137: the memory cgroup's OOM killer, whose report is in the log).
load_check() {
	local rcs
	if grep -q FAILED "$LOAD_RUNS" 2>/dev/null; then
		sed 's/^/#   /' "$TEST_TMP/load.failed"
		rcs=$(grep FAILED "$LOAD_RUNS" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
		case $rcs in
		*rc=137*) fail "swap_stress was killed ($1; runs:$rcs see the kernel's OOM report)" ;;
		*) fail "swap_stress found bad data ($1; runs:$rcs)" ;;
		esac
	fi
}

# load_next WHEN: one more run completes (within 120 s), then load_check.
load_next() {
	local n0
	n0=$(load_runs)
	wait_for 120 sh -c "[ \$(grep -c . '$LOAD_RUNS') -ge $((n0 + 1)) ]" ||
		fail "the load stalled $1"
	load_check "$1"
}

# load_stop: ends the loop after the current run, checks every run.
load_stop() {
	touch "$LOAD_STOP"
	wait $LOAD_PID
	untrack_pid $LOAD_PID
	load_check "at the end"
}

cg_destroy() {
	local local_p
	[ -d "$CG_TEST" ] || return 0
	if [ -r "$CG_TEST/cgroup.procs" ]; then
		for local_p in $(cat "$CG_TEST/cgroup.procs"); do
			kill -9 "$local_p" 2>/dev/null
		done
	fi
	wait_for 10 rmdir "$CG_TEST" || log "warning: cannot remove $CG_TEST"
}

cg_stat() {
	awk -v f="$1" '$1 == f { print $2; exit }' "$CG_TEST/memory.stat"
}

# ---------------------------------------------------------------------------
# Setup and teardown

_cleanup() {
	local local_d local_p
	for local_p in $_TRACKED_PIDS; do
		kill -9 "$local_p" 2>/dev/null
	done
	for local_p in $_TRACKED_PIDS; do
		wait "$local_p" 2>/dev/null
	done
	_TRACKED_PIDS=
	if [ -r /proc/swaps ]; then
		for local_d in $(awk '$1 ~ /^\/dev\/vswap/ { print $1 }' /proc/swaps); do
			swapoff "$local_d" 2>/dev/null ||
				log "cleanup: swapoff $local_d failed"
		done
	fi
	cg_destroy
	if vswap_loaded; then
		rmmod vswap 2>/dev/null || log "cleanup: rmmod vswap failed"
	fi
	rm -rf "$TEST_TMP"
}

_on_exit() {
	_EXIT_RC=$?	# before anything else resets $?
	trap - EXIT
	_cleanup
	exit "$_EXIT_RC"
}

# test_init "DESCRIPTION": every test calls this first.
test_init() {
	require_root
	_T0=$(date +%s)
	log "$TEST_NAME: $*"
	log "kernel $(uname -r), $(nproc) CPUs, $(($(meminfo_kb MemTotal) / 1024)) MiB RAM"
	trap _on_exit EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$TEST_TMP" || fail "mkdir $TEST_TMP"
	# A previous test that crashed may have left things behind.
	_cleanup
	mkdir -p "$TEST_TMP"
	vswap_loaded && fail "vswap is loaded and cannot be unloaded"
	dmesg_mark
}

# test_done: check the kernel log and pass.
test_done() {
	dmesg_check_clean
	[ "$_EXPECT_FAILS" -eq 0 ] ||
		fail "$_EXPECT_FAILS expectation(s) not met (NOT OK lines above)"
	log "$TEST_NAME: PASS ($(elapsed) s)"
	exit $KSFT_PASS
}

# ---------------------------------------------------------------------------
# Swap on vswap

# vswap_swapon [DEV [PRIO]]: mkswap + swapon, checked in /proc/swaps.
vswap_swapon() {
	local local_dev
	local_dev=${1:-vswap0}
	assert_ok "mkswap /dev/$local_dev" mkswap "/dev/$local_dev"
	if [ -n "${2:-}" ]; then
		# busybox swapon has no -p
		require_prog swapon_prio
		assert_ok "swapon /dev/$local_dev priority $2" \
			"$TEST_DIR/swapon_prio" "/dev/$local_dev" "$2"
	else
		assert_ok "swapon /dev/$local_dev" swapon "/dev/$local_dev"
	fi
	swap_active "$local_dev" || fail "/dev/$local_dev is not in /proc/swaps after swapon"
}

# wait_file SECONDS FILE [PID]: wait for FILE to exist; fails early if PID
# (the process that should create it) exits first.
wait_file() {
	local local_n
	local_n=$(($1 * 5))
	while [ ! -s "$2" ]; do
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			return 1
		fi
		local_n=$((local_n - 1))
		[ "$local_n" -gt 0 ] || return 1
		sleep 0.2
	done
	return 0
}

# memcg_swap_kb: memory.swap.current of $CG_TEST in KiB.
memcg_swap_kb() {
	echo $(($(cat "$CG_TEST/memory.swap.current" 2>/dev/null || echo 0) / 1024))
}
