# SPDX-License-Identifier: GPL-2.0
# bash completion for vswapctl(8).
#
# Commands, subcommands and options; device names from /sys/block/vswap*;
# tier names from /sys/block/vswapN/vswap/tiers/ (the zero tier's
# directory is "same"); backing devices from /sys/block; -o column names.
# COMPREPLY=($(compgen ...)) is the completion idiom (words never hold
# spaces here):
# shellcheck disable=SC2207

_vswapctl_devs()
{
	local d
	for d in /sys/block/vswap*; do
		[ -e "$d" ] && printf '%s\n' "${d##*/}"
	done
}

# _vswapctl_tiers DEV: the tier names of DEV (vswapN, N or /dev/vswapN).
_vswapctl_tiers()
{
	local dev=${1#/dev/} t
	case $dev in
	[0-9]*) dev=vswap$dev ;;
	esac
	for t in /sys/block/"$dev"/vswap/tiers/*; do
		[ -d "$t" ] || continue
		t=${t##*/}
		[ "$t" = same ] && t=zero
		printf '%s\n' "$t"
	done
}

# Block devices that could back a tier: not vswap, loop or ram devices.
_vswapctl_blockdevs()
{
	local d
	for d in /sys/block/*; do
		d=${d##*/}
		case $d in
		vswap* | loop* | ram* | zram*) continue ;;
		esac
		printf '/dev/%s\n' "$d"
	done
}

_vswapctl_columns="dev dev_id id name kind class state algo level limit path
capacity high_wmark low_wmark idle_age priority size in_use meta_bytes pages
orig_bytes stored_bytes ratio use_pct reads writes discards frees failed_reads
failed_writes huge_pages migrated_in migrated_out promotions demotions
io_errors budget_used bar room reads_per_s writes_per_s mig_in_per_s
mig_out_per_s all"

_vswapctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local globals="-j --json -p --pretty -o --output -b --bytes -n --no-headings -V --version -h --help"

	# Option values.
	case $prev in
	-o | --output)
		# Comma-separated: complete the last element.
		local pre="" last=$cur
		if [[ $cur == *,* ]]; then
			pre=${cur%,*},
			last=${cur##*,}
		fi
		[[ $pre == "" && $last == +* ]] && { pre=+; last=${last#+}; }
		local c
		COMPREPLY=()
		for c in $_vswapctl_columns; do
			[[ $c == "$last"* ]] && COMPREPLY+=("$pre$c")
		done
		compopt -o nospace 2>/dev/null
		return
		;;
	--algo)
		COMPREPLY=($(compgen -W "lz4 lz4hc zstd" -- "$cur"))
		return
		;;
	--class)
		COMPREPLY=($(compgen -W "fast slow" -- "$cur"))
		return
		;;
	--state)
		COMPREPLY=($(compgen -W "active" -- "$cur"))
		return
		;;
	--limit)
		COMPREPLY=($(compgen -W "none 0 64M 256M 1G 2G 4G" -- "$cur"))
		return
		;;
	--size | --max)
		COMPREPLY=($(compgen -W "64M 256M 1G 2G 4G 8G 16G" -- "$cur"))
		return
		;;
	--level | --high-wmark | --low-wmark | --idle-age | --priority | --idle | --name)
		return
		;;
	--config)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--root)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-d | --delay)
		[[ ${words[*]} == *" top"* ]] && COMPREPLY=($(compgen -W "1 2 5 10" -- "$cur"))
		return
		;;
	-c | --count)
		return
		;;
	esac

	# The command words and positional arguments so far.
	local i w cmd="" sub="" args=()
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-o | --output | --algo | --class | --limit | --size | --max | --level | \
		--high-wmark | --low-wmark | --idle-age | --priority | --idle | --name | \
		--from | --to | --config | --root | -d | --delay | -c | --count)
			((i++))
			continue
			;;
		-*) continue ;;
		esac
		if [ -z "$cmd" ]; then
			cmd=$w
		elif [ -z "$sub" ] && [[ $cmd == dev || $cmd == tier ]]; then
			sub=$w
		else
			args+=("$w")
		fi
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "status dev tier migrate monitor apply top help" -- "$cur"))
		fi
		return
	fi

	local opts="" pos=""
	case $cmd in
	st*)
		pos=dev
		;;
	mon*)
		pos=dev
		;;
	app*)
		opts="--dry-run --prune --missing-ok --config --root"
		[ ${#args[@]} -eq 0 ] && pos=dev
		;;
	top)
		opts="-d --delay -c --count --batch"
		[ ${#args[@]} -eq 0 ] && pos=dev
		;;
	mig*)
		opts="--from --to --idle --max --wait"
		case $prev in
		--from | --to)
			[ ${#args[@]} -ge 1 ] &&
				COMPREPLY=($(compgen -W "$(_vswapctl_tiers "${args[0]}")" -- "$cur"))
			return
			;;
		esac
		[ ${#args[@]} -eq 0 ] && pos=dev
		;;
	dev)
		if [ -z "$sub" ]; then
			COMPREPLY=($(compgen -W "add del show list" -- "$cur"))
			return
		fi
		case $sub in
		add) opts="--size --algo --level" ;;
		del* | show | list) [ ${#args[@]} -eq 0 ] && pos=dev ;;
		esac
		;;
	tier)
		if [ -z "$sub" ]; then
			COMPREPLY=($(compgen -W "add set del show list" -- "$cur"))
			return
		fi
		case $sub in
		add)
			opts="--name --limit --algo --level --class --high-wmark --low-wmark --idle-age --priority"
			case ${#args[@]} in
			0) pos=dev ;;
			1) pos=kind ;;
			esac
			;;
		set)
			opts="--limit --high-wmark --low-wmark --idle-age --priority --name --algo --level --state"
			case ${#args[@]} in
			0) pos=dev ;;
			1) pos=tier ;;
			esac
			;;
		del*)
			opts="--drain --wait --cancel"
			case ${#args[@]} in
			0) pos=dev ;;
			1) pos=tier ;;
			esac
			;;
		show | list)
			case ${#args[@]} in
			0) pos=dev ;;
			1) pos=tier ;;
			esac
			;;
		esac
		;;
	*)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
		return
	fi
	case $pos in
	dev) COMPREPLY=($(compgen -W "$(_vswapctl_devs)" -- "$cur")) ;;
	tier) COMPREPLY=($(compgen -W "$(_vswapctl_tiers "${args[0]}")" -- "$cur")) ;;
	kind) COMPREPLY=($(compgen -W "ram $(_vswapctl_blockdevs)" -- "$cur")) ;;
	esac
}
complete -F _vswapctl vswapctl
