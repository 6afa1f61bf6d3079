#!/bin/sh
# kernel-lib.sh: shared steps of the real-kernel legs (issue 14), sourced by
# scripts/kernel-boot.sh, scripts/kernel-w1.sh and scripts/kernel-vma.sh.
#
#   kl_deps PKG...        apt-get install what is missing (as root or sudo)
#   kl_extract            Debian's full linux-source-$KERNEL_VERSION tree
#                         (default 6.12; 7.3 comes through
#                         scripts/kernel-fetch.sh's private apt), once, into
#                         .kernel/full/linux-source-VERSION (pristine, read-only
#                         by convention; nothing of it is ever committed)
#   kl_ours_tree DIR      DIR: a hard-link copy of the pristine tree with our
#                         linux/lib/maple_tree.c and linux/include/linux/
#                         maple_tree.h as real copies (refreshed when changed)
#   kl_old_tree DIR       DIR: a hard-link copy of the pristine tree whose
#                         kernel/fork.c is kernel/old-dup-mmap.py's: the
#                         pre-series dup_mmap(), one store per VMA ("old")
#   kl_config SRC OUT [EXTRA]   OUT/.config: tinyconfig + kernel/config.fragment
#                         (+ an EXTRA fragment), checked option by option
#   kl_build NAME SRC     bzImage of SRC, skipped when the sources that
#                         differ between trees and the config are unchanged
#                         since the last build.  The build folder is
#                         SRC/.maple-build-CONFIG, a child of the tree, so
#                         that kbuild names the sources relatively (srctree
#                         is "..") and a copy tree's first build starts
#                         from the pristine tree's objects: make then
#                         rebuilds only what our files change (the old
#                         kernel's fork.c: one object).
#                         .kernel/full/build/NAME links to it.
#   kl_link_copy SRC DIR  DIR: a hard-link copy of the tree SRC, without
#                         its build folders
#
# CONFIG=debug adds kernel/debug.fragment (KASAN, lockdep, PROVE_RCU, SLUB
# debugging: issue 25), CONFIG=kcsan kernel/kcsan.fragment; their builds
# and copies are named with "-debug", "-kcsan" after the version's.
#
# Variables: KERNEL_JOBS (make -j, default 2), OURS_C / OURS_H (our files,
# default linux/lib/maple_tree.c and linux/include/linux/maple_tree.h).
# Progress goes to stderr; kernel make output to build/kernel/logs/.
# Every variable of these functions starts with kl_: a script that sources
# this file keeps its own names.

kl_version=${KERNEL_VERSION:-6.12}
kl_top=$(cd "$(dirname "$0")/.." && pwd)
kl_cache="$kl_top/.kernel/full"
kl_src="$kl_cache/linux-source-$kl_version"
kl_builds="$kl_cache/build"
# Names of builds and copies: "kernel", "ours" for 6.12 (as they always
# were), "kernel-7.3", "ours-7.3" for another version.
if [ "$kl_version" = 6.12 ]; then kl_sfx=; else kl_sfx="-$kl_version"; fi
kl_vsfx=$kl_sfx		# the version's alone: source copies are per version
kl_fragment="$kl_top/kernel/config.fragment"
kl_confname=${CONFIG:-plain}
kl_extra=
case $kl_confname in
plain) ;;
*)	kl_extra="$kl_top/kernel/$kl_confname.fragment"
	[ -f "$kl_extra" ] || {
		echo "kernel: CONFIG=$kl_confname: no kernel/$kl_confname.fragment" >&2
		exit 1
	}
	kl_sfx="$kl_sfx-$kl_confname" ;;
esac
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
	kl_missing=
	for kl_p in "$@"; do
		# any architecture's copy will do (liburcu-dev may have two)
		dpkg-query -W -f '${Status}\n' "$kl_p" 2>/dev/null |
			grep -q ' installed$' || kl_missing="$kl_missing $kl_p"
	done
	[ -z "$kl_missing" ] && return 0
	kl_say "installing:$kl_missing"
	# shellcheck disable=SC2086
	kl_sudo apt-get install -y -q $kl_missing >&2 ||
		{ kl_sudo apt-get update -q >&2 &&
		  kl_sudo apt-get install -y -q $kl_missing >&2; }
}

kl_extract() {
	[ -f "$kl_src/Makefile" ] && [ -f "$kl_src/lib/maple_tree.c" ] && return 0
	kl_tarball=$("$kl_top/scripts/kernel-fetch.sh" "$kl_version") ||
		kl_die "no linux-source-$kl_version"
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
	kl_dir=$1 kl_rel=$2 kl_file=$3
	[ -f "$kl_file" ] || kl_die "missing $kl_file"
	if [ "$(stat -c %h "$kl_dir/$kl_rel")" = 1 ] && cmp -s "$kl_file" "$kl_dir/$kl_rel"; then
		return 0
	fi
	rm -f "$kl_dir/$kl_rel"
	cp "$kl_file" "$kl_dir/$kl_rel"
	kl_say "$kl_rel: our copy put in $(basename "$kl_dir")"
}

kl_link_copy() {
	[ -f "$2/Makefile" ] && return 0
	kl_say "hard-link copy of the kernel tree: $2"
	rm -rf "$2.tmp"
	cp -al "$1" "$2.tmp"
	# the build folders are the tree's own, never shared by links
	rm -rf "$2.tmp"/.maple-build-*
	mv "$2.tmp" "$2"
}

kl_ours_tree() {
	kl_dir=$1
	kl_extract
	kl_link_copy "$kl_src" "$kl_dir"
	kl_put "$kl_dir" lib/maple_tree.c "$kl_ours_c"
	kl_put "$kl_dir" include/linux/maple_tree.h "$kl_ours_h"
	for kl_rel in lib/maple_tree.c include/linux/maple_tree.h; do
		[ "$(stat -c %h "$kl_dir/$kl_rel")" = 1 ] ||
			kl_die "$kl_dir/$kl_rel is a hard link"
		# (the pristine file may have links: other copies, such as
		# scripts/kernel-vma.sh's of the kernel's tree, share it)
		[ "$(stat -c %i "$kl_dir/$kl_rel")" != "$(stat -c %i "$kl_src/$kl_rel")" ] ||
			kl_die "$kl_dir/$kl_rel is the pristine tree's file"
	done
}

# The pre-series duplication in a copy of the pristine tree: only
# kernel/fork.c is a file of its own, rewritten from the pristine one.
kl_old_tree() {
	kl_dir=$1
	kl_extract
	kl_link_copy "$kl_src" "$kl_dir"
	kl_tmpc=$(mktemp "$kl_cache/.fork.XXXXXX")
	python3 "$kl_top/kernel/old-dup-mmap.py" "$kl_src/kernel/fork.c" "$kl_tmpc" ||
		{ rm -f "$kl_tmpc"; kl_die "Linux $kl_version: no pre-series dup_mmap()"; }
	kl_put "$kl_dir" kernel/fork.c "$kl_tmpc"
	rm -f "$kl_tmpc"
	[ "$(stat -c %i "$kl_dir/kernel/fork.c")" != "$(stat -c %i "$kl_src/kernel/fork.c")" ] ||
		kl_die "$kl_dir/kernel/fork.c is the pristine tree's file"
}

# Every option the fragments set must come out of olddefconfig as asked;
# a later fragment's word on an option is the one that counts (the debug
# fragment's FRAME_WARN over config.fragment's).
kl_config_check() {
	kl_cfg=$1
	shift
	kl_bad=
	kl_n=0
	for kl_frag in "$@"; do
		kl_n=$((kl_n + 1))
		kl_later=$(shift "$kl_n"; [ $# = 0 ] || cat "$@" |
			sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1/p')
		while IFS= read -r kl_line; do
			case $kl_line in
			CONFIG_*=*) kl_opt=${kl_line%%=*} ;;
			"# CONFIG_"*" is not set")
				kl_opt=${kl_line#\# }
				kl_opt=${kl_opt%% *} ;;
			*) continue ;;
			esac
			! echo "$kl_later" | grep -qxF "$kl_opt" || continue
			case $kl_line in
			CONFIG_*=*)
				grep -qxF "$kl_line" "$kl_cfg" || kl_bad="$kl_bad $kl_opt"
				;;
			*)
				! grep -q "^$kl_opt=" "$kl_cfg" || kl_bad="$kl_bad $kl_opt"
				;;
			esac
		done <"$kl_frag"
	done
	# An option this kernel's Kconfig no longer defines (6.12's
	# PROC_SYSCTL is 7.x's SYSCTL) is said, not failed.
	kl_real=
	for kl_opt in $kl_bad; do
		if grep -rqs --include='Kconfig*' "^config ${kl_opt#CONFIG_}\$" "$kl_tree"; then
			kl_real="$kl_real $kl_opt"
		else
			kl_say "$kl_opt: not an option of Linux $kl_version, left out"
		fi
	done
	[ -z "$kl_real" ] || kl_die "options not taken by $kl_cfg:$kl_real"
}

kl_config() {
	kl_tree=$1 kl_out=$2 kl_more=${3:-}
	mkdir -p "$kl_out" "$kl_logs"
	kl_log="$kl_logs/config-$(basename "$kl_out").log"
	# shellcheck disable=SC2086
	{
		make -C "$kl_tree" O="$kl_out" tinyconfig &&
		"$kl_tree/scripts/kconfig/merge_config.sh" -m -O "$kl_out" \
			"$kl_out/.config" "$kl_fragment" $kl_more &&
		make -C "$kl_tree" O="$kl_out" olddefconfig
	} >"$kl_log" 2>&1 || { tail -n 20 "$kl_log" >&2; kl_die "config failed: $kl_log"; }
	# shellcheck disable=SC2086
	kl_config_check "$kl_out/.config" "$kl_fragment" $kl_more
}

# What a build depends on beyond the pristine tree: the config fragment and
# the two files ours replaces.
kl_stamp() {
	kl_tree=$1
	# shellcheck disable=SC2086
	cat "$kl_fragment" $kl_extra "$kl_tree/lib/maple_tree.c" \
	    "$kl_tree/include/linux/maple_tree.h" "$kl_tree/kernel/fork.c" |
		sha256sum | cut -d' ' -f1
}

kl_build() {
	kl_name=$1 kl_tree=$2
	kl_out="$kl_tree/.maple-build-$kl_confname"
	kl_image="$kl_out/arch/x86/boot/bzImage"
	mkdir -p "$kl_builds"
	# the name's link (an older layout had a real folder there)
	if [ ! -L "$kl_builds/$kl_name" ] || [ "$(readlink "$kl_builds/$kl_name")" != "$kl_out" ]; then
		rm -rf "$kl_builds/$kl_name"
		ln -s "$kl_out" "$kl_builds/$kl_name"
	fi
	# A copy tree's first build starts from the pristine tree's objects
	# of the same configuration, when those are complete.
	kl_seed="$kl_src/.maple-build-$kl_confname"
	if [ "$kl_tree" != "$kl_src" ] && [ ! -f "$kl_out/.config" ] &&
	   [ -f "$kl_seed/.maple-stamp" ]; then
		kl_say "$kl_name: starting from the pristine tree's objects"
		rm -rf "$kl_out.tmp"
		cp -a "$kl_seed" "$kl_out.tmp"
		rm -f "$kl_out.tmp/.maple-stamp"
		mv "$kl_out.tmp" "$kl_out"
	fi
	kl_stamp=$(kl_stamp "$kl_tree")
	if [ -f "$kl_image" ] && [ "$(cat "$kl_out/.maple-stamp" 2>/dev/null)" = "$kl_stamp" ]; then
		kl_say "$kl_name: bzImage is current"
		return 0
	fi
	# shellcheck disable=SC2086
	kl_fstamp=$(cat "$kl_fragment" $kl_extra | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$kl_out/.maple-config" 2>/dev/null)" != "$kl_fstamp" ]; then
		kl_say "$kl_name: configuring (tinyconfig + kernel/config.fragment${kl_extra:+ + kernel/$kl_confname.fragment})"
		kl_config "$kl_tree" "$kl_out" "$kl_extra"
		echo "$kl_fstamp" >"$kl_out/.maple-config"
	fi
	# The files this tree has of its own (real copies, one link; the
	# rest are the pristine tree's by hard link) must be newer than any
	# object, or make would take the pristine objects as current.
	kl_own=
	if [ "$kl_tree" != "$kl_src" ]; then
		kl_own=$(find "$kl_tree" -path "$kl_tree/.maple-build-*" -prune -o \
			-type f -links 1 -print 2>/dev/null)
		[ -z "$kl_own" ] || echo "$kl_own" | xargs touch
	fi
	kl_log="$kl_logs/build-$kl_name.log"
	kl_say "$kl_name: make -j$kl_jobs bzImage (log: ${kl_log#"$kl_top"/})"
	kl_start=$(date +%s)
	rm -f "$kl_out/.maple-stamp"
	make -C "$kl_tree" O="$kl_out" -j"$kl_jobs" bzImage >"$kl_log" 2>&1 ||
		{ tail -n 30 "$kl_log" >&2; kl_die "$kl_name: build failed: $kl_log"; }
	# each C file of the tree's own was compiled into this build
	for kl_f in $(echo "$kl_own" | grep '\.c$'); do
		kl_o="$kl_out/${kl_f#"$kl_tree"/}"
		kl_o="${kl_o%.c}.o"
		[ -n "$(find "$kl_o" -newer "$kl_f" 2>/dev/null)" ] ||
			kl_die "$kl_name: ${kl_o#"$kl_out"/} is older than its source: not this tree's build"
	done
	echo "$kl_stamp" >"$kl_out/.maple-stamp"
	kl_warn=$(grep -c 'maple_tree\.[ch]:[0-9]*:[0-9]*: warning' "$kl_log" || true)
	kl_say "$kl_name: built in $(($(date +%s) - kl_start))s;" \
		"$kl_warn warnings in maple_tree.[ch]"
	grep 'maple_tree\.[ch]:[0-9]*:[0-9]*: warning' "$kl_log" | sed 's/^/    /' >&2 || true
}
