#!/bin/sh
# mutants.sh: break one kmem_cache semantic at a time (HARNESS_MUTANT_*, see
# linux.c) and require the allocator self-test to notice each, then require
# the unbroken build to pass it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
status=0
for mutant in BULK_PARTIAL BULK_BUDGET NO_STALE SHEAF_NO_TOPUP SHEAF_FALLBACK \
	      NOFAIL_FAILS; do
	dir=build/mutant-$mutant
	if ! make -s maple O="$dir" HARNESS_MUTANT="$mutant" >/dev/null; then
		echo "mutant $mutant: build failed"
		status=1
		continue
	fi
	if "$dir/maple" check_alloc_selftest >"$dir/selftest.log" 2>&1; then
		echo "mutant $mutant: NOT caught by check_alloc_selftest"
		status=1
	else
		echo "mutant $mutant: caught ($(tail -1 "$dir/selftest.log"))"
	fi
done
make -s maple O=build/default >/dev/null && build/default/maple check_alloc_selftest | tail -1 || status=1
exit $status
