#!/bin/sh
# kernel-w1.sh: lib/maple_tree.o alone, built by the kernel's own make with
# W=1 and CONFIG_FRAME_WARN=1024, for our tree and the kernel's (issue 14,
# item 1): the warnings (kernel-doc included) and the largest stack frames.
#
#   scripts/kernel-w1.sh            both trees
#   scripts/kernel-w1.sh ours       only ours (the edit-compile loop)
#
# Uses the trees of scripts/kernel-boot.sh (.kernel/full/ours gets the
# current linux/lib/maple_tree.c and linux/include/linux/maple_tree.h) with
# build folders of its own (.kernel/full/build/w1-NAME, configured from
# kernel/config.fragment, which sets CONFIG_FRAME_WARN=1024), so that the
# boot builds are never rebuilt by it.  The first run prepares each folder
# (a minute or two); after that one object is compiled, always afresh.
# Frame sizes come from -fstack-usage (KCFLAGS), lib/maple_tree.su.
#
# Output per tree: the warnings, their count, the five largest frames.
# Full compiler output: build/kernel/logs/w1-NAME.log.  Exit status 0 when
# our file has no warning (the issue's goal), 1 otherwise.
set -eu

. "$(dirname "$0")/kernel-lib.sh"

trees=${1:-ours kernel}
kl_deps flex bison bc libelf-dev libssl-dev
kl_extract
mkdir -p "$kl_logs"
ours_warnings=0
for t in $trees; do
	case $t in
	ours) kl_ours_tree "$kl_cache/ours$kl_sfx"; src="$kl_cache/ours$kl_sfx" ;;
	kernel) src=$kl_src ;;
	*) kl_die "usage: kernel-w1.sh [ours|kernel]" ;;
	esac
	out="$kl_builds/w1-$t$kl_sfx"
	fstamp=$(sha256sum <"$kl_fragment" | cut -d' ' -f1)
	if [ "$(cat "$out/.maple-config" 2>/dev/null)" != "$fstamp" ]; then
		kl_say "w1-$t: configuring, then preparing (once)"
		kl_config "$src" "$out"
		grep -qx 'CONFIG_FRAME_WARN=1024' "$out/.config" ||
			kl_die "CONFIG_FRAME_WARN=1024 is not in $out/.config"
		make -C "$src" O="$out" -j"$kl_jobs" prepare \
			>"$kl_logs/w1-$t-prepare.log" 2>&1 ||
			{ tail -n 20 "$kl_logs/w1-$t-prepare.log" >&2; kl_die "prepare failed"; }
		echo "$fstamp" >"$out/.maple-config"
	fi
	log="$kl_logs/w1-$t.log"
	rm -f "$out/lib/maple_tree.o" "$out/lib/maple_tree.su"
	kl_say "w1-$t: make W=1 KCFLAGS=-fstack-usage lib/maple_tree.o"
	make -C "$src" O="$out" -j"$kl_jobs" W=1 KCFLAGS=-fstack-usage \
		lib/maple_tree.o >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; kl_die "w1-$t: lib/maple_tree.o does not build"; }
	# compiler warnings (file:line:col) and kernel-doc's (file:line)
	grep -E ': warning: ' "$log" >"$log.warnings" || true
	n=$(wc -l <"$log.warnings")
	echo "== $t: lib/maple_tree.o with W=1, CONFIG_FRAME_WARN=1024: $n warnings"
	sed 's|^.*/\(lib/\)|\1|; s|^.*/\(include/\)|\1|; s/^/   /' "$log.warnings" | head -n "${W1_SHOW:-60}"
	[ "$n" -le "${W1_SHOW:-60}" ] || echo "   ... (all in ${log#"$kl_top"/}.warnings)"
	echo "== $t: five largest stack frames (bytes, -fstack-usage)"
	sort -t"$(printf '\t')" -k2,2nr "$out/lib/maple_tree.su" | head -n 5 |
		awk -F'\t' '{ n = split($1, p, ":"); printf "   %6d  %-40s %s:%s\n", $2, p[n], "maple_tree.c", p[n - 2] }'
	# The two counts differ: -fstack-usage is conservative (the frame plus
	# the registers saved and the return address), CONFIG_FRAME_WARN's
	# -Wframe-larger-than counts the frame alone, approximately.
	if sort -t"$(printf '\t')" -k2,2nr "$out/lib/maple_tree.su" | head -n 1 |
		awk -F'\t' '{ exit !($2 > 1024) }'; then
		echo "   (a frame above 1024 here need not warn: -fstack-usage also counts" \
			"saved registers and the return address, -Wframe-larger-than" \
			"counts the frame alone)"
	fi
	[ "$t" = ours ] && ours_warnings=$n
done
[ "$ours_warnings" = 0 ]
