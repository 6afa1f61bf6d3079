#!/bin/sh
# bench.sh: `make bench`.  Builds mtbench with OPT=-O2 for the kernels'
# maple trees (KERNELS, default "6.12 7.3") and for ours (when linux/
# builds), runs them REPS rounds (pinned to one CPU when taskset exists;
# in a round each workload runs for every tree in turn), and prints the
# median ns per operation of each workload side by side, with the ratio of
# ours to each kernel: the median of the ratios paired within a round.
# The dup_mmap_old/_new rows come from the fork model's forkbench, built
# alongside, with as many VMAs as the sizes.
#
#   REPS=5 SIZES=1000,100000 OPS=200000 scripts/bench.sh [workload...]
#
# DEBUG_TREE=0 builds both trees without CONFIG_DEBUG_MAPLE_TREE, as a
# production kernel does (build/bench-nodebug-*).
#
# empty_area also runs on a 1,000,000-entry tree (BIG_SIZES), and the
# dup_mmap rows run at the seed's VMA counts (FORK_COUNTS, 21 to 51,221):
# __mt_dup() or the bulk load, and for every VMA a 176-byte object
# allocated and copied, as vm_area_dup() does.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
reps=${REPS:-5}
sizes=${SIZES:-1000,100000}
big_sizes=${BIG_SIZES:-1000000}
fork_counts=${FORK_COUNTS:-21,121,421,1621,6421,25621,51221}
ops=${OPS:-200000}
out=build/bench
mkdir -p "$out"
rm -f "$out"/*.csv "$out"/*.fork "$out"/*.forkraw

# The dup_mmap rows come from the fork model (fork/forkbench), the others
# from mtbench; "dup_mmap" among the arguments asks for the former.
fork=0
tree=0
[ $# -gt 0 ] || { fork=1; tree=1; }
for w in "$@"; do
	if [ "$w" = dup_mmap ]; then fork=1; else tree=1; fi
done
# shellcheck disable=SC2046
set -- $(for w in "$@"; do [ "$w" = dup_mmap ] || echo "$w"; done)

# DEBUG_TREE=0: both trees as a production kernel builds them, without
# CONFIG_DEBUG_MAPLE_TREE (whose assertions count themselves with atomic
# increments); no node counts then, the kernel's tree has none to give.
debug=${DEBUG_TREE:-1}
bdir=build/bench
[ "$debug" != 0 ] || bdir=build/bench-nodebug
# The kernels' trees (KERNELS, default "6.12 7.3"), each its own build.
kernels=${KERNELS:-6.12 7.3}
impls=
for version in $kernels; do
	kernel_tree=$(scripts/kernel-tree.sh "$version")
	make -s mtbench forkbench O="$bdir-k$version" KDIR="$kernel_tree" \
		OPT=-O2 DEBUG_TREE="$debug"
	impls="$impls k$version"
done
if make -s mtbench forkbench O="$bdir-ours" KDIR=linux OPT=-O2 \
	DEBUG_TREE="$debug" >"$out/ours-build.log" 2>&1; then
	impls="$impls ours"
else
	echo "ours: not available (make mtbench KDIR=linux failed, see $out/ours-build.log)"
fi

pin=
if command -v taskset >/dev/null && taskset -c 1 true 2>/dev/null; then
	pin="taskset -c 1"
fi

# rotate N word...: the words, the first N mod their number moved to the end
rotate() {
	k=$1
	shift
	k=$((k % $#))
	while [ "$k" -gt 0 ]; do
		w=$1
		shift
		set -- "$@" "$w"
		k=$((k - 1))
	done
	echo "$@"
}

# The rounds.  In each, every workload runs on its own for each tree in
# turn, the trees' order turning from round to round, so that the runs a
# ratio compares are seconds apart, not minutes: another process that
# slows the machine for a while slows both sides of a pair.  Each line
# gets its round, for the pairing below.
first_impl=$(echo $impls | cut -d' ' -f1)
if [ "$tree" = 1 ]; then
	if [ $# -gt 0 ]; then
		works="$*"
	else
		works=$("$bdir-$first_impl/mtbench" --list)
	fi
else
	works=
fi
r=1
while [ -n "$works" ] && [ "$r" -le "$reps" ]; do
	for w in $works; do
		# shellcheck disable=SC2046
		for impl in $(rotate "$r" $impls); do
			$pin "$bdir-$impl/mtbench" --sizes "$sizes" --ops "$ops" \
				"$w" | sed "s/\$/,$r/" >>"$out/$impl.csv"
			[ "$w" = empty_area ] || continue
			$pin "$bdir-$impl/mtbench" --sizes "$big_sizes" \
				--ops "$ops" empty_area |
				sed "s/\$/,$r/" >>"$out/$impl.csv"
		done
	done
	r=$((r + 1))
done

# dup_mmap() of a process with as many VMAs as the sizes, old (one store
# per VMA into an empty tree) and new (__mt_dup(), then each entry
# replaced), in ns per VMA: the fork model's median of $reps windows.
if [ "$fork" = 1 ]; then
	# Rounds interleaved between the trees, as for mtbench: the median of
	# each (strategy, count) over the rounds.
	r=1
	while [ "$r" -le "$reps" ]; do
		# shellcheck disable=SC2046
		for impl in $(rotate "$r" $impls); do
			# shellcheck disable=SC2086
			$pin "$bdir-$impl/forkbench" --csv --no-header \
				--counts "$fork_counts" --reps 1 \
				--seconds "${FORK_SECONDS:-0.2}" 2>/dev/null |
				awk -F, -v r="$r" '{ printf "dup_mmap_%s,%s,%.2f,%d\n", $2, $3, $6 * 1000 / $3, r }' \
				>>"$out/$impl.forkraw"
		done
		r=$((r + 1))
	done
fi

# Median of each workload,entries over the repetitions.
median() {
	sort -t, -k1,1 -k2,2n -k3,3g "$1" | awk -F, '
		{ key = $1 "," $2; v[key, ++n[key]] = $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
		END { for (i = 1; i <= k; i++) { key = order[i]; c = n[key];
			m = (c % 2) ? v[key, (c + 1) / 2] : (v[key, c / 2] + v[key, c / 2 + 1]) / 2;
			print key "," m } }'
}
for impl in $impls; do
	touch "$out/$impl.csv"
	median "$out/$impl.csv" >"$out/$impl.med"
	[ ! -f "$out/$impl.forkraw" ] || median "$out/$impl.forkraw" >>"$out/$impl.med"
done
[ -f "$out/ours.med" ] || : >"$out/ours.med"

# Paired ratios: ours over each kernel within a round, for every
# workload, entries and round both ran; their median is the ratio shown.
# (A ratio of medians would pair a quiet round of one tree with a busy
# round of the other.)  All of them go to ratios.csv.
cat "$out"/ours.csv "$out"/ours.forkraw 2>/dev/null >"$out/ours.all" || :
: >"$out/ratios.csv"
[ -s "$out/ours.all" ] || kernels_paired=
for version in ${kernels_paired-$kernels}; do
	cat "$out/k$version.csv" "$out/k$version.forkraw" 2>/dev/null |
		awk -F, -v col="$version" '
			NR == FNR { o[$1 "," $2 "," $4] = $3; next }
			($1 "," $2 "," $4) in o && $3 > 0 {
				printf "%s,%s,%s,%s,%.4f\n", $1, $2, col, $4,
					o[$1 "," $2 "," $4] / $3 }' "$out/ours.all" - \
		>>"$out/ratios.csv"
done
sort -t, -k1,1 -k2,2n -k3,3 -k5,5g "$out/ratios.csv" | awk -F, '
	{ key = $1 "," $2 "," $3; v[key, ++n[key]] = $5
	  if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
	END { for (i = 1; i <= k; i++) { key = order[i]; c = n[key]
		m = (c % 2) ? v[key, (c + 1) / 2] : (v[key, c / 2] + v[key, c / 2 + 1]) / 2
		# the quartiles: the values a quarter of the way in from each end
		q1 = v[key, int((c + 3) / 4)]; q3 = v[key, c + 1 - int((c + 3) / 4)]
		printf "%s,%.4f,%.4f,%.4f,%.4f,%.4f\n", key, m, v[key, 1], v[key, c], q1, q3 } }' \
	>"$out/ratios.med"

# One column per kernel, ours, then ours against each kernel.
echo "median of $reps rounds, ns per operation (bytes per entry for bytes_*, ns per VMA for dup_mmap_*)${pin:+, pinned with $pin};"
echo "ours/kernel: the median of the $reps ratios paired within a round (all in $out/ratios.csv);"
echo "faster: quartiles: the faster kernel of the row, and the middle half of those ratios against it"
# What the slabs' memory is (linux.c, "Slab memory"): THP as the system
# has it, unless SLAB_THP=0 asked for 4 KiB pages.
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || :)
case "${SLAB_THP:-1},$thp" in
0,*)		echo "slabs: 4 KiB pages (SLAB_THP=0)" ;;
*,always | *,madvise) echo "slabs: 2 MiB arenas, huge pages asked with madvise() (THP: $thp)" ;;
*)		echo "slabs: 2 MiB arenas on 4 KiB pages (THP: ${thp:-not available})" ;;
esac
for version in $kernels; do
	awk -F, -v col="$version" '{ print $1 "," $2 "," col "," $3 }' "$out/k$version.med"
done >"$out/all.med"
awk -F, '{ print $1 "," $2 ",ours," $3 }' "$out/ours.med" >>"$out/all.med"
awk -F, -v kernels="$kernels" '
	NR == FNR { r[$1 "," $2, $3] = $4; q1[$1 "," $2, $3] = $7
		    q3[$1 "," $2, $3] = $8; next }
	{ key = $1 "," $2; v[key, $3] = $4
	  if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
	END {
		nk = split(kernels, k, " ")
		printf "%-16s %8s", "workload", "entries"
		for (i = 1; i <= nk; i++) printf " %11s", k[i]
		printf " %11s", "ours"
		for (i = 1; i <= nk; i++) printf " %9s", "ours/" k[i]
		printf "  %s\n", "faster: quartiles"
		for (j = 1; j <= n; j++) {
			key = order[j]; split(key, w, ",")
			printf "%-16s %8s", w[1], w[2]
			for (i = 1; i <= nk; i++)
				if ((key, k[i]) in v) printf " %11.2f", v[key, k[i]]
				else printf " %11s", "-"
			if ((key, "ours") in v) printf " %11.2f", v[key, "ours"]
			else printf " %11s", "-"
			best = ""
			for (i = 1; i <= nk; i++) {
				if ((key, k[i]) in r) printf " %9.2f", r[key, k[i]]
				else printf " %9s", "-"
				if (((key, k[i]) in r) && (best == "" ||
				    v[key, k[i]] < v[key, best]))
					best = k[i]
			}
			# the spread of the paired ratios against the faster
			# kernel: half the rounds lie between these two
			if (best != "")
				printf "  %s: %.2f-%.2f", best, q1[key, best],
					q3[key, best]
			printf "\n"
		}
	}' "$out/ratios.med" "$out/all.med" | tee "$out/table.txt"
