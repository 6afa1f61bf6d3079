#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# regress-mutants.sh: prove that each check of checks/regressions.c can
# fail.  For each upstream fix, a copy of Linux 6.12's maple tree (from
# scripts/kernel-tree.sh) gets the fix taken out again by one sed edit,
# is built as a subject (build/mutants/NAME) and its check is run: the
# check must print "bug present".  A walk mutant puts the mas_walk() fix
# in, where the check must print "bug absent" instead.
#
# The edited copies live under build/ (git-ignored): kernel sources are
# never committed.  Usage: scripts/regress-mutants.sh [NAME...]
# Prints one line per mutant and "N passed, M failed" last.
set -u
case "${1:-}" in
-h|--help)
	sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'
	exit 0 ;;
esac
cd "$(dirname "$0")/.." || exit 1
src=$(scripts/kernel-tree.sh) || exit 1
jobs=${JOBS:-2}

# name | check | expected verdict | sed expression on lib/maple_tree.c
mutants() {
	cat <<'EOF'
cve-2024-50200|check_regress_spanning_end|present|s/if (r_mas.max > r_mas.last)$/if (r_mas.offset <= r_mas.end)/
cve-2023-54135|check_regress_end_piv|present|/^static inline void mas_wr_end_piv(/,/^}/{s/^\twhile ((wr_mas->offset_end < wr_mas->mas->end) \&\&$/\twr_mas->end_piv = wr_mas->r_max;\n\twhile ((wr_mas->mas->last > wr_mas->end_piv) \&\& (wr_mas->offset_end < wr_mas->mas->end))/;s/^\t       (wr_mas->mas->last > wr_mas->pivots\[wr_mas->offset_end\]))$/\t\twr_mas->end_piv = wr_mas->pivots[++wr_mas->offset_end];/;s/^\t\twr_mas->offset_end++;$/\tif (wr_mas->mas->last > wr_mas->end_piv) wr_mas->end_piv = wr_mas->mas->max;\n\treturn;/}
alloc-cyclic|check_regress_alloc_cyclic|present|/^int mas_alloc_cyclic(/,/^}/{/^\t\t\tmas_reset(mas);$/d}
destroy-leaf|check_regress_destroy_leaf_root|present|/^static void mt_destroy_walk(/,/^}/{/^\t\tmte_set_node_dead(enode);$/d}
walk-fixed|check_regress_walk_restart|absent|s/if (!mas_is_active(mas) || !mas_is_start(mas))$/if (!mas_is_active(mas) \&\& !mas_is_start(mas))/
prealloc|check_regress_prealloc_twice|present|/^int mas_preallocate(/,/^}/{/^\tmas->mas_flags &= ~MA_STATE_PREALLOC;$/d}
empty-area-rev|check_regress_empty_area_nodeless|present|/^int mas_empty_area_rev(/,/^}/{s/^\tif (unlikely(mas_is_none(mas) || mas_is_ptr(mas)))$/\tif (0)/}
rebalance|check_regress_rebalance|present|s/^\t\tshift = mas_data_end(&l_mas) + 1;$/\t\tshift = mas_data_end(\&l_mas);/
EOF
}

mkdir -p build/mutants
rm -f build/mutants/.results
mutants | while IFS='|' read -r name check want edit; do
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	dir=build/mutants/$name
	tree=$dir/6.12-$name	# its name is the subject's name in messages
	rm -rf "$tree"
	mkdir -p "$tree"
	cp -r "$src/lib" "$src/include" "$tree/"
	sed -i "$edit" "$tree/lib/maple_tree.c"
	if cmp -s "$src/lib/maple_tree.c" "$tree/lib/maple_tree.c"; then
		echo "mutant $name: the edit matched nothing: FAILED"
		echo fail >> build/mutants/.results
		continue
	fi
	if ! make -s -j"$jobs" maple O="$dir/build" KDIR="$tree" \
	     > "$dir/build.log" 2>&1; then
		echo "mutant $name: does not build ($dir/build.log): FAILED"
		echo fail >> build/mutants/.results
		continue
	fi
	line=$("$dir/build/maple" "$check" 2>/dev/null | grep " bug ")
	case "$line" in
	*"bug $want on"*)
		echo "mutant $name: $check says bug $want: ok"
		echo pass >> build/mutants/.results ;;
	*)
		echo "mutant $name: $check: expected bug $want, got: $line: FAILED"
		echo fail >> build/mutants/.results ;;
	esac
done
passed=$(grep -c pass build/mutants/.results 2>/dev/null)
failed=$(grep -c fail build/mutants/.results 2>/dev/null)
rm -f build/mutants/.results
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ]
