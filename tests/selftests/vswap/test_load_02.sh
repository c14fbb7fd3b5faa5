#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
# debug-lane: skip parameter parsing only, refused before anything is allocated
#
# Bad module parameters: every case must make the load fail with a clear
# kernel log message (checked by text), leave the module unloaded and
# create nothing.  Includes sizes that overflow 64 bits and would wrap
# around to a valid-looking size.
. "$(dirname "$0")/test_common.sh"

test_init "bad module parameters are refused"
require_vswap

nfail=0
ncase=0

# bad WHAT ERE PARAMS...: loading with PARAMS fails, the kernel log (since
# this case started) has a line matching ERE, nothing is left behind.
bad() {
	local local_what local_re local_line local_x local_m
	local_what=$1 local_re=$2
	shift 2
	ncase=$((ncase + 1))
	local_m="vswap-selftest: bad case $ncase"
	echo "$local_m" >/dev/kmsg
	if vswap_try_load "$@"; then
		log "NOT OK: $local_what: 'modprobe vswap $*' succeeded:" \
			"$(dmesg | grep 'vswap: loaded' | tail -n 1 | sed 's/^\[[^]]*\] //')," \
			"/sys/block/vswap0/size=$(cat /sys/block/vswap0/size 2>/dev/null) sectors"
		rmmod vswap 2>/dev/null
		nfail=$((nfail + 1))
		return
	fi
	local_line=$(dmesg | awk -v m="$local_m" 'seen { print } index($0, m) { seen = 1 }' |
		grep -E -- "$local_re" | tail -n 1)
	if [ -z "$local_line" ]; then
		log "NOT OK: $local_what: no kernel log line matching /$local_re/; log:"
		dmesg | awk -v m="$local_m" 'seen { print } index($0, m) { seen = 1 }' | sed 's/^/#   /'
		nfail=$((nfail + 1))
		return
	fi
	if vswap_loaded; then
		log "NOT OK: $local_what: module is loaded after a failed load"
		nfail=$((nfail + 1))
		return
	fi
	for local_x in /sys/block/vswap* /dev/vswap*; do
		if [ -e "$local_x" ]; then
			log "NOT OK: $local_what: $local_x exists"
			nfail=$((nfail + 1))
			return
		fi
	done
	log "ok: $local_what: refused ($(echo "$LOAD_OUT" | head -n 1)); kernel: ${local_line#\[*\] }"
}

SZ='size=.*(must be between 1M and 16T|not a size)'
bad "size=0"                  'vswap: size=0: must be between 1M and 16T' size=0
bad "size=0M"                 'vswap: size=0M: must be between 1M and 16T' size=0M
bad "size=4095 (< a page)"    'vswap: size=4095: must be between 1M and 16T' size=4095
bad "size=1023K (< 1M)"       'vswap: size=1023K: must be between 1M and 16T' size=1023K
bad "size=1048575"            'vswap: size=1048575: must be between 1M and 16T' size=1048575
bad "size=17T"                'vswap: size=17T: must be between 1M and 16T' size=17T
bad "size=16385G (16T+1G)"    'vswap: size=16385G: must be between 1M and 16T' size=16385G
bad "size=1P"                 'vswap: size=1P: must be between 1M and 16T' size=1P
bad "size=1E"                 'vswap: size=1E: must be between 1M and 16T' size=1E
bad "size=abc"                'vswap: size=abc: not a size' size=abc
bad "size=12Q"                'vswap: size=12Q: not a size' size=12Q
bad "size=10G5"               'vswap: size=10G5: not a size' size=10G5
bad "size=-1"                 'vswap: size=-1: not a size' size=-1
bad "size= (empty)"           "vswap: size=: not a size|invalid for parameter .size" size=
bad "size=1G,2G"              'vswap: size=1G,2G: not a size' size=1G,2G
# Absurd sizes that wrap around 64 bits to a plausible size (1 TiB, 1 GiB):
bad "size=16777217T (2^64+1T wraps to 1T)"       "$SZ" size=16777217T
bad "size=17179869185G (2^64+1G wraps to 1G)"    "$SZ" size=17179869185G
bad "size=18446744074783293440 (2^64+1G bytes)"  "$SZ" size=18446744074783293440
bad "size=99999999999999999999999"               "$SZ" size=99999999999999999999999
bad "num_devices=0"           'vswap: num_devices=0: must be 1\.\.32' size=8M num_devices=0
bad "num_devices=33"          'vswap: num_devices=33: must be 1\.\.32' size=8M num_devices=33
bad "num_devices=4294967295"  'vswap: num_devices=4294967295: must be 1\.\.32' size=8M num_devices=4294967295
bad "num_devices=-1"          "vswap: .-1' invalid for parameter .num_devices'" size=8M num_devices=-1
bad "num_devices=two"         "vswap: .two' invalid for parameter .num_devices'" size=8M num_devices=two
bad "comp=unknown"            'vswap: comp=unknown: unknown algorithm \(lz4, lz4hc, zstd\)' size=8M comp=unknown
bad "comp=LZ4 (case)"         'vswap: comp=LZ4: unknown algorithm' size=8M comp=LZ4
bad "comp=lz4hcx"             'vswap: comp=lz4hcx: unknown algorithm' size=8M comp=lz4hcx
bad "comp=deflate"            'vswap: comp=deflate: unknown algorithm' size=8M comp=deflate
bad "comp= (empty)"           'vswap: comp=: unknown algorithm' size=8M comp=
bad "lz4 level=65"            'vswap: level=65: out of range for lz4 \(1\.\.64, 0 = default\)' size=8M comp=lz4 level=65
bad "lz4 level=-1"            'vswap: level=-1: out of range for lz4 \(1\.\.64, 0 = default\)' size=8M comp=lz4 level=-1
bad "lz4hc level=17"          'vswap: level=17: out of range for lz4hc \(1\.\.16, 0 = default\)' size=8M comp=lz4hc level=17
bad "lz4hc level=-1"          'vswap: level=-1: out of range for lz4hc \(1\.\.16, 0 = default\)' size=8M comp=lz4hc level=-1
bad "zstd level=23"           'vswap: level=23: out of range for zstd \(1\.\.22, 0 = default\)' size=8M comp=zstd level=23
bad "zstd level=-5"           'vswap: level=-5: out of range for zstd \(1\.\.22, 0 = default\)' size=8M comp=zstd level=-5
bad "zstd level=2147483647"   'vswap: level=2147483647: out of range for zstd' size=8M comp=zstd level=2147483647
bad "level=abc"               "vswap: .abc' invalid for parameter .level'" size=8M level=abc
bad "level=99999999999"       "vswap: .99999999999' invalid for parameter .level'" size=8M level=99999999999
# Level is checked without size= too (no devices would be made).
bad "level=70, no size"       'vswap: level=70: out of range for lz4' level=70

log "$ncase bad-parameter cases, $nfail not refused properly"
[ "$nfail" -eq 0 ] || fail "$nfail of $ncase bad-parameter cases were not refused cleanly (NOT OK lines above)"

# After all that, a good load still works.
vswap_load size=8M
assert_str "$(vstat algorithm)" lz4 "good load after the bad ones"
vswap_unload
test_done
