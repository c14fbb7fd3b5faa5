#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest after multi-user.target (vswap-boottest.service) and
# reports on the second serial port (ttyS1): "VSWAP-BOOT: ok WHAT",
# "VSWAP-BOOT: FAIL WHAT", systemd-analyze lines, and last "VSWAP-BOOT-END
# pass|fail"; when a check failed, the whole journal goes to the console
# (ttyS0).  The
# scenario is vswaptest= on the kernel command line:
#   normal  /dev/vswap0 swap with priority 42, tiers nvme + slow, nothing
#           failed, a swap workload verifies, stop/start of the swap unit
#   off     vswap=off: no units, no device
#   broken  a broken drop-in: the journal names file:line, no device
#   nonvme  the NVMe is absent: swap on ram + slow, a journal warning
# ok and bad always succeed:
# shellcheck disable=SC2015
set -u
fails=0
ok() { echo "VSWAP-BOOT: ok $*"; }
bad() { echo "VSWAP-BOOT: FAIL $*"; fails=$((fails + 1)); }
# check WHAT CMD...: ok when CMD succeeds; else FAIL, with its output's tail.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		bad "$what (exit $?)"
		printf '%s\n' "$out" | tail -n 8 | sed 's/^/VSWAP-BOOT: # /'
	fi
}

scenario=$(sed -n 's/.*vswaptest=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "VSWAP-BOOT: scenario ${scenario:-none}, kernel $(uname -r)"
state=$(systemctl is-system-running --wait 2>/dev/null)
[ "$state" = running ] && ok "boot finished: the system is running" ||
	bad "boot finished: the system is '$state'"
echo "VSWAP-BOOT: analyze $(systemd-analyze time 2>/dev/null | head -n 1)"
systemd-analyze blame 2>/dev/null | head -n 12 | sed 's/^/VSWAP-BOOT: blame /'
systemd-analyze blame 2>/dev/null | grep -E 'vswap|swap' | sed 's/^/VSWAP-BOOT: blame /'
systemd-analyze critical-chain 2>/dev/null | sed 's/^/VSWAP-BOOT: chain /'
failed=$(systemctl --failed --no-legend --plain 2>/dev/null)
[ -z "$failed" ] && ok "systemctl --failed is empty" ||
	bad "failed units: $(echo "$failed" | tr '\n' ' ')"

swap_prio() { awk '$1 == "/dev/vswap0" { print $5 }' /proc/swaps; }

# The normal boot's workload, and stop/start of the swap unit.
workload_restart() {
	# A workload swapping through the tiers, every page verified.
	pout0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
	t0=$SECONDS
	check "swap_stress: 48 MiB in a 16M systemd-run scope, verified" \
		systemd-run --scope --quiet -p MemoryMax=16M -p MemorySwapMax=infinity \
		/usr/local/bin/swap_stress -m 48 -t 2 -p 1
	echo "VSWAP-BOOT: swap_stress took $((SECONDS - t0)) s"
	# At least the 32 MiB that do not fit went out to swap.
	pout=$(($(awk '$1 == "pswpout" { print $2 }' /proc/vmstat) - pout0))
	[ "$pout" -ge $((32 * 256)) ] && ok "swap_stress: it swapped ($pout pages out)" ||
		bad "swap_stress: only $pout pages swapped out"
	echo "VSWAP-BOOT: after load $(vswapctl -o name,pages,writes -n status | tr -s ' ' | tr '\n' ';')"
	# The RAM tier is small (ram / 128): the overflow lands on the NVMe.
	check "swap_stress: pages reached the nvme tier" \
		sh -c "vswapctl -j status | grep -qE '\"name\":\"nvme\",[^}]*\"writes\":[1-9]'"
	# Down: swapoff, then the device goes; and back.
	check "stop: systemctl stop dev-vswap0.swap" systemctl stop dev-vswap0.swap
	[ -z "$(swap_prio)" ] && ok "stop: swap off" || bad "stop: still swapped on"
	# vswap-setup@vswap0 stops when no longer needed: the device goes.
	for _ in $(seq 20); do
		[ -e /sys/block/vswap0 ] || break
		sleep 0.5
	done
	[ ! -e /sys/block/vswap0 ] && ok "stop: device removed" || bad "stop: /dev/vswap0 still there"
	check "stop: vswap-setup@vswap0 inactive" sh -c "! systemctl -q is-active vswap-setup@vswap0.service"
	check "start: systemctl start dev-vswap0.swap" systemctl start dev-vswap0.swap
	[ "$(swap_prio)" = 42 ] && ok "start: swap back on with priority 42" || bad "start: no swap"
	check "start: the tiers are back" sh -c "vswapctl -j status | grep -q '\"name\":\"slow\"'"
	failed=$(systemctl --failed --no-legend --plain 2>/dev/null)
	[ -z "$failed" ] && ok "stop/start: no unit failed" ||
		bad "stop/start: failed units: $(echo "$failed" | tr '\n' ' ')"
}

case $scenario in
normal | nonvme)
	[ "$(swap_prio)" = 42 ] && ok "/proc/swaps: /dev/vswap0 with priority 42" ||
		bad "/proc/swaps: $(tr '\n' ' ' </proc/swaps)"
	st=$(vswapctl -j status)
	echo "VSWAP-BOOT: status $st"
	# The tiers as vswap.conf has them: kind, class, state, disk.
	check "tier ram: lz4, active" \
		grep -qE '"name":"ram","kind":"ram","class":null,"state":"active","algo":"lz4"' <<<"$st"
	check "tier slow: block, class slow, active, on virtio-vswapslow" \
		grep -qE '"name":"slow","kind":"block","class":"slow","state":"active",[^}]*"path":"/dev/disk/by-id/virtio-vswapslow"' <<<"$st"
	if [ "$scenario" = normal ]; then
		check "tier nvme: block, class fast, active, on the NVMe" \
			grep -qE '"name":"nvme","kind":"block","class":"fast","state":"active",[^}]*"path":"/dev/disk/by-id/nvme-QEMU_NVMe_Ctrl_vswapnvme"' <<<"$st"
	else
		grep -q '"name":"nvme"' <<<"$st" && bad "an nvme tier without the NVMe" ||
			ok "no nvme tier"
		check "the journal says the NVMe tier was skipped" \
			sh -c "journalctl -b -u vswap-setup@vswap0.service | grep -q 'nvme-QEMU_NVMe_Ctrl_vswapnvme does not exist; the tier is skipped'"
	fi
	check "udev: /dev/vswap0 is ready" sh -c "! udevadm info -q property /dev/vswap0 | grep -q '^SYSTEMD_READY=0'"
	# The workload and stop/start once, in the normal boot (in nonvme the
	# restart would wait out the NVMe's device-timeout again).
	[ "$scenario" = normal ] && workload_restart
	;;
off)
	[ -z "$(swap_prio)" ] && ok "vswap=off: no vswap swap" || bad "vswap=off: swapped on"
	[ ! -e /sys/block/vswap0 ] && ok "vswap=off: no device" || bad "vswap=off: a device"
	check "vswap=off: no generated unit" sh -c "! test -e /run/systemd/generator/dev-vswap0.swap"
	check "vswap=off: the journal has the generator's word" \
		sh -c "journalctl -b | grep -q 'vswap-generator: vswap=off on the kernel command line: no units'"
	check "vswap=off: vswap-setup@vswap0 never ran" \
		sh -c "! journalctl -b -u vswap-setup@vswap0.service | grep -q vswapctl"
	;;
broken)
	check "the journal names the broken line" \
		sh -c "journalctl -b | grep -q 'vswap-generator: /etc/vswap.conf.d/99-broken.conf:2: '"
	[ ! -e /sys/block/vswap0 ] && ok "broken: no device" || bad "broken: a device"
	;;
*)
	bad "unknown scenario '$scenario'"
	;;
esac
journalctl -b -o short-monotonic --no-pager | grep -iE 'vswap' | tail -n 30 | sed 's/^/VSWAP-BOOT: journal /'
[ $fails -eq 0 ] || journalctl -b -o short-monotonic --no-pager >/dev/ttyS0 2>&1
echo "VSWAP-BOOT-END $([ $fails -eq 0 ] && echo pass || echo fail)"
# The normal boot shuts down cleanly (swapoff, then the device goes, via
# Conflicts=shutdown.target); the others need no unit stopped: quicker.
if [ "$scenario" = normal ]; then
	systemctl poweroff
else
	systemctl poweroff --force
fi
