#!/bin/sh
# kernel-matrix.sh: every real kernel of issue 24, built, booted, and one
# table (make kernel-matrix).
#
#   Linux 6.12  old     kernel/fork.c's dup_mmap() as before the seed's
#                       series (kernel/old-dup-mmap.py): one store per VMA
#               new     pristine: __mt_dup() and the kernel's tree
#               ours    pristine but for our two maple tree files
#   Linux 7.3   new     pristine
#               ours    our two files
#
# Each version is one run of scripts/kernel-boot.sh (its builds, test boots
# and fork boots, interleaved tree by tree), so its build/kernel*-*.txt
# tables stay as they are; kernel/boot-tables.py matrix then joins both
# runs into build/kernel-matrix.txt and .csv: per build the test verdicts
# (module count, torture, stress-ng, dmesg), per VMA count the fork rates
# of all five and the ratios that matter (new/old: the seed's gain; ours/new
# in each version).
#
#   MATRIX=full (default)  the seed's 11 VMA counts, 2 fork boots of each
#                          kernel x 3 rounds, stress-ng 3 s per stressor in
#                          the test boots and 2 s in the fork boots (the
#                          bogo-ops table)
#   MATRIX=ci              what CI runs: the seed's pair (6.12 old, new)
#                          and the 7.3 pair (new, ours); 4 counts, 1 boot x
#                          2 rounds; one test boot, ours in 7.3 (stress-ng
#                          1 s per stressor); no bogo-ops table
#   VERSIONS="6.12 7.3"    which versions (6.12 has three trees, 7.3 two)
#
# Other variables go through to kernel-boot.sh (TIMEOUT, ACCEL, ...).  The
# last line is "N passed, M failed", counting boots over both versions.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
matrix=${MATRIX:-full}
versions=${VERSIONS:-6.12 7.3}
seed_counts=21,121,221,421,821,1621,3221,6421,12821,25621,51221
case $matrix in
full)	counts=${FORK_VMAS:-$seed_counts} boots=${BOOTS:-2} rounds=${ROUNDS:-3}
	stress=${STRESS:-3} table=${STRESS_TABLE:-2}
	trees612="old kernel ours" tests612=all tests73=all ;;
ci)	counts=${FORK_VMAS:-21,421,6421,51221} boots=${BOOTS:-1} rounds=${ROUNDS:-2}
	stress=${STRESS:-1} table=${STRESS_TABLE:-0}
	trees612="old kernel" tests612=none tests73=ours ;;
*)	echo "kernel-matrix: MATRIX must be full or ci, not '$matrix'" >&2
	exit 2 ;;
esac

start=$(date +%s)
passed=0
failed=0
args=
for v in $versions; do
	case $v in
	6.12) trees=$trees612 tests=$tests612 sfx= ;;
	7.3) trees="kernel ours" tests=$tests73 sfx=-7.3 ;;
	*) echo "kernel-matrix: no matrix row for Linux $v (6.12, 7.3)" >&2
	   failed=$((failed + 1)); continue ;;
	esac
	echo "kernel-matrix: Linux $v: $trees" >&2
	log="$top/build/kernel-matrix-$v.log"
	mkdir -p "$top/build"
	t0=$(date +%s)
	KERNEL_VERSION=$v TREES="$trees" TEST_TREES="$tests" \
		FORK_VMAS=$counts BOOTS=$boots \
		ROUNDS=$rounds STRESS=$stress STRESS_TABLE=$table CONFIG=plain \
		"$top/scripts/kernel-boot.sh" >"$log.out" 2>"$log"
	rc=$?
	tail -n 40 "$log" | grep -E 'passed|failed|FAILED|kernel-boot:|^    ' >&2 || true
	verdict=$(tail -n 1 "$log.out")
	echo "kernel-matrix: Linux $v: exit $rc, boots: $verdict, $(($(date +%s) - t0))s" >&2
	case $verdict in
	*" passed, "*" failed")
		# shellcheck disable=SC2086
		set -- $verdict
		passed=$((passed + $1))
		failed=$((failed + $3)) ;;
	*)	failed=$((failed + 1)) ;;
	esac
	[ $rc = 0 ] || case $verdict in *" 0 failed") failed=$((failed + 1)) ;; esac
	args="$args $v:$top/build/kernel$sfx"
done

# shellcheck disable=SC2086
python3 "$top/kernel/boot-tables.py" matrix "$top/build/kernel-matrix" \
	"wall=$(($(date +%s) - start))" "matrix=$matrix" $args ||
	failed=$((failed + 1))
[ -f "$top/build/kernel-matrix.txt" ] && cat "$top/build/kernel-matrix.txt" >&2
echo "kernel-matrix: $(($(date +%s) - start))s in all" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
