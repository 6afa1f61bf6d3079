#!/bin/sh
# stress.sh: the RCU stress campaign (make stress).  check_rcu_stress over
# many seeds in the stress build (STRESS=1: seeded yield points in every
# marked access and barrier, harness/stress.c), in three builds:
#
#   default    -Og, poisoned frees, RCU lock rules checked
#   san        ASan + UBSan (SAN=1)
#   coverage   -O0 --coverage, the slow code that first showed the crash
#
# Usage: scripts/stress.sh [first-seed [seeds]]
#   BUILDS="default san coverage"  which builds (default: all three)
#   SECONDS_PER_BUILD=N             start no new seed after N seconds (120)
#   SEED_SECONDS=N                  a seed still running after N s fails (300)
#   KDIR=<tree>                     another subject (its violations are
#                                   reported, a crash still fails)
# A failure names its replay command: the same seed in the same build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
first=${1:-1}
seeds=${2:-40}
budget=${SECONDS_PER_BUILD:-120}
seed_limit=${SEED_SECONDS:-300}	# one seed that runs longer has hung
builds=${BUILDS:-default san coverage}
jobs=${JOBS:-2}
kdir=${KDIR:-linux}
tag=$(basename "$kdir")
total_failed=0
total_run=0

for b in $builds; do
	case $b in
	default)  set -- ;;
	san)      set -- SAN=1 ;;
	coverage) set -- OPT=-O0 EXTRA_CFLAGS='--coverage -fprofile-update=atomic' \
			 EXTRA_LDFLAGS=--coverage ;;
	*) echo "stress: unknown build '$b'" >&2; exit 2 ;;
	esac
	out=build/stress-$tag-$b
	if ! make -s -j"$jobs" maple O="$out" KDIR="$kdir" STRESS=1 "$@"; then
		echo "stress: the $b build failed"
		exit 1
	fi
	rm -f "$out"/stress-seed-*.log	# a kept log is this run's failure
	start=$(date +%s)
	run=0
	failed=0
	failed_seeds=
	s=$first
	while [ "$s" -lt $((first + seeds)) ]; do
		if [ $(($(date +%s) - start)) -ge "$budget" ]; then
			break
		fi
		log=$out/stress-seed-$s.log
		if timeout "$seed_limit" "$out/maple" -v --seed "$s" \
				check_rcu_stress >"$log" 2>&1; then
			rm -f "$log"
		else
			rc=$?
			failed=$((failed + 1))
			failed_seeds="$failed_seeds $s"
			if [ "$rc" = 124 ]; then
				echo "  $b seed $s FAILED: no end after ${seed_limit}s (a reader or the writer stuck?) (log: $log)"
			else
				echo "  $b seed $s FAILED, status $rc (log: $log)"
			fi
			grep -E '^FAIL|^  [0-9]+ inconsistent|Segmentation|ERROR|SUMMARY' \
				"$log" | head -n 5 | sed 's/^/    /'
			echo "    replay: make maple O=$out KDIR=$kdir STRESS=1 $* &&" \
			     "$out/maple --seed $s check_rcu_stress"
		fi
		run=$((run + 1))
		s=$((s + 1))
	done
	printf '%-9s seeds %d..%d: %d run, %d failed%s (%ss)\n' "$b" "$first" \
		$((first + run - 1)) "$run" "$failed" \
		"${failed_seeds:+ (seeds$failed_seeds)}" $(($(date +%s) - start))
	total_run=$((total_run + run))
	total_failed=$((total_failed + failed))
done
echo "$((total_run - total_failed)) passed, $total_failed failed"
[ "$total_failed" = 0 ]
