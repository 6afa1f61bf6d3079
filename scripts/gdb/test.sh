#!/bin/sh
# test.sh: drive gdb in batch mode with scripts/gdb/maple.py on ./maple:
# stop where check_forking finishes its walk over the copied tree, print
# the tree and the maple state, dump the tree; fail unless each piece of
# output appears.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
prog=${1:-./maple}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
gdb -q -batch -nx -x scripts/gdb/maple.py \
	-ex 'set pagination off' \
	-ex 'break mas_destroy if $_caller_is("check_forking")' \
	-ex 'run check_forking' \
	-ex 'up' \
	-ex 'print child' \
	-ex 'print walk' \
	-ex 'mt-dump -d &child' \
	"$prog" >"$out" 2>&1 || true
cat "$out"
status=0
grep -q 'maple_tree{height [1-9], flags 0x[0-9a-f]* \[alloc extern-lock\], root node' "$out" ||
	{ echo "FAIL: no pretty-printed struct maple_tree"; status=1; }
grep -q 'ma_state{\[' "$out" || { echo "FAIL: no pretty-printed ma_state"; status=1; }
grep -q 'value 134 ' "$out" || { echo "FAIL: mt-dump output missing (the last of the 135 ranges, value 134)"; status=1; }
[ $status = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
