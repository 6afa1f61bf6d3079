#!/bin/sh
# mutants.sh: break one kmem_cache semantic at a time (HARNESS_MUTANT_*, see
# linux.c) and require the allocator self-test to notice each, then require
# the unbroken build to pass it.  Each of these is one test; the last line
# is "N passed, M failed" and the exit status is non-zero on any failure.
#
#   MUTANTS="..." scripts/mutants.sh   other mutants than the three below
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "$1"; }
fail() { failed=$((failed + 1)); echo "$1"; }

for mutant in ${MUTANTS:-BULK_PARTIAL BULK_BUDGET NO_STALE SHEAF_NO_TOPUP SHEAF_FALLBACK
		     NOFAIL_FAILS}; do
	dir=build/mutant-$mutant
	if ! make -s maple O="$dir" HARNESS_MUTANT="$mutant" >/dev/null; then
		fail "mutant $mutant: build failed"
	elif "$dir/maple" check_alloc_selftest >"$dir/selftest.log" 2>&1; then
		fail "mutant $mutant: NOT caught by check_alloc_selftest"
	else
		pass "mutant $mutant: caught ($(tail -1 "$dir/selftest.log"))"
	fi
done

# The unbroken build: the driver's own exit status decides, not a pipe's.
dir=build/default
if ! make -s maple O="$dir" >/dev/null; then
	fail "unbroken build: build failed"
elif "$dir/maple" check_alloc_selftest >"$dir/selftest.log" 2>&1; then
	pass "unbroken build: passes ($(tail -1 "$dir/selftest.log"))"
else
	tail -n 20 "$dir/selftest.log"
	fail "unbroken build: FAILS check_alloc_selftest (log: $dir/selftest.log)"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
