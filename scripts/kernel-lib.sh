#!/bin/sh
# kernel-lib.sh: shared steps of the real-kernel legs (issue 14), sourced by
# scripts/kernel-boot.sh, scripts/kernel-w1.sh and scripts/kernel-vma.sh.
#
#   kl_deps PKG...        apt-get install what is missing (as root or sudo)
#   kl_extract            Debian's full linux-source-6.12 tree, once, into
#                         .kernel/full/linux-source-6.12 (pristine, read-only
#                         by convention; nothing of it is ever committed)
#   kl_ours_tree DIR      DIR: a hard-link copy of the pristine tree with our
#                         linux/lib/maple_tree.c and linux/include/linux/
#                         maple_tree.h as real copies (refreshed when changed)
#   kl_config SRC OUT [EXTRA]   OUT/.config: tinyconfig + kernel/config.fragment
#                         (+ an EXTRA fragment), checked option by option
#   kl_build NAME SRC     bzImage of SRC in .kernel/full/build/NAME, skipped
#                         when the sources that differ between trees and
#                         the config are unchanged since the last build
#
# Variables: KERNEL_JOBS (make -j, default 2), OURS_C / OURS_H (our files,
# default linux/lib/maple_tree.c and linux/include/linux/maple_tree.h).
# Progress goes to stderr; kernel make output to build/kernel/logs/.

kl_version=6.12
kl_top=$(cd "$(dirname "$0")/.." && pwd)
kl_cache="$kl_top/.kernel/full"
kl_src="$kl_cache/linux-source-$kl_version"
kl_builds="$kl_cache/build"
kl_tarball="/usr/src/linux-source-$kl_version.tar.xz"
kl_fragment="$kl_top/kernel/config.fragment"
kl_logs="$kl_top/build/kernel/logs"
kl_jobs=${KERNEL_JOBS:-2}
kl_ours_c=${OURS_C:-$kl_top/linux/lib/maple_tree.c}
kl_ours_h=${OURS_H:-$kl_top/linux/include/linux/maple_tree.h}
kl_t0=$(date +%s)

kl_say() {
	printf '[%4ss] %s\n' "$(($(date +%s) - kl_t0))" "$*" >&2
}

kl_die() {
	printf 'kernel: %s\n' "$*" >&2
	exit 1
}

kl_sudo() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		kl_die "cannot run '$*' as this user; install as root"
	fi
}

kl_deps() {
	missing=
	for p in "$@"; do
		# any architecture's copy will do (liburcu-dev may have two)
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
			grep -q ' installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	kl_say "installing:$missing"
	# shellcheck disable=SC2086
	kl_sudo apt-get install -y -q $missing >&2 ||
		{ kl_sudo apt-get update -q >&2 &&
		  kl_sudo apt-get install -y -q $missing >&2; }
}

kl_extract() {
	[ -f "$kl_src/Makefile" ] && [ -f "$kl_src/lib/maple_tree.c" ] && return 0
	[ -f "$kl_tarball" ] || kl_deps "linux-source-$kl_version"
	kl_say "extracting the full $kl_tarball into $kl_cache"
	mkdir -p "$kl_cache"
	kl_tmp=$(mktemp -d "$kl_cache/.extract.XXXXXX")
	tar -C "$kl_tmp" -xJf "$kl_tarball"
	rm -rf "$kl_src"
	mv "$kl_tmp/linux-source-$kl_version" "$kl_src"
	rmdir "$kl_tmp"
}

# Replace DIR/REL by a real copy of FILE, unless it already has its content
# (its time stamp then stays, so make rebuilds nothing).  Never write into a
# hard link: that would change the pristine tree too.
kl_put() {
	dir=$1 rel=$2 file=$3
	[ -f "$file" ] || kl_die "missing $file"
	if [ "$(stat -c %h "$dir/$rel")" = 1 ] && cmp -s "$file" "$dir/$rel"; then
		return 0
	fi
	rm -f "$dir/$rel"
	cp "$file" "$dir/$rel"
	kl_say "$rel: our copy put in $(basename "$dir")"
}

kl_ours_tree() {
	dir=$1
	kl_extract
	if [ ! -f "$dir/Makefile" ]; then
		kl_say "hard-link copy of the kernel tree: $dir"
		rm -rf "$dir.tmp"
		cp -al "$kl_src" "$dir.tmp"
		mv "$dir.tmp" "$dir"
	fi
	kl_put "$dir" lib/maple_tree.c "$kl_ours_c"
	kl_put "$dir" include/linux/maple_tree.h "$kl_ours_h"
	for rel in lib/maple_tree.c include/linux/maple_tree.h; do
		[ "$(stat -c %h "$dir/$rel")" = 1 ] ||
			kl_die "$dir/$rel is a hard link"
		[ "$(stat -c %h "$kl_src/$rel")" = 1 ] ||
			kl_die "$kl_src/$rel is a hard link"
	done
}

# Every option the fragments set must come out of olddefconfig as asked.
kl_config_check() {
	config=$1
	shift
	bad=
	for frag in "$@"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				grep -qxF "$line" "$config" || bad="$bad ${line%%=*}"
				;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }
				opt=${opt%% *}
				! grep -q "^$opt=" "$config" || bad="$bad $opt"
				;;
			esac
		done <"$frag"
	done
	[ -z "$bad" ] || kl_die "options not taken by $config:$bad"
}

kl_config() {
	src=$1 out=$2 extra=${3:-}
	mkdir -p "$out" "$kl_logs"
	log="$kl_logs/config-$(basename "$out").log"
	# shellcheck disable=SC2086
	{
		make -C "$src" O="$out" tinyconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" "$kl_fragment" $extra &&
		make -C "$src" O="$out" olddefconfig
	} >"$log" 2>&1 || { tail -n 20 "$log" >&2; kl_die "config failed: $log"; }
	# shellcheck disable=SC2086
	kl_config_check "$out/.config" "$kl_fragment" $extra
}

# What a build depends on beyond the pristine tree: the config fragment and
# the two files ours replaces.
kl_stamp() {
	src=$1
	cat "$kl_fragment" "$src/lib/maple_tree.c" \
	    "$src/include/linux/maple_tree.h" | sha256sum | cut -d' ' -f1
}

kl_build() {
	name=$1 src=$2
	out="$kl_builds/$name"
	image="$out/arch/x86/boot/bzImage"
	stamp=$(kl_stamp "$src")
	if [ -f "$image" ] && [ "$(cat "$out/.maple-stamp" 2>/dev/null)" = "$stamp" ]; then
		kl_say "$name: bzImage is current"
		return 0
	fi
	fstamp=$(sha256sum <"$kl_fragment" | cut -d' ' -f1)
	if [ "$(cat "$out/.maple-config" 2>/dev/null)" != "$fstamp" ]; then
		kl_say "$name: configuring (tinyconfig + kernel/config.fragment)"
		kl_config "$src" "$out"
		echo "$fstamp" >"$out/.maple-config"
	fi
	log="$kl_logs/build-$name.log"
	kl_say "$name: make -j$kl_jobs bzImage (log: ${log#"$kl_top"/})"
	start=$(date +%s)
	rm -f "$out/.maple-stamp"
	make -C "$src" O="$out" -j"$kl_jobs" bzImage >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; kl_die "$name: build failed: $log"; }
	echo "$stamp" >"$out/.maple-stamp"
	warn=$(grep -c 'maple_tree\.[ch]:[0-9]*:[0-9]*: warning' "$log" || true)
	kl_say "$name: built in $(($(date +%s) - start))s;" \
		"$warn warnings in maple_tree.[ch]"
	grep 'maple_tree\.[ch]:[0-9]*:[0-9]*: warning' "$log" | sed 's/^/    /' >&2 || true
}
