#!/bin/sh
# coverage.sh: `make coverage`.  Builds the harness with gcov
# instrumentation (O=build/coverage), runs ./maple and a short difftest
# (and, for our tree, the kernel's own test module against it), and reports
# line and branch coverage of the subject's lib/maple_tree.c (ours by
# default; KDIR= picks another tree).  Each run must pass (but for a kernel
# tree's known disagreements with the difftest's model): a failure ends the
# script with its log's tail and a non-zero status, and no report.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/coverage
kdir=${KDIR:-linux}
set -- O="$out" KDIR="$kdir" OPT=-O0 EXTRA_CFLAGS='--coverage -fprofile-update=atomic' EXTRA_LDFLAGS=--coverage
find "$out" -name '*.gcda' -delete 2>/dev/null || true
make -s maple difftest "$@"
"$out/maple" >"$out/maple.log" 2>&1 || { tail -5 "$out/maple.log"; echo "coverage: ./maple failed"; exit 1; }
# Our tree must agree with the model; a kernel tree's disagreements are its
# known misbehaviours (make difftest-run lists them), so they are said, not
# judged.
if ! "$out/mtdifftest" --seeds 100 --ops 3000 >"$out/difftest.log" 2>&1; then
	tail -5 "$out/difftest.log"
	if [ "$kdir" = linux ]; then
		echo "coverage: the difftest failed on our tree"
		exit 1
	fi
	echo "coverage: $kdir disagrees with the model (its own misbehaviours)"
fi
objdirs="$out/generated/obj"
# Our tree is also run by the kernel's own test module.
if [ "$kdir" = linux ]; then
	kout=$out-ktests
	kcache=$(scripts/kernel-tree.sh)
	find "$kout" -name '*.gcda' -delete 2>/dev/null || true
	make -s maple O="$kout" KDIR=linux KTESTS="$kcache" OPT=-O0 \
		EXTRA_CFLAGS='--coverage -fprofile-update=atomic' EXTRA_LDFLAGS=--coverage
	"$kout/maple" module >"$kout/maple.log" 2>&1 ||
		{ tail -5 "$kout/maple.log"; echo "coverage: the kernel's test module failed on our tree"; exit 1; }
	objdirs="$objdirs $kout/generated/obj"
fi
subject=$(cd "$kdir" && pwd)/lib/maple_tree.c
# shellcheck disable=SC2086
gcovr --root / $objdirs \
	--filter "$subject" --print-summary --branches \
	--html-details "$out/coverage.html" --txt "$out/coverage.txt" >"$out/summary.txt"
cat "$out/summary.txt"
echo "subject: $subject; report: $out/coverage.html, per line: $out/coverage.txt"
