#!/bin/sh
# fuzz.sh: `make fuzz FUZZ_SECONDS=N`.  Builds the difftest engine as a
# libFuzzer target (clang, ASan + UBSan, coverage-guided) against the
# subject (our tree, or KDIR=), runs it for N seconds on a copy of fuzz/corpus, and
# reports the operations run.  Any disagreement with the reference model,
# failed validation, leak or sanitizer report is a finding: libFuzzer stops
# and saves the input as build/fuzz/crash-*.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz${KDIR:+-$(basename "$KDIR")}
kdir=${KDIR:-}
set -- O="$out" CC=clang SAN=1 EXTRA_CFLAGS=-fsanitize=fuzzer-no-link \
	${kdir:+KDIR="$kdir"}
make -s lib "$@"
cflags=$(make -s cflags "$@")
libs=$(make -s libs "$@")
# shellcheck disable=SC2086
clang $cflags -fsanitize=fuzzer-no-link $(grep -q HARNESS_SUBJECT_KERNEL "$out/generated/flags" && echo -DHARNESS_SUBJECT_KERNEL) \
	-DDIFFTEST_FUZZ -fsanitize=fuzzer difftest/difftest.c support/model.c \
	-o "$out/fuzz-maple" $libs
rm -rf "$out/corpus"
cp -r fuzz/corpus "$out/corpus"
echo "fuzzing ${kdir:-our tree} for $seconds seconds"
start=$(date +%s)
status=0
"$out/fuzz-maple" -max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$out/" "$out/corpus" >"$out/fuzz.log" 2>&1 || status=$?
grep -E '^fuzz:|stat::number_of_executed_units|stat::new_units_added|DONE' "$out/fuzz.log" || true
ops=$(sed -n 's/^fuzz: \([0-9]*\) operations.*/\1/p' "$out/fuzz.log" | tail -1)
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -gt 0 ] || elapsed=1
if [ "$status" = 0 ]; then
	if grep -q '(subject.s)' "$out/fuzz.log"; then
		echo "fuzz: the kernel tree's disagreements above are its own" \
		     "misbehaviours (checks/kernel_bugs.c); a tree of ours would stop at the first"
	fi
	echo "fuzz: ${ops:-0} operations in ${elapsed}s ($(( ${ops:-0} / elapsed )) per second), no finding"
	echo "1 passed, 0 failed"
else
	tail -n 40 "$out/fuzz.log"
	echo "fuzz: FINDING (exit $status); input saved under $out/"
	echo "0 passed, 1 failed"
	exit 1
fi
