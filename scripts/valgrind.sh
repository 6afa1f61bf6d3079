#!/bin/sh
# valgrind.sh [--quick] PROGRAM [ARGS...]: run under memcheck; fail on any
# error or on any byte definitely lost.  The program's own last line
# ("N passed, M failed") stays the last line on success.
#
# The whole ./maple takes about 4 minutes under valgrind, most of it in
# two long checks whose many operations valgrind runs one thread at a
# time.  --quick (make valgrind QUICK=1) runs ./maple's test module and
# every check but those two, about a minute; it needs ./maple (--list).
set -u
slow='check_rcu_stress check_fast_writes'
if [ "${1:-}" = --quick ]; then
	shift
	[ $# -ge 1 ] || { echo "usage: valgrind.sh [--quick] PROGRAM [ARGS...]" >&2; exit 2; }
	prog=$1
	shift
	[ $# -eq 0 ] || { echo "valgrind.sh: --quick picks the checks itself" >&2; exit 2; }
	checks=$("$prog" --list) || { echo "valgrind.sh: $prog --list failed" >&2; exit 2; }
	for c in $slow; do
		checks=$(echo "$checks" | grep -vx "$c")
	done
	echo "valgrind: quick: the module and every check but $slow"
	# shellcheck disable=SC2086
	set -- "$prog" $checks
fi
[ $# -ge 1 ] || { echo "usage: valgrind.sh [--quick] PROGRAM [ARGS...]" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --log-file="$log" "$@"
status=$?
grep -E 'ERROR SUMMARY|definitely lost|in use at exit' "$log" >&2
if [ "$status" != 0 ]; then
	cat "$log" >&2
	echo "valgrind: exit status $status"
fi
exit "$status"
