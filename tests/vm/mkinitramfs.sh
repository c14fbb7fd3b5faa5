#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's initramfs: busybox-static, bash, fio, stress-ng (when
# installed: test_swap_06), tmux and a few
# terminfo entries (when tmux is installed: test_top_*), redis-server,
# redis-benchmark and redis-cli (when redis-tools is installed: the
# bench's Redis workload, tests/bench/guest-redis.sh), the kernel
# modules the tests need (with their dependencies), vswap.ko, vswapctl
# (/usr/sbin, when built), the selftests, /etc/passwd and /etc/group with
# root and nobody (65534), and tests/vm/init as /init.  zstd-compressed
# (both kernels have RD_ZSTD).
#
# Usage: mkinitramfs.sh [--kernel debian|debug] [--force]
#   Prints the image path.  Cached in build/vm/initramfs-<debian-LANE|debug>.cpio.zst and
#   rebuilt only when an input changes.  VM_EXTRA_MODULES="a b" adds modules.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# Modules to ship (dependencies are added automatically; built-in ones are
# skipped).  Extend here when a test needs more hardware.
MODULES=(
	vswap zram zsmalloc
	lz4_compress lz4hc_compress zstd_compress
	lz4 lz4hc zstd lzo lzo-rle		# crypto API names, for zram comp=
	nvme nvme_core virtio_blk virtio_pci
	null_blk loop configfs
)
# fio's libraries for engines the tests never use (ceph, gluster, rdma, pmem,
# nbd) pull in ~80 MB; they are replaced by tiny stubs that only satisfy the
# dynamic loader.
FIO_REAL_LIBS="libc.so.6 libm.so.6 libz.so.1 libaio.so.1 libnuma.so.1"
# Likewise stress-ng's for stressors the tests never run (gpu, ipsec-mb,
# judy, apparmor, crypt, jpeg, module, sctp, hash): 20 MB.
STRESS_NG_REAL_LIBS="libc.so.6 libm.so.6 libz.so.1 libbsd.so.0"
# Redis: Debian 12's redis-tools ships the server as redis-check-rdb (one
# binary that acts as redis-server when run under that name); the
# redis-server package would start a daemon on the host.
REDIS_BINS="/usr/bin/redis-check-rdb /usr/bin/redis-benchmark /usr/bin/redis-cli"

flavour=debian
force=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) flavour=$2; shift ;;
	--kernel=*) flavour=${1#*=} ;;
	--force) force=1 ;;
	-h | --help) sed -n '3,10p' "$0"; exit 0 ;;
	*) vm_die "unknown argument '$1'" ;;
	esac
	shift
done

kernel_paths "$flavour"
selftests=$VM_SELFTESTS
# The CLI (make userspace), shipped when built; tests skip without it.
vswapctl=$VM_TOP/userspace/vswapctl/vswapctl
out=$VM_BUILD/initramfs-$K_TAG.cpio.zst
mkdir -p "$VM_BUILD"

# Selftest payload: scripts, config and executables (the static
# binaries its Makefile builds); never sources or objects.
selftest_files() {
	[ -d "$selftests" ] || return 0
	find "$selftests" -maxdepth 1 -type f \
		\( -name '*.sh' -o -name config -o -perm -u+x \) \
		! -name '*.[choa]' ! -name Makefile | sort
}

# Cache key: content of everything that ends up in the image.
inputs_hash() {
	{
		echo "$flavour $K_RELEASE $selftests ${VM_EXTRA_MODULES:-} ${MODULES[*]}"
		sha256sum "$0" "$VM_DIR/init" "$VM_DIR/lib.sh" /bin/busybox /bin/bash "$(command -v fio)"
		[ -z "$(command -v tmux)" ] || sha256sum "$(command -v tmux)"
		[ -z "$(command -v stress-ng)" ] || sha256sum "$(command -v stress-ng)"
		for f in $REDIS_BINS; do
			[ ! -x "$f" ] || sha256sum "$f"
		done
		[ ! -e "$K_VSWAP_KO" ] || sha256sum "$K_VSWAP_KO"
		[ ! -x "$vswapctl" ] || sha256sum "$vswapctl"
		stat -c '%n %s %Y' "$K_MODROOT/lib/modules/$K_RELEASE/modules.order"
		selftest_files | while read -r f; do sha256sum "$f"; done
	} | sha256sum | cut -c1-16
}

# Parallel runs (several test lanes) share the image: one builder at a time.
exec 9>"$VM_BUILD/.initramfs-$K_TAG.lock"
flock 9
hash=$(inputs_hash)
if [ "$force" = 0 ] && [ -e "$out" ] && [ "$(cat "$out.hash" 2>/dev/null)" = "$hash" ]; then
	echo "$out"
	exit 0
fi

t0=$SECONDS
stage=$(mktemp -d "$VM_BUILD/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,vm,selftests/vswap,lib/modules,lib/locale}
# Merged-/usr like the host, so copied libraries land where ldd says.
ln -s lib "$stage/lib64"
mkdir -p "$stage/lib/x86_64-linux-gnu"
ln -s ../lib "$stage/usr/lib"

# --- busybox with every applet as a symlink (bash is the real one) ---
cp /bin/busybox "$stage/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

# --- dynamically linked host binaries ---
declare -A copied=()
# copy_lib SONAME PATH: copy a library and, recursively, what it needs.
copy_elf_deps() {
	local elf=$1 soname path
	while read -r soname path; do
		[ -n "${copied[$soname]:-}" ] && continue
		copied[$soname]=1
		cp -L "$path" "$stage/lib/x86_64-linux-gnu/$soname"
		copy_elf_deps "$path"
	done < <(ldd "$elf" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
}
copy_loader() {
	local interp
	interp=$(readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -e "$stage$interp" ] || cp -L "$interp" "$stage$interp"
}

# make_stub BIN SONAME PATH: a shared object named SONAME exporting, with the
# same symbol versions, every symbol BIN imports from PATH.  Calling one traps.
make_stub() {
	local bin=$1 soname=$2 lib=$3 dir
	dir=$(mktemp -d "$stage/.stub.XXXXXX")
	# Symbols PATH defines: name type size.
	nm -D -S --defined-only "$lib" | awk 'NF == 4 {print $4, $3, $2} NF == 3 {print $3, $2, 0}' |
		sed 's/@[^ ]*//' | sort -u -k1,1 >"$dir/defs"
	# Symbols BIN imports: name version.
	nm -D --with-symbol-versions "$bin" | awk '$1 == "U" || $1 == "w" {print $2}' |
		awk -F@ '{print $1, ($2 == "" ? "-" : $2)}' | sort -u -k1,1 >"$dir/refs"
	join "$dir/refs" "$dir/defs" >"$dir/syms" || true
	awk '{ if ($3 ~ /^[DdBbRrVv]$/) printf "char %s[0x%s + 1];\n", $1, $4;
	       else printf "void %s(void) { __builtin_trap(); }\n", $1 }' "$dir/syms" >"$dir/stub.c"
	# One version node per version BIN asks for; unversioned ones join the first.
	awk '{v[$2] = v[$2] $1 "; "} END {
		first = ""; for (k in v) if (k != "-") { if (first == "") first = k }
		if (first == "") exit
		for (k in v) if (k != "-") printf "%s { global: %s%s };\n", k, v[k], (k == first ? v["-"] : "")
	}' "$dir/syms" >"$dir/vers"
	local vs=()
	[ ! -s "$dir/vers" ] || vs=("-Wl,--version-script=$dir/vers")
	gcc -shared -fPIC -nostdlib -o "$stage/lib/x86_64-linux-gnu/$soname" \
		-Wl,-soname,"$soname" "${vs[@]}" "$dir/stub.c"
	rm -rf "$dir"
}

cp -L /bin/bash "$stage/bin/bash"
copy_loader /bin/bash
copy_elf_deps /bin/bash

# copy_stubbed BIN "REAL_LIBS": BIN into /usr/bin with the libraries named
# in REAL_LIBS (and theirs); its other libraries become stubs.
copy_stubbed() {
	local bin=$1 real=$2 soname path
	cp -L "$bin" "$stage/usr/bin/${bin##*/}"
	copy_loader "$bin"
	while read -r soname path; do
		if [[ " $real " == *" $soname "* ]]; then
			[ -n "${copied[$soname]:-}" ] && continue
			copied[$soname]=1
			cp -L "$path" "$stage/lib/x86_64-linux-gnu/$soname"
			copy_elf_deps "$path"
		elif [ -z "${copied[$soname]:-}" ]; then
			# One stub per library: it has only this binary's symbols.
			[ ! -e "$stage/lib/x86_64-linux-gnu/$soname" ] ||
				vm_die "$soname is stubbed for two binaries; make it real for one"
			make_stub "$bin" "$soname" "$path"
		fi
	done < <(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' |
		while read -r n; do ldd "$bin" | awk -v n="$n" '$1 == n {print $1, $3}'; done)
}

fio=$(command -v fio) || vm_die "fio not installed (tests/vm/host-deps.sh)"
copy_stubbed "$fio" "$FIO_REAL_LIBS"

# --- stress-ng, for its verifying memory stressors (test_swap_06) ---
if stress_ng=$(command -v stress-ng); then
	copy_stubbed "$stress_ng" "$STRESS_NG_REAL_LIBS"
else
	vm_log "note: stress-ng not installed; test_swap_06 will skip"
fi

# --- tmux, to drive full-screen programs (vswapctl top) in tests ---
# tmux sets TERM=tmux-256color in its panes; the others are for people.
# tmux refuses to start without a UTF-8 locale: glibc's C.UTF-8 (400 KiB).
TERMINFOS="t/tmux t/tmux-256color s/screen s/screen-256color x/xterm x/xterm-256color l/linux v/vt100 d/dumb"
if tmux=$(command -v tmux); then
	cp -L "$tmux" "$stage/usr/bin/tmux"
	copy_loader "$tmux"
	copy_elf_deps "$tmux"
	[ ! -d /usr/lib/locale/C.utf8 ] || cp -r /usr/lib/locale/C.utf8 "$stage/lib/locale/"
	for t in $TERMINFOS; do
		for d in /lib/terminfo /usr/share/terminfo /etc/terminfo; do
			[ -e "$d/$t" ] || continue
			mkdir -p "$stage/usr/share/terminfo/${t%/*}"
			cp -L "$d/$t" "$stage/usr/share/terminfo/$t"
			break
		done
	done
else
	vm_log "note: tmux not installed; test_top_* will skip"
fi

# --- Redis, for the bench's Redis swap workload (guest-redis.sh) ---
# After the stubbed binaries: a library they stub and Redis needs is
# then copied real over the stub, never stubbed over the real one.
if [ -x /usr/bin/redis-check-rdb ]; then
	for f in $REDIS_BINS; do
		[ -x "$f" ] || vm_die "$f missing (redis-tools half installed?)"
		dst=${f##*/}
		[ "$dst" != redis-check-rdb ] || dst=redis-server
		cp -L "$f" "$stage/usr/bin/$dst"
		copy_loader "$f"
		copy_elf_deps "$f"
	done
else
	vm_log "note: redis-tools not installed; the bench's Redis workload will fail"
fi

# --- kernel modules: named ones plus dependencies, then depmod ---
moddir=$K_MODROOT/lib/modules/$K_RELEASE
smod=$stage/lib/modules/$K_RELEASE
mkdir -p "$smod/kernel" "$smod/extra"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -e "$moddir/$f" ] || cp "$moddir/$f" "$smod/"
done
# name (with - and _ folded) -> path of every module the kernel ships.
declare -A modpath=()
while read -r p; do
	n=${p##*/}
	n=${n%%.ko*}
	modpath[${n//-/_}]=$p
done < <(find "$moddir/kernel" -name '*.ko*')
[ ! -e "$K_VSWAP_KO" ] || modpath[vswap]=$K_VSWAP_KO
declare -A builtin=()
while read -r p; do
	n=${p##*/}
	n=${n%.ko}
	builtin[${n//-/_}]=1
done <"$moddir/modules.builtin"

declare -A added=()
add_module() {
	local n=${1//-/_} p dst dep quiet=${2:-}
	[ -n "${added[$n]:-}" ] && return 0
	added[$n]=1
	[ -n "${builtin[$n]:-}" ] && return 0
	p=${modpath[$n]:-}
	if [ -z "$p" ]; then
		# Soft dependencies may name aliases; those are optional.
		[ -n "$quiet" ] || vm_log "warning: module $1 not found for $K_RELEASE (skipped)"
		return 0
	fi
	if [ "$n" = vswap ]; then
		dst=$smod/extra/vswap.ko
	else
		dst=$smod/${p#"$moddir"/}
	fi
	mkdir -p "$(dirname "$dst")"
	cp "$p" "$dst"
	for dep in $(modinfo -F depends "$p" | tr ',' ' '); do
		add_module "$dep"
	done
	for dep in $(modinfo -F softdep "$p" | tr ' ' '\n' | grep -v ':$' || true); do
		add_module "$dep" quiet
	done
}
# shellcheck disable=SC2086 # word splitting of the extra list is intended
for m in "${MODULES[@]}" ${VM_EXTRA_MODULES:-}; do
	add_module "$m"
done
[ -e "$K_VSWAP_KO" ] || vm_log "warning: $K_VSWAP_KO not built; 'modprobe vswap' will fail in the VM"
depmod -b "$stage" "$K_RELEASE"

# --- selftests and /init ---
while read -r f; do
	cp -p "$f" "$stage/selftests/vswap/"
done < <(selftest_files)
cp "$VM_DIR/init" "$stage/init"
chmod 755 "$stage/init"
# root, and nobody for the unprivileged tests (runas nobody ...).
printf '%s\n' "root:x:0:0:root:/root:/bin/sh" \
	"nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >"$stage/etc/passwd"
printf '%s\n' "root:x:0:" "nogroup:x:65534:" >"$stage/etc/group"

# --- vswapctl (static; a dynamic build brings its libraries along) ---
if [ -x "$vswapctl" ]; then
	cp "$vswapctl" "$stage/usr/sbin/vswapctl"
	if readelf -l "$vswapctl" | grep -q 'Requesting program interpreter'; then
		copy_loader "$vswapctl"
		copy_elf_deps "$vswapctl"
	fi
else
	vm_log "note: ${vswapctl#"$VM_TOP"/} not built; tests that need it will skip"
fi
echo "$K_RELEASE" >"$stage/etc/vm-kernel-release"

# Smallest sensible image: strip what can be stripped, zstd -19 (the kernel
# decompresses zstd quickly whatever the level).
find "$stage/lib/x86_64-linux-gnu" "$stage/usr/bin" -type f -exec strip --strip-unneeded {} + 2>/dev/null || true
(cd "$stage" && find . -mindepth 1 ! -name '.stub.*' | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | zstd -q -19 -T0 -f -o "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "$hash" >"$out.hash"
vm_log "built $out ($(du -h "$out" | cut -f1), $((SECONDS - t0)) s)"
echo "$out"
