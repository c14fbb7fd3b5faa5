#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: everything CI runs, on a fresh Debian 12 machine.
#
#   1. host packages, Debian's kernel + headers (apt), linux-source-6.1
#   2. build: vswap.ko (W=1, warnings fail), userspace, selftest programs
#   3. userspace unit tests (ASan/UBSan); vswapctl's own checks
#   4. checkpatch --strict and sparse over the kernel code; the netlink
#      uAPI header against its YNL spec (tests/uapi)
#   5. VM selftests on Debian's kernel
#   6. the 6.12 lane: build + smoke set
#   7. the systemd boot test: Debian 13 root, normal / vswap=off / broken
#      config / no NVMe boots, DKMS for a second kernel (tests/vm/boot/)
#   8. debug lane: the same selftests on a KASAN/lockdep/kmemleak kernel
#      built from linux-source-6.1 (cached under build/debug-kernel/)
#
# The debug kernel builds in the background from the start (nice'd), so
# its ~10 minutes overlap steps 2-5.  VSWAP_TEST_DEBUG=0 skips the lane,
# VSWAP_TEST_BOOT=0 the boot test.
# Every check counts: the last line is "N passed, N failed, N skipped".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$top/build/test
mkdir -p "$logs"
debug=${VSWAP_TEST_DEBUG:-1}

passed=0 failed=0 skipped=0
failures=()
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
}

note "host packages and kernels"
step host-deps tests/vm/host-deps.sh || exit 1
step fetch-kernel tests/vm/fetch-kernel.sh || exit 1
step linux-source tests/vm/linux-source.sh || exit 1

debug_pid=
if [ "$debug" = 1 ]; then
	note "debug kernel: building in the background (log: build/test/debug-kernel.log)"
	tests/vm/build-debug-kernel.sh >"$logs/debug-kernel.log" 2>&1 &
	debug_pid=$!
fi

note "build"
# Kbuild prints warnings without failing: W=1 output must have none.
build_module() {
	make module || return 1
	! grep -E 'warning:|error:' "$logs/module.log"
}
step module build_module
step userspace make userspace selftests

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
step sparse make sparse

note "VM selftests (Debian kernel)"
tests/vm/selftests.sh --kernel debian >"$logs/selftests-debian.tap" 2>&1
tap selftests "$logs/selftests-debian.tap"
grep -a -q '^1\.\.' "$logs/selftests-debian.tap" || fail "selftests: harness failed (build/test/selftests-debian.tap)"

# 6.12 LTS (Debian 13's line, built for Debian 12 with gcc-12): the module
# builds warning-free and a smoke set runs, including swap-in from every tier
# under load (test_tier_02) and the fault matrix (test_tier_03).  The full
# suite moves to this lane once it has run there end to end.
note "6.12 lane (build + smoke set)"
build_module_612() {
	VSWAP_KERNEL=6.12 make module || return 1
	! grep -E 'warning:|error:' "$logs/module-6.12.log"
}
if step fetch-kernel-6.12 tests/vm/fetch-kernel.sh --kernel 6.12 && step module-6.12 build_module_612; then
	VSWAP_KERNEL=6.12 tests/vm/selftests.sh --kernel debian test_load_01.sh test_swap_01.sh \
		test_tier_02.sh test_tier_03.sh >"$logs/selftests-6.12.tap" 2>&1
	tap smoke-6.12 "$logs/selftests-6.12.tap"
	grep -a -q '^1\.\.' "$logs/selftests-6.12.tap" || fail "smoke-6.12: harness failed (build/test/selftests-6.12.tap)"
fi

# The systemd boot test: a Debian 13 root (mmdebstrap, cached in
# build/boot-root) with vswap installed by make install (and make
# dkms-install for a second kernel), booted with systemd as PID 1: normal,
# vswap=off, a broken config line, no NVMe.  One TAP line per check.
if [ "${VSWAP_TEST_BOOT:-1}" = 1 ]; then
	note "systemd boot test (Debian 13)"
	tests/vm/boot/run.sh >"$logs/boot.tap" 2>&1
	tap boot "$logs/boot.tap"
	grep -a -q '^1\.\.' "$logs/boot.tap" || fail "boot: harness failed (build/test/boot.tap)"
	grep -a '^# \(systemd-analyze\|boot test\)' "$logs/boot.tap" | sed 's/^# /        /'
else
	skip "systemd boot test (VSWAP_TEST_BOOT=0)"
fi

if [ "$debug" = 1 ]; then
	note "debug lane (KASAN, lockdep, kmemleak, fault injection)"
	t0=$SECONDS
	if wait "$debug_pid"; then
		pass "debug-kernel build (waited $((SECONDS - t0)) s; $(cat build/debug-kernel/current/build-seconds 2>/dev/null || echo cached) s to build)"
		tests/vm/selftests.sh --kernel debug >"$logs/selftests-debug.tap" 2>&1
		tap debug "$logs/selftests-debug.tap"
		grep -a -q '^1\.\.' "$logs/selftests-debug.tap" || fail "debug: harness failed (build/test/selftests-debug.tap)"
	else
		fail "debug-kernel build (log: build/test/debug-kernel.log)"
		tail -n 25 "$logs/debug-kernel.log" | sed 's/^/    /'
	fi
else
	skip "debug lane (VSWAP_TEST_DEBUG=0)"
fi

echo
note "make test took $((SECONDS - t_start)) s"
for f in ${failures[@]+"${failures[@]}"}; do
	echo "failed: $f"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
