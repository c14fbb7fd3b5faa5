#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run tests/selftests/vswap/test_*.sh in the VM, one fresh VM per script,
# with kselftest semantics (0 pass, 4 skip, anything else fail) and TAP
# output.  A test also fails when the console shows a kernel report (BUG,
# WARNING, KASAN, lockdep, Oops, panic, ...) or, on the debug kernel, when
# kmemleak finds unreferenced objects after vswap is unloaded.
#
# Usage: selftests.sh [--kernel debian|debug] [-v] [--smoke] [--list] [GLOB...]
#   GLOB matches test file names (default: test_*.sh), e.g. 'test_swap_*'.
#   --smoke: only the tests whose header says "# smoke: yes".
#   --list: print the tests that would run, one a line, and run nothing.
# A test's metadata lives in its own header comments (first 40 lines), e.g.
#   # vm: mem=512M smp=2
#   # vm: nvme=1G disk=2G,throttling.iops-total=200 timeout=600
#   # smoke: yes
#   # debug-lane: skip REASON
# vm keys: mem, smp, nvme, disk (repeatable), timeout (seconds in the
# guest), append (kernel cmdline), debug-mem (mem on the debug kernel).
# smoke: yes puts the test in the smoke set that make test runs on the
# secondary lanes (6.1, newest); debug-lane: skip leaves it out there.
# Logs: build/vm/logs/<debian-LANE|debug>/<test>.log.  VSWAP_SELFTESTS_DIR overrides
# the test directory (harness development).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

flavour=debian verbose=() smoke=0 list=0
globs=()
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) flavour=$2; shift ;;
	--kernel=*) flavour=${1#*=} ;;
	-v | --verbose) verbose=(-v) ;;
	--smoke) smoke=1 ;;
	--list) list=1 ;;
	-h | --help) sed -n '3,22p' "$0"; exit 0 ;;
	-*) vm_die "unknown option '$1'" ;;
	*) globs+=("$1") ;;
	esac
	shift
done
[ ${#globs[@]} -gt 0 ] || globs=('test_*.sh')

dir=$VM_SELFTESTS

# header KEY TEST: the values of "# KEY: value" in the test's header
# comments (first 40 lines), one a line.
header() {
	sed -n "1,40s/^# *$1: *//p" "$2"
}

# int3_at_boot LOG: the VM's first Oops is an int3 taken while no module
# was loaded (the kernel's "Modules linked in:" line is empty).
int3_at_boot() {
	local oops
	oops=$(grep -a -m1 -A40 'Oops: ' "$1" || true)
	case $oops in
	*'Oops: int3'*) ;;
	*) return 1 ;;
	esac
	echo "$oops" | grep -a -m1 'Modules linked in:' | grep -a -q -E 'Modules linked in:[[:space:]]*$'
}

# debug_skip TEST: why the debug lane skips it ("# debug-lane: skip WHY"),
# empty when it runs there.
debug_skip() {
	header debug-lane "$1" | sed -n 's/^skip *//p' | head -n1
}

# Kernel reports that fail a test.  Only lines carrying a printk timestamp
# count, so a test printing these words itself does not trip the check.
REPORT_RE='BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|Oops|general protection fault|Kernel panic|kernel BUG|suspected memory leak|unreferenced object|INFO: task .* blocked for more than|soft lockup|hard LOCKUP|RCU stall'
TS_RE='\[ *[0-9]+\.[0-9]+\]'

[ "$list" = 1 ] || echo "TAP version 13"
tests=()
if [ -d "$dir" ]; then
	for g in "${globs[@]}"; do
		for t in "$dir"/$g; do
			# test_common.sh is the helper library every test sources.
			[ -f "$t" ] && [[ ${t##*/} == test_*.sh && ${t##*/} != test_common.sh ]] && tests+=("$t")
		done
	done
fi
if [ ${#tests[@]} -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 selftests # no tests matching '${globs[*]}' in ${dir#"$VM_TOP"/}"
	exit 1
fi
mapfile -t tests < <(printf '%s\n' "${tests[@]}" | sort -u)
if [ "$smoke" = 1 ]; then
	all=("${tests[@]}")
	tests=()
	for t in "${all[@]}"; do
		[ "$(header smoke "$t" | tail -n1)" != yes ] || tests+=("$t")
	done
fi
if [ "$list" = 1 ]; then
	for t in ${tests[@]+"${tests[@]}"}; do
		why=
		[ "$flavour" != debug ] || why=$(debug_skip "$t")
		echo "${t##*/}${why:+ # SKIP debug lane: $why}"
	done
	exit 0
fi

# Keeps vswap.ko for the kernel in sync with the sources (incremental).
if [ "$flavour" = debug ]; then
	"$VM_DIR/build-debug-kernel.sh" --module >/dev/null ||
		{ echo "1..1"; echo "not ok 1 selftests # debug kernel or module build failed"; exit 1; }
else
	"$VM_DIR/build-module.sh" >/dev/null ||
		{ echo "1..1"; echo "not ok 1 selftests # vswap.ko does not build for lane $VM_LANE"; exit 1; }
fi
kernel_paths "$flavour"
logdir=$VM_BUILD/logs/$K_TAG
mkdir -p "$logdir"
[ -e "$K_VSWAP_KO" ] || echo "# warning: ${K_VSWAP_KO#"$VM_TOP"/} not built; tests that load vswap will fail"
initrd=$("$VM_DIR/mkinitramfs.sh" --kernel "$flavour")

# Every test gives its timeout in its "# vm:" header; this is for one
# that does not (what the kselftest settings file said).
def_timeout=600
# Boot, module loads and the kmemleak scans on top of the test's own time.
slack=120
[ "$flavour" = debian ] || slack=300

echo "1..${#tests[@]}"
n=0 failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name=${t##*/}
	log=$logdir/${name%.sh}.log
	args=(--kernel "$flavour" --initrd "$initrd" --log "$log" --mem 1G)
	tmo=$def_timeout
	# "# vm: key=value ..." header lines.
	# shellcheck disable=SC2013 # key=value words, several per line
	for kv in $(header vm "$t"); do
		k=${kv%%=*} v=${kv#*=}
		case $k in
		mem | smp | nvme | disk) args+=("--$k" "$v") ;;
		# The debug kernel's own memory (KASAN shadow and quarantine,
		# kmemleak objects) leaves a small VM short of RAM before
		# the test starts: a test may ask for more there.
		debug-mem) [ "$flavour" != debug ] || args+=(--mem "$v") ;;
		timeout) tmo=$v ;;
		append) args+=(--append "$v") ;;
		*) echo "# $name: ignoring unknown vm key '$k'" ;;
		esac
	done
	args+=(--guest-timeout "$tmo" --timeout $((tmo + slack)))
	[ "$flavour" = debian ] || args+=(--kmemleak)

	# "# debug-lane: skip REASON": the debug kernel is ~4x slower; tests
	# that only repeat another test's code paths (with another compressor,
	# or parsing alone) are skipped there to keep make test under 30 min.
	why=$(debug_skip "$t")
	if [ "$flavour" = debug ] && [ -n "$why" ]; then
		echo "ok $n $name # SKIP debug lane: $why"
		continue
	fi

	start=$SECONDS
	for try in 1 2; do
		rc=0
		"$VM_DIR/run-vm.sh" "${args[@]}" ${verbose[@]+"${verbose[@]}"} -- \
			"cd /selftests/vswap && if [ -x ./$name ]; then ./$name; else /bin/bash ./$name; fi" \
			2>"$log.host" || rc=$?
		# QEMU 7.2's TCG now and then runs a stale int3 from the
		# kernel's own code patching at boot (see run-vm.sh); with no
		# module loaded yet it is the emulator's, not vswap's: boot
		# once more, and say so.
		if [ "$try" = 2 ] || ! int3_at_boot "$log"; then break; fi
		cp "$log" "$log.int3"
		echo "# $name: early-boot int3 Oops with no module loaded (QEMU TCG); booted again, first log: ${log#"$VM_TOP"/}.int3"
	done
	secs=$((SECONDS - start))

	# Reports up to the guest's exit marker: the test's.  After it only
	# the kernel's own poweroff runs (6.12's NVMe shutdown path has a
	# lockdep report of its own once any swap went to the NVMe from
	# reclaim); those are shown, not counted.
	reports=$(sed -n '/<<<VM-EXIT /q;p' "$log" | grep -a -E "$TS_RE.*($REPORT_RE)" || true)
	late=$(sed -n '/<<<VM-EXIT /,$p' "$log" | grep -a -E "$TS_RE.*($REPORT_RE)" || true)
	leaks=$(sed -n '/vm-init: kmemleak report begin/,/vm-init: kmemleak report end/p' "$log" |
		grep -a 'unreferenced object' || true)
	if [ -n "$reports" ] || [ -n "$leaks" ]; then
		echo "not ok $n $name # kernel report (exit $rc, ${secs}s)"
		{
			[ -z "$reports" ] || echo "$reports" | head -n 40
			# kmemleak backtraces say who allocated the leaked object.
			[ -z "$leaks" ] || sed -n '/vm-init: kmemleak report begin/,/vm-init: kmemleak report end/p' "$log" | head -n 60
		} | sed 's/^/# /'
		failed=$((failed + 1))
	elif [ "$rc" -eq 0 ]; then
		echo "ok $n $name # ${secs}s"
	elif [ "$rc" -eq 4 ]; then
		why=$(grep -a -v "$TS_RE" "$log" | grep -a -i 'skip' | grep -v '^vm-init' | tail -n1 | tr -d '\r' || true)
		echo "ok $n $name # SKIP ${why:-exit 4}"
	else
		case $rc in
		255) what="no exit status from VM: $(tail -n1 "$log.host")" ;;
		124 | 137 | 143) what="timed out after ${tmo}s" ;;
		*) what="exit $rc" ;;
		esac
		echo "not ok $n $name # $what (${secs}s)"
		# The guest side of the log (kernel lines dropped) says what went wrong.
		grep -a -v -E "^$TS_RE" "$log" | grep -a -v '^vm-init:' | tail -n 30 | sed 's/^/# /'
		failed=$((failed + 1))
	fi
	[ -z "$late" ] || echo "$late" | head -n 5 | sed 's/^/# at poweroff, not counted: /'
	echo "# log: ${log#"$VM_TOP"/}"
done
echo "# $flavour: $((n - failed)) of $n passed"
[ $failed -eq 0 ]
