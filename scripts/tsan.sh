#!/bin/sh
# tsan.sh: check_rcu_stress under ThreadSanitizer (make tsan), over a few
# seeds.  The build (SAN=thread) tells TSan what it cannot see by itself:
# publication is release/acquire, READ_ONCE() heads a dependency, and a
# grace period orders the readers before the free (linux/rcupdate.h).
# What is left is suppressed by scripts/tsan/suppressions.txt, each entry
# with its reason; any other report fails the run.
#
# Usage: scripts/tsan.sh [first-seed [seeds]]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
first=${1:-1}
seeds=${2:-4}
out=build/tsan
make -s -j"${JOBS:-2}" maple O=$out SAN=thread || exit 1
export TSAN_OPTIONS="history_size=7 halt_on_error=0 report_signal_unsafe=0 exitcode=66 suppressions=$top/scripts/tsan/suppressions.txt"
passed=0
failed=0
s=$first
while [ "$s" -lt $((first + seeds)) ]; do
	log=$out/tsan-seed-$s.log
	if "$out/maple" -v --seed "$s" check_rcu_stress >"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "seed $s: $(grep -c 'WARNING: ThreadSanitizer' "$log") reports (log: $log)"
		grep -A6 'WARNING: ThreadSanitizer' "$log" | head -n 14 | sed 's/^/    /'
	fi
	s=$((s + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
