#!/bin/sh
# run.sh: BENCH=<name> is checked when the build starts, not when the
# benchmark runs.
#
#   tests/bench-names/run.sh
#
# 1. An unknown BENCH= (and KBENCH=1 without a benchmark the subject's test
#    module has) stops make with a message naming the known benchmarks,
#    before any object is compiled.
# 2. Every name the Makefile lets through has its benchmark in
#    bench/onebench.c: that file compiles with each one.
# 3. A BENCH_* define that bypasses the Makefile's list does not compile.
# Ends "N passed, M failed"; exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# refused <what> <make arguments...>: make must stop, say "$what", build nothing.
refused() {
	what=$1
	shift
	dir=$out/refused$((passed + failed))
	if make maple O="$dir" "$@" >"$out/log" 2>&1; then
		fail "make maple $* succeeded"
		return
	fi
	if ! grep -q "$what" "$out/log"; then
		fail "make maple $*: no '$what' in:"; sed 's/^/  /' "$out/log"
		return
	fi
	if [ -n "$(find "$dir" -name '*.o' 2>/dev/null)" ]; then
		fail "make maple $*: objects were compiled before the refusal"
		return
	fi
	echo "make maple $*: refused: $(grep -o "$what.*" "$out/log" | head -1)"
	pass
}

refused 'BENCH=bogus: no such benchmark' BENCH=bogus
refused 'BENCH=FORK: no such benchmark' BENCH=FORK
refused 'no such benchmark' BENCH="fork load"
refused 'needs BENCH=' KBENCH=1
refused 'has no BENCH_FORK benchmark' BENCH=fork KBENCH=1

names=$(make -s -p -f Makefile cflags 2>/dev/null |
	sed -n 's/^BENCH_NAMES := //p')
[ -n "$names" ] || { fail "no BENCH_NAMES in the Makefile"; names=; }
for name in $names; do
	if make -s O="$out/ok" BENCH="$name" \
		"$out/ok/generated/obj/bench/onebench.o" >"$out/log" 2>&1; then
		pass
	else
		fail "BENCH=$name does not build bench/onebench.c:"
		sed 's/^/  /' "$out/log"
	fi
done
echo "every BENCH_NAMES entry builds bench/onebench.c: $names"

# Past the Makefile's list, onebench.c itself refuses the name.
# shellcheck disable=SC2046
if cc $(make -s cflags O="$out/ok") -DHARNESS_BENCH='"bogus"' -DBENCH_BOGUS \
	-c bench/onebench.c -o "$out/bogus.o" 2>"$out/log"; then
	fail "bench/onebench.c compiled with BENCH_BOGUS"
elif grep -q 'no such benchmark' "$out/log"; then
	echo "bench/onebench.c with BENCH_BOGUS: refused at compile time"
	pass
else
	fail "bench/onebench.c with BENCH_BOGUS: unexpected error:"
	sed 's/^/  /' "$out/log"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
