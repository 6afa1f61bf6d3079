#!/bin/sh
# check.sh: every leg CI runs (make check).  Each leg builds into its own
# folder under build/ so that none clobbers another, runs, and counts as one
# test; the last line is "N passed, M failed".
#
#   default     ./maple: the subject's test module and our checks, -Og
#   mutants     the allocator self-test fails when a semantic is broken
#   san         the same under ASan + UBSan
#   opt         the same optimised (OPT=-O2), as benchmarks build it
#   32bit       the same with -m32 (BUILD=32): the 32-slot node layout
#   kernel      the kernel's 6.12 tree as the subject (KDIR=)
#   valgrind    the whole default run under valgrind: 0 errors, 0 definitely
#               lost (about 4 minutes; QUICK=1 runs only our checks there)
#   outoftree   an outside program built with make -s cflags/libs
#   difftest    seeded operation sequences against the reference model:
#               ours must agree everywhere, the kernel's misbehaviours are listed
#   api         docs/api.md is current; our header has all of 6.12's API
#   install     make install into an empty prefix; examples/ via pkg-config
#   picture     mtdot's Graphviz output renders (make tree-picture)
#   gdb         scripts/gdb/maple.py in gdb batch mode: printers and mt-dump
#   fuzz        the same engine under libFuzzer (clang, ASan+UBSan), bounded
#               (FUZZ_SECONDS, default 60)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=${JOBS:-2}
passed=0
failed=0
failed_legs=

kernel_tree=$(scripts/kernel-tree.sh) || { echo "cannot fetch the kernel tree"; exit 1; }

leg() {
	name=$1
	shift
	log="build/logs/$name.log"
	mkdir -p build/logs
	start=$(date +%s)
	printf '%-10s ' "$name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok      %4ss  %s\n' "$(($(date +%s) - start))" \
			"$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
	else
		failed=$((failed + 1))
		failed_legs="$failed_legs $name"
		printf 'FAILED  %4ss  (log: %s)\n' "$(($(date +%s) - start))" "$log"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

# Build, then run the driver; the run must end in "N passed, 0 failed".
run_maple() {
	dir=$1
	shift
	make -s -j"$jobs" maple O="$dir" "$@" && "$dir/maple"
}

run_valgrind() {
	make -s -j"$jobs" maple O=build/default || return 1
	if [ -z "${QUICK:-}" ]; then
		scripts/valgrind.sh build/default/maple
	else
		# shellcheck disable=SC2046
		scripts/valgrind.sh build/default/maple \
			$(build/default/maple --list | grep -vx module)
	fi
}

leg default run_maple build/default
leg mutants scripts/mutants.sh
leg san run_maple build/san SAN=1
leg opt run_maple build/opt OPT=-O2
leg 32bit run_maple build/32 BUILD=32
leg kernel run_maple build/kernel KDIR="$kernel_tree"
leg valgrind run_valgrind
leg outoftree tests/outoftree/run.sh O=build/default
leg difftest env SEEDS=200 OPS=5000 scripts/difftest.sh
leg api scripts/api-doc.py --check
leg install scripts/install-test.sh
leg picture make -s tree-picture O=build/default MTDOT_ARGS="--alloc --vmas 300 --erase 7"
leg gdb scripts/gdb/test.sh build/default/maple
leg fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" scripts/fuzz.sh

[ -z "$failed_legs" ] || echo "failed legs:$failed_legs"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
