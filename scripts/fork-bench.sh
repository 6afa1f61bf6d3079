#!/bin/sh
# fork-bench.sh: the seed's fork benchmark on the userspace fork model
# (make bench-fork).
#
# Builds fork/forkbench optimised (OPT=-O2) for Linux 6.12's maple tree
# (build/fork-kernel) and, when it builds and passes check_forking, for our
# own tree in linux/ (build/fork-ours); runs both in this one invocation,
# pinned to one CPU, interleaved count by count; prints the seed's table
# (VMA counts, a row per implementation and strategy, the gains) and writes
# the CSV and a plot:
#
#   build/fork-bench.csv   every point (see forkbench --help for the columns)
#   build/fork-bench.png   rate against VMA count, and the gain, log scales
#
# Settings, from the environment:
#   FORK_BENCH_SECONDS  one measurement window       (default 0.5)
#   FORK_BENCH_REPS     windows per point, median    (default 7)
#   FORK_BENCH_COUNTS   VMA counts, comma separated  (default: the seed's)
#   FORK_BENCH_CPU      the CPU to pin to            (default 0)
#   FORK_BENCH_OUT      where the CSV and PNG go     (default build)
#   FORK_BENCH_OURS     the tree measured as ours    (default linux)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${FORK_BENCH_SECONDS:-0.5}
reps=${FORK_BENCH_REPS:-7}
counts=${FORK_BENCH_COUNTS:-21,121,221,421,821,1621,3221,6421,12821,25621,51221}
cpu=${FORK_BENCH_CPU:-0}
out=${FORK_BENCH_OUT:-build}
ours_tree=${FORK_BENCH_OURS:-linux}
jobs=${JOBS:-2}
csv="$out/fork-bench.csv"
png="$out/fork-bench.png"
series="$out/fork-bench"		# per-series data for gnuplot
mkdir -p "$out" "$series" build/logs

# --------------------------------------------------------------- builds
# build NAME KDIR: forkbench and maple for one subject; its ./maple must
# pass check_forking (the seed's check).  Prints why not, or a warning if
# our fork model's check fails.
build() {
	name=$1
	kdir=$2
	log="build/logs/fork-$name.log"
	if ! make -s -j"$jobs" forkbench maple O="build/fork-$name" \
		KDIR="$kdir" OPT=-O2 >"$log" 2>&1; then
		echo "does not build, log: $log"
		return 1
	fi
	if ! "build/fork-$name/maple" check_forking >>"$log" 2>&1; then
		echo "fails check_forking, log: $log"
		return 1
	fi
	if ! "build/fork-$name/maple" check_fork_model >>"$log" 2>&1; then
		echo "warning: fails check_fork_model, log: $log"
	fi
	return 0
}

kernel_tree=$(scripts/kernel-tree.sh)
impls=
why=
if why=$(build kernel "$kernel_tree"); then
	impls=kernel
	echo "kernel: Linux 6.12's lib/maple_tree.c ($kernel_tree)${why:+ ($why)}"
else
	echo "kernel: not available ($why)"
fi
why=
if [ -f "$ours_tree/lib/maple_tree.c" ] &&
   [ -f "$ours_tree/include/linux/maple_tree.h" ] &&
   why=$(build ours "$ours_tree"); then
	impls="$impls ours"
	echo "ours: $ours_tree/lib/maple_tree.c${why:+ ($why)}"
else
	echo "ours: not available${why:+ ($why)}"
fi
[ -n "$impls" ] || { echo "fork-bench: nothing to measure"; exit 1; }

# ---------------------------------------------------------------- runs
pin=
if command -v taskset >/dev/null 2>&1 && taskset -c "$cpu" true 2>/dev/null; then
	pin="taskset -c $cpu"
	pinned="pinned to CPU $cpu"
else
	pinned="not pinned (no taskset)"
fi

nr_counts=$(echo "$counts" | tr ',' '\n' | wc -l)
nr_impls=$(echo $impls | wc -w)
estimate=$(awk -v n="$nr_counts" -v i="$nr_impls" -v r="$reps" -v s="$seconds" \
	'BEGIN { printf "%d", n * i * (2 * r + 0.2) * s }')
echo "measuring $nr_counts VMA counts x $nr_impls implementations x 2 strategies," \
	"$reps x ${seconds}s each, $pinned: about ${estimate}s"

echo "impl,strategy,vmas,dup_per_10s,cycle_per_10s,dup_us,nodes,iterations,reps,seconds" >"$csv"
for count in $(echo "$counts" | tr ',' ' '); do
	for impl in $impls; do
		[ -t 2 ] && printf '\r  %s VMAs, %s       ' "$count" "$impl" >&2
		$pin "build/fork-$impl/forkbench" --csv --no-header \
			--label "$impl" --counts "$count" --seconds "$seconds" \
			--reps "$reps" 2>/dev/null >>"$csv"
	done
done
[ -t 2 ] && printf '\r%40s\r' '' >&2

# --------------------------------------------------------------- table
# table COLUMN TITLE: the seed's layout, one block per implementation.
table() {
	awk -F, -v col="$1" -v title="$2" -v impls="$impls" '
	NR == 1 { next }
	{
		if (!($3 in seen)) { seen[$3] = 1; vmas[++n] = $3 }
		rate[$1, $2, $3] = $col
	}
	END {
		print title
		printf "%-12s", "VMAs"
		for (c = 1; c <= n; c++) printf " %8s", vmas[c]
		printf "\n"
		m = split(impls, impl, " ")
		for (i = 1; i <= m; i++) {
			for (s = 0; s < 2; s++) {
				st = s ? "new" : "old"
				printf "%-12s", impl[i] " " st
				for (c = 1; c <= n; c++)
					printf " %8s", rate[impl[i], st, vmas[c]]
				printf "\n"
			}
			printf "%-12s", impl[i] " gain"
			for (c = 1; c <= n; c++) {
				o = rate[impl[i], "old", vmas[c]]
				printf " %7.2f%%", (o > 0 ? (rate[impl[i], "new", vmas[c]] / o - 1) * 100 : 0)
			}
			printf "\n"
		}
		# Time per call, ours over the kernel tree (its rate over ours),
		# as make bench prints ratios: below 1.00, ours is faster.
		for (s = 0; m > 1 && s < 2; s++) {
			st = s ? "new" : "old"
			printf "%-12s", "ours/k " st
			for (c = 1; c <= n; c++) {
				o = rate["ours", st, vmas[c]]
				printf " %8.2f", (o > 0 ? rate["kernel", st, vmas[c]] / o : 0)
			}
			printf "  (time per call)\n"
		}
	}' "$csv"
}

echo
table 4 "dup_mmap() per ten seconds (median of $reps x ${seconds}s, $pinned)"
echo
table 5 "dup_mmap() + exit_mmap() per ten seconds"
echo
echo "seed (fork() per ten seconds on a kernel, for comparison):"
seed_counts="21 121 221 421 821 1621 3221 6421 12821 25621 51221"
seed_old="112100 76261 54227 34035 20195 11112 6017 3161 1606 802 393"
seed_new="114558 83067 65008 45824 28751 16072 8922 4747 2436 1233 599"
printf '%-12s' VMAs; printf ' %8s' $seed_counts; echo
printf '%-12s' "seed old"; printf ' %8s' $seed_old; echo
printf '%-12s' "seed new"; printf ' %8s' $seed_new; echo
echo "$seed_counts" | tr ' ' '\n' >"$series/seed.vmas"
echo "$seed_old" | tr ' ' '\n' >"$series/seed.old"
echo "$seed_new" | tr ' ' '\n' >"$series/seed.new"
paste "$series/seed.vmas" "$series/seed.old" "$series/seed.new" |
	awk '{ printf "%s %.2f\n", $1, ($3 / $2 - 1) * 100 }' \
	>"$series/seed-gain.dat"
printf '%-12s' "seed gain"; awk '{ printf " %7.2f%%", $2 }' "$series/seed-gain.dat"; echo

# ---------------------------------------------------------------- plot
for impl in $impls; do
	for st in old new; do
		awk -F, -v i="$impl" -v s="$st" '$1 == i && $2 == s { print $3, $4, $5 }' \
			"$csv" >"$series/$impl-$st.dat"
	done
	awk -F, -v i="$impl" '
	$1 == i { d[$2, $3] = $4; c[$2, $3] = $5; if (!($3 in seen)) { seen[$3] = 1; v[++n] = $3 } }
	END { for (k = 1; k <= n; k++) if (d["old", v[k]] > 0)
		printf "%s %.2f %.2f\n", v[k], (d["new", v[k]] / d["old", v[k]] - 1) * 100,
			(c["new", v[k]] / c["old", v[k]] - 1) * 100 }' \
		"$csv" >"$series/$impl-gain.dat"
done

echo
echo "csv: $csv"
if command -v gnuplot >/dev/null 2>&1; then
	gnuplot -e "dir='$series'; impls='$impls'; out='$png'; subtitle='median of $reps x ${seconds}s windows, $pinned'" \
		scripts/fork-plot.gp
	echo "png: $png"
else
	echo "png: not made (gnuplot missing: apt-get install gnuplot-nox)"
fi
