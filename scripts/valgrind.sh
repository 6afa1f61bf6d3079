#!/bin/sh
# valgrind.sh PROGRAM [ARGS...]: run under memcheck; fail on any error or
# on any byte definitely lost.  The program's own last line
# ("N passed, M failed") stays the last line on success.
set -u
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
