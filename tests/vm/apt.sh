# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# A private apt state under build/apt: Debian 12 and 13 suites (with
# backports and security) for fetching kernels, without touching the
# host's apt configuration.  Sourced; `papt_update` once, then `papt_get`
# (apt-get) and `papt_cache` (apt-cache) use it.

PAPT_DIR=$VM_TOP/build/apt
PAPT_MIRROR=${VSWAP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PAPT_SECURITY=${VSWAP_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
PAPT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

papt_opts() {
	printf '%s\n' -o "Dir::Etc=$PAPT_DIR/etc" -o "Dir::State=$PAPT_DIR/state" \
		-o "Dir::Cache=$PAPT_DIR/cache" -o "Dir::State::status=$PAPT_DIR/status" \
		-o Debug::NoLocking=1 -o Acquire::Retries=3 -o APT::Sandbox::User=root
}

papt_get() { local o; mapfile -t o < <(papt_opts); apt-get "${o[@]}" "$@"; }
papt_cache() { local o; mapfile -t o < <(papt_opts); apt-cache "${o[@]}" "$@"; }

# The package lists are refreshed when older than a day.
papt_update() {
	local s stamp=$PAPT_DIR/.updated
	if [ -e "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ]; then
		return 0
	fi
	mkdir -p "$PAPT_DIR"/etc/{apt.conf.d,preferences.d,sources.list.d,trusted.gpg.d} \
		"$PAPT_DIR"/state/lists/partial "$PAPT_DIR"/cache/archives/partial
	: >"$PAPT_DIR/status"
	{
		for s in bookworm bookworm-updates bookworm-backports trixie trixie-updates trixie-backports; do
			echo "deb [signed-by=$PAPT_KEYRING] $PAPT_MIRROR $s main"
		done
		for s in bookworm-security trixie-security; do
			echo "deb [signed-by=$PAPT_KEYRING] $PAPT_SECURITY $s main"
		done
	} >"$PAPT_DIR/etc/sources.list"
	papt_get update -qq >&2 || return 1
	touch "$stamp"
}

# papt_newest REGEX: the highest-versioned package name matching REGEX.
papt_newest() {
	papt_cache pkgnames | grep -E "$1" | sort -V | tail -n1
}
