#!/bin/sh
# fork/bench.sh: the seed's fork benchmark on the userspace fork model
# (make bench-fork).
#
# Builds fork/forkbench optimised (OPT=-O2) for each subject that builds
# and passes its checks: Linux 6.1's maple tree (build/fork-kernel61; Debian
# 12's kernel, before __mt_dup(), so the old strategy only), Linux 6.12's
# (build/fork-kernel), Linux 7.3's (build/fork-kernel73) and our own tree in
# linux/ (build/fork-ours).  Runs
# them in this one invocation, pinned to one CPU, interleaved count by
# count; prints the seed's table per subject (VMA counts, a row per
# strategy, the gains), then the seed's before and after on the trees the
# kernel really had: 6.1 old, 6.12 new, 7.3 new, ours new side by side;
# writes the
# CSV and a plot:
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
#   FORK_BENCH_SUBJECTS which subjects, in order     (default: kernel61
#                       kernel kernel73 ours; kernel61 and kernel73 are
#                       fetched like make kernel KERNEL_VERSION=6.1 / 7.3)
#   QUICK=1             a quick look (about a minute): counts 21,221,1621,
#                       12821, 3 x 0.2 s windows; the settings above win
#   JOBS                make -j of the builds (default 2)
#
# Under the throughput tables, the spread of each point's windows,
# (max - min) / median of its dup rates: a point over 10% is flagged, as
# is a load average above the CPU count before or after the runs, since
# other work then competes with the measurement.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ -n "${QUICK:-}" ]; then
	seconds=${FORK_BENCH_SECONDS:-0.2}
	reps=${FORK_BENCH_REPS:-3}
	counts=${FORK_BENCH_COUNTS:-21,221,1621,12821}
else
	seconds=${FORK_BENCH_SECONDS:-0.5}
	reps=${FORK_BENCH_REPS:-7}
	counts=${FORK_BENCH_COUNTS:-21,121,221,421,821,1621,3221,6421,12821,25621,51221}
fi
cpu=${FORK_BENCH_CPU:-0}
out=${FORK_BENCH_OUT:-build}
ours_tree=${FORK_BENCH_OURS:-linux}
subjects=${FORK_BENCH_SUBJECTS:-kernel61 kernel kernel73 ours}
jobs=${JOBS:-2}
csv="$out/fork-bench.csv"
png="$out/fork-bench.png"
series="$out/fork-bench"		# per-series data for gnuplot
mkdir -p "$out" "$series" build/logs

# --------------------------------------------------------------- builds
# build NAME KDIR: forkbench and maple for one subject; its ./maple must
# pass check_forking (the seed's check), and where the subject has no
# __mt_dup() (which that check needs) check_fork_model, the old strategy
# checked.  Prints why not, or a warning if our fork model's check fails.
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
		if grep -q 'define HAVE___MT_DUP' \
			"build/fork-$name/generated/subject-api.h"; then
			echo "warning: fails check_fork_model, log: $log"
		else
			echo "fails check_fork_model, log: $log"
			return 1
		fi
	fi
	if ! grep -q 'define HAVE___MT_DUP' \
		"build/fork-$name/generated/subject-api.h"; then
		echo "no __mt_dup(): the old strategy only"
	fi
	return 0
}

impls=
for name in $subjects; do
	why=
	case $name in
	kernel61)
		title="Linux 6.1's lib/maple_tree.c"
		tree=$(scripts/kernel-tree.sh 6.1) || tree= ;;
	kernel)
		title="Linux 6.12's lib/maple_tree.c"
		tree=$(scripts/kernel-tree.sh 6.12) || tree= ;;
	kernel73)
		title="Linux 7.3's lib/maple_tree.c (sheaves, no bulk mode)"
		tree=$(scripts/kernel-tree.sh 7.3) || tree= ;;
	ours)
		title="$ours_tree/lib/maple_tree.c"
		tree=$ours_tree ;;
	*)
		echo "fork-bench: unknown subject '$name' (kernel61, kernel, kernel73, ours)"
		exit 2 ;;
	esac
	if [ -n "$tree" ] && [ -f "$tree/lib/maple_tree.c" ] &&
	   [ -f "$tree/include/linux/maple_tree.h" ] &&
	   why=$(build "$name" "$tree"); then
		impls="$impls $name"
		echo "$name: $title ($tree)${why:+ ($why)}"
	else
		echo "$name: not available${why:+ ($why)}"
	fi
done
impls=${impls# }
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
# windows per count: two per subject, one for a subject without __mt_dup()
nr_windows=0
for impl in $impls; do
	if grep -q 'define HAVE___MT_DUP' "build/fork-$impl/generated/subject-api.h"; then
		nr_windows=$((nr_windows + 2))
	else
		nr_windows=$((nr_windows + 1))
	fi
done
estimate=$(awk -v n="$nr_counts" -v w="$nr_windows" -v r="$reps" -v s="$seconds" \
	'BEGIN { printf "%d", n * w * (r + 0.1) * s }')
echo "measuring $nr_counts VMA counts x $nr_impls implementations ($nr_windows" \
	"strategies in all), $reps x ${seconds}s each, $pinned: about ${estimate}s"

# busy WHEN: warn when the 1-minute load average is above the CPU count.
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
busy() {
	load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null) || return 0
	if awk -v l="$load" -v c="$cpus" 'BEGIN { exit !(l > c) }'; then
		echo "warning: load average $load on $cpus CPUs $1: other work" \
			"competes with the measurement; read the spread rows"
	fi
}
busy "before the runs"

echo "impl,strategy,vmas,dup_per_10s,cycle_per_10s,dup_us,nodes,iterations,reps,seconds,dup_spread_pct" >"$csv"
for count in $(echo "$counts" | tr ',' ' '); do
	for impl in $impls; do
		[ -t 2 ] && printf '\r  %s VMAs, %s       ' "$count" "$impl" >&2
		$pin "build/fork-$impl/forkbench" --csv --no-header \
			--label "$impl" --counts "$count" --seconds "$seconds" \
			--reps "$reps" 2>/dev/null >>"$csv"
	done
done
[ -t 2 ] && printf '\r%40s\r' '' >&2
busy "after the runs"

# --------------------------------------------------------------- table
# table COLUMN TITLE: the seed's layout, one block per implementation (a
# strategy it lacks has no row, nor a gain).
table() {
	awk -F, -v col="$1" -v title="$2" -v impls="$impls" '
	NR == 1 { next }
	{
		if (!($3 in seen)) { seen[$3] = 1; vmas[++n] = $3 }
		rate[$1, $2, $3] = $col
		has[$1, $2] = 1
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
				if (!has[impl[i], st])
					continue
				printf "%-12s", impl[i] " " st
				for (c = 1; c <= n; c++)
					printf " %8s", rate[impl[i], st, vmas[c]]
				printf "\n"
			}
			if (!has[impl[i], "old"] || !has[impl[i], "new"])
				continue
			printf "%-12s", impl[i] " gain"
			for (c = 1; c <= n; c++) {
				o = rate[impl[i], "old", vmas[c]]
				printf " %7.2f%%", (o > 0 ? (rate[impl[i], "new", vmas[c]] / o - 1) * 100 : 0)
			}
			printf "\n"
		}
		# Time per call, ours over each kernel tree (its rate over
		# ours), as make bench prints ratios: below 1.00, ours is faster.
		split("kernel kernel73", ks, " ")
		split("6.12 7.3", kn, " ")
		for (k = 1; k <= 2; k++)
			for (s = 0; s < 2; s++) {
				st = s ? "new" : "old"
				if (!has["ours", st] || !has[ks[k], st])
					continue
				printf "%-12s", "ours/" kn[k] " " st
				for (c = 1; c <= n; c++) {
					o = rate["ours", st, vmas[c]]
					printf " %8.2f", (o > 0 ? rate[ks[k], st, vmas[c]] / o : 0)
				}
				printf "  (time per call)\n"
			}
	}' "$csv"
}

# before_after COLUMN TITLE: the seed's before and after on the trees the
# kernel really had, VMA counts down the side: Linux 6.1 old (Debian 12's
# fork), 6.12 new (the seed merged), ours new, and each new one's gain
# over 6.1 old.  Needs kernel61 and at least one of the others.
before_after() {
	awk -F, -v col="$1" -v title="$2" '
	NR == 1 { next }
	{
		if (!($3 in seen)) { seen[$3] = 1; vmas[++n] = $3 }
		rate[$1, $2, $3] = $col
		has[$1, $2] = 1
	}
	function gain(a, b) { return b > 0 ? sprintf("%.2f%%", (a / b - 1) * 100) : "" }
	END {
		if (!has["kernel61", "old"] || !(has["kernel", "new"] || has["ours", "new"]))
			exit
		print title
		printf "%-8s %12s %12s %9s %12s %9s %12s %9s\n", "VMAs", "6.1 old",
		       "6.12 new", "gain", "7.3 new", "gain", "ours new", "gain"
		for (c = 1; c <= n; c++) {
			v = vmas[c]
			o = rate["kernel61", "old", v]
			printf "%-8s %12s %12s %9s %12s %9s %12s %9s\n", v, o,
			       rate["kernel", "new", v], gain(rate["kernel", "new", v], o),
			       rate["kernel73", "new", v], gain(rate["kernel73", "new", v], o),
			       rate["ours", "new", v], gain(rate["ours", "new", v], o)
		}
	}' "$csv"
}

# spread: each point's (max - min) / median of its windows' dup rates,
# flagged with '!' over 10%.  Returns 1 if any point was flagged.
spread() {
	awk -F, -v impls="$impls" '
	NR == 1 { next }
	{
		if (!($3 in seen)) { seen[$3] = 1; vmas[++n] = $3 }
		sp[$1, $2, $3] = $11
		has[$1, $2] = 1
	}
	END {
		print "spread of the windows: (max - min) / median of the dup rates, ! over 10%"
		printf "%-12s", "VMAs"
		for (c = 1; c <= n; c++) printf " %8s", vmas[c]
		printf "\n"
		m = split(impls, impl, " ")
		for (i = 1; i <= m; i++)
			for (s = 0; s < 2; s++) {
				st = s ? "new" : "old"
				if (!has[impl[i], st])
					continue
				printf "%-12s", impl[i] " " st
				for (c = 1; c <= n; c++) {
					v = sp[impl[i], st, vmas[c]]
					flag = v + 0 > 10 ? "!" : " "
					if (flag == "!") wide++
					printf " %6.1f%%%s", v, flag
				}
				printf "\n"
			}
		exit wide > 0
	}' "$csv"
}

echo
table 4 "dup_mmap() per ten seconds (median of $reps x ${seconds}s, $pinned)"
echo
if ! spread; then
	echo "warning: points marked ! varied by more than 10% between windows;" \
		"their gains are noise-prone (more FORK_BENCH_REPS, a quieter machine)"
fi
echo
table 5 "dup_mmap() + exit_mmap() per ten seconds"
echo
if [ -n "$(before_after 4 x)" ]; then
	before_after 4 "before and after: dup_mmap() per ten seconds, Linux 6.1's tree (old) against 6.12's, 7.3's and ours (new)"
	echo
	before_after 5 "before and after: dup_mmap() + exit_mmap() per ten seconds"
	echo
fi
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
# Series per implementation and strategy; the plot draws the ones with data.
olds=
news=
gains=
for impl in $impls; do
	for st in old new; do
		awk -F, -v i="$impl" -v s="$st" '$1 == i && $2 == s { print $3, $4, $5 }' \
			"$csv" >"$series/$impl-$st.dat"
		[ -s "$series/$impl-$st.dat" ] || continue
		case $st in
		old)	olds="$olds $impl" ;;
		new)	news="$news $impl" ;;
		esac
	done
	awk -F, -v i="$impl" '
	$1 == i { d[$2, $3] = $4; c[$2, $3] = $5; if (!($3 in seen)) { seen[$3] = 1; v[++n] = $3 } }
	END { for (k = 1; k <= n; k++) if (d["old", v[k]] > 0 && d["new", v[k]] > 0)
		printf "%s %.2f %.2f\n", v[k], (d["new", v[k]] / d["old", v[k]] - 1) * 100,
			(c["new", v[k]] / c["old", v[k]] - 1) * 100 }' \
		"$csv" >"$series/$impl-gain.dat"
	if [ -s "$series/$impl-gain.dat" ]; then
		gains="$gains $impl"
	fi
done

echo
echo "csv: $csv"
if command -v gnuplot >/dev/null 2>&1; then
	gnuplot -e "dir='$series'; olds='${olds# }'; news='${news# }'; gains='${gains# }'; out='$png'; subtitle='median of $reps x ${seconds}s windows, $pinned'" \
		fork/bench-plot.gp
	echo "png: $png"
else
	echo "png: not made (gnuplot missing: apt-get install gnuplot-nox)"
fi
