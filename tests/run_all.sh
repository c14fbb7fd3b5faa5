#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: everything CI runs, on a fresh Debian 12 machine.
#
#   1. host packages; Debian's kernels (apt, private state): 6.12 (the
#      primary lane), 6.1 and the newest, and linux-source-6.12
#   2. build: vswap.ko for each lane (W=1, warnings fail; newest in its
#      Debian 13 root), userspace, selftest programs
#   3. userspace unit tests (ASan/UBSan); vswapctl's own checks
#   4. checkpatch --strict; sparse against every lane; the netlink uAPI
#      header against its YNL spec (tests/uapi)
#   5. VM selftests: all of them on 6.12, a smoke set on 6.1 and newest
#      (tests/run_all.sh --list shows which, without running anything)
#   6. the systemd boot test: Debian 13 root, normal / vswap=off / broken
#      config / no NVMe boots, DKMS for a second kernel (tests/vm/boot/)
#   7. debug lane: the selftests on a KASAN/lockdep/kmemleak kernel built
#      from linux-source-6.12 (cached under build/debug-kernel/)
#
# The debug kernel builds in the background from the start (nice'd), and
# its lane then runs in the background too, beside the foreground lanes:
# VMs wait on emulated disks and timers as much as they compute, so two
# at a time finish sooner on 2 cores.  VSWAP_TEST_DEBUG=0 skips the lane,
# VSWAP_TEST_BOOT=0 the boot test.
# Every check counts: the last line is "N passed, N failed, N skipped".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$top/build/test
mkdir -p "$logs"
debug=${VSWAP_TEST_DEBUG:-1}

# The VM selftest lanes.  6.12, the primary lane, runs every test; 6.1
# and the newest run the smoke set: the tests whose own header says
# "# smoke: yes" (tests/vm/selftests.sh --smoke; today load/unload, fio
# verify, swap under global memory pressure with verification -- the
# route by which reclaim reaches the device that users hit; the
# memory-cgroup route runs on 6.12 -- swap-in from every tier under load
# with a live drain, one netlink test, the fault matrix).
LANES=(6.12 6.1 newest)
lane_selection() { [ "$1" = 6.12 ] || echo --smoke; }

# --list: the selftests each lane would run (and the debug lane's skips);
# nothing is built or run.
if [ "${1:-}" = --list ]; then
	for lane in "${LANES[@]}"; do
		# shellcheck disable=SC2046 # lane_selection: no word or one
		echo "$lane: $(tests/vm/selftests.sh --list $(lane_selection "$lane") | tr '\n' ' ')"
	done
	echo "debug:"
	tests/vm/selftests.sh --kernel debug --list | sed 's/^/  /'
	exit 0
fi

passed=0 failed=0 skipped=0
failures=()
details=$logs/failure-details
rm -f "$details"
t_start=$SECONDS

note() { printf '== %s\n' "$*"; }
pass() { passed=$((passed + 1)); printf 'ok      %s\n' "$1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAILED  %s\n' "$1"; }
skip() { skipped=$((skipped + 1)); printf 'skip    %s\n' "$1"; }

# step NAME CMD...: one check, output to build/test/NAME.log, tail on failure.
step() {
	local name=$1 t0=$SECONDS
	shift
	if "$@" >"$logs/$name.log" 2>&1; then
		pass "$name ($((SECONDS - t0)) s)"
		return 0
	fi
	fail "$name ($((SECONDS - t0)) s, log: build/test/$name.log)"
	tail -n 25 "$logs/$name.log" | sed 's/^/    /'
	return 1
}

# tap NAME LOG: fold a TAP stream's results into the totals.
tap() {
	local name=$1 log=$2 line
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*) skip "$name: ${line#ok }" ;;
		"ok "*) pass "$name: ${line#ok }" ;;
		"not ok "*) fail "$name: ${line#not ok }" ;;
		esac
	done < <(grep -a -E '^(not )?ok [0-9]+' "$log")
	# What a failed test printed (its guest-side tail), shown again at
	# the end where a CI log's tail keeps it.
	awk -v lane="$name" '/^not ok /{p = 1; print lane ": " $0; next}
		p && /^# log:/{p = 0} p' "$log" >>"$details"
}

note "host packages and kernels"
step host-deps tests/vm/host-deps.sh || exit 1
step fetch-kernel tests/vm/fetch-kernel.sh || exit 1
step linux-source tests/vm/linux-source.sh || exit 1

# The debug lane, in the background: its kernel builds while the
# foreground builds and checks; its selftests wait for the userspace
# build (the initramfs ships vswapctl and the test programs), then run
# beside the foreground lanes.  Exit 2: the kernel did not build.
built_flag=$logs/.userspace-built
rm -f "$built_flag"
debug_lane() {
	tests/vm/build-debug-kernel.sh >"$logs/debug-kernel.log" 2>&1 || return 2
	while [ ! -e "$built_flag" ]; do sleep 2; done
	tests/vm/selftests.sh --kernel debug >"$logs/selftests-debug.tap" 2>&1
	return 0
}
debug_pid=
if [ "$debug" = 1 ]; then
	note "debug lane: kernel build, then its selftests, in the background (log: build/test/debug-kernel.log)"
	debug_lane &
	debug_pid=$!
fi

# The boot test's Debian 13 root (mmdebstrap: mostly downloads and dpkg)
# is made in the background too; the boot test waits for it.
boot=${VSWAP_TEST_BOOT:-1}
mkroot_pid=
if [ "$boot" = 1 ]; then
	tests/vm/boot/mkroot.sh >"$logs/boot-mkroot.log" 2>&1 &
	mkroot_pid=$!
fi

note "build"
declare -A built=()
for lane in "${LANES[@]}"; do
	[ "$lane" = 6.12 ] || step "fetch-kernel-$lane" tests/vm/fetch-kernel.sh --kernel "$lane" || continue
	step "module-$lane" tests/vm/build-module.sh --kernel "$lane" --sparse && built[$lane]=1
done
step userspace make userspace selftests
touch "$built_flag"

note "unit tests"
# The unit suite reports its own cases ("unit: N passed, N failed"); they
# count one by one.  A crash before that line counts as one failure.
t0=$SECONDS
make unit >"$logs/unit.log" 2>&1
urc=$?
u=$(grep -a -E '^unit: [0-9]+ passed, [0-9]+ failed' "$logs/unit.log" | tail -n1)
if [ -n "$u" ]; then
	read -r up uf < <(echo "$u" | sed -E 's/^unit: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
	passed=$((passed + up)) failed=$((failed + uf))
	printf '%-7s %s (%d s)\n' "$([ "$uf" -eq 0 ] && echo ok || echo FAILED)" "$u" $((SECONDS - t0))
	[ "$uf" -eq 0 ] || failures+=("unit ($uf cases, log: build/test/unit.log)")
fi
if [ $urc -ne 0 ] && { [ -z "$u" ] || [ "$uf" -eq 0 ]; }; then
	fail "unit (exit $urc, log: build/test/unit.log)"
	tail -n 25 "$logs/unit.log" | sed 's/^/    /'
fi

# vswapctl against a fake netlink socket: parsing, output, exit codes.
step vswapctl-check make -C userspace/vswapctl check

note "style and static checks"
step checkpatch make style
# The netlink spec (docs/netlink/vswap.yaml) and the uAPI header agree;
# the header compiles standalone as C11 and C++11.
step uapi make -C tests/uapi
# The user's interface: make, make sparse (default lane, in the tree).
step sparse make sparse

# lane_tests NAME LANE TESTS...: one lane's selftests, folded in as NAME.
lane_tests() {
	local name=$1 lane=$2 log=$logs/selftests-$1.tap
	shift 2
	VSWAP_KERNEL=$lane tests/vm/selftests.sh --kernel debian "$@" >"$log" 2>&1
	tap "$name" "$log"
	grep -a -q '^1\.\.' "$log" || fail "$name: harness failed (build/test/selftests-$name.tap)"
}

for lane in "${LANES[@]}"; do
	if [ "$lane" = 6.12 ]; then
		note "VM selftests: 6.12 (every test)"
	else
		note "VM selftests: $lane (smoke set)"
	fi
	if [ -n "${built[$lane]:-}" ]; then
		# shellcheck disable=SC2046 # lane_selection: no word or one
		lane_tests "$lane" "$lane" $(lane_selection "$lane")
	else
		fail "$lane: selftests not run (vswap.ko did not build)"
	fi
done

# The systemd boot test: a Debian 13 root (mmdebstrap, cached in
# build/boot-root) with vswap installed by make install (and make
# dkms-install for a second kernel), booted with systemd as PID 1: normal,
# vswap=off, a broken config line, no NVMe.  One TAP line per check.
if [ "$boot" = 1 ]; then
	note "systemd boot test (Debian 13)"
	if ! wait "$mkroot_pid"; then
		fail "boot: the Debian 13 root (log: build/test/boot-mkroot.log)"
		tail -n 25 "$logs/boot-mkroot.log" | sed 's/^/    /'
	fi
	tests/vm/boot/run.sh >"$logs/boot.tap" 2>&1
	tap boot "$logs/boot.tap"
	grep -a -q '^1\.\.' "$logs/boot.tap" || fail "boot: harness failed (build/test/boot.tap)"
	grep -a '^# \(systemd-analyze\|boot test\)' "$logs/boot.tap" | sed 's/^# /        /'
else
	skip "systemd boot test (VSWAP_TEST_BOOT=0)"
fi

if [ "$debug" = 1 ]; then
	note "debug lane (KASAN, lockdep, kmemleak, fault injection; 6.12)"
	t0=$SECONDS
	wait "$debug_pid"
	rc=$?
	if [ $rc -eq 2 ]; then
		fail "debug-kernel build (log: build/test/debug-kernel.log)"
		tail -n 25 "$logs/debug-kernel.log" | sed 's/^/    /'
	else
		pass "debug-kernel build ($(cat build/debug-kernel/current/build-seconds 2>/dev/null || echo cached) s to build; lane done $((SECONDS - t0)) s after the foreground)"
		tap debug "$logs/selftests-debug.tap"
		grep -a -q '^1\.\.' "$logs/selftests-debug.tap" || fail "debug: harness failed (build/test/selftests-debug.tap)"
	fi
else
	skip "debug lane (VSWAP_TEST_DEBUG=0)"
fi

echo
note "make test took $((SECONDS - t_start)) s"
if [ -s "$details" ]; then
	note "what the failed VM tests printed last"
	tail -n 80 "$details"
fi
for f in ${failures[@]+"${failures[@]}"}; do
	echo "failed: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
