#!/bin/sh
# check.sh: every leg CI runs (make check).  Each leg builds into its own
# folder under build/ so that none clobbers another, runs, and counts as one
# test: passed (its command exits 0), skipped (it exits 77, SKIP, having
# said why: it cannot run on this machine) or failed (any other status).
# The last line is "N passed, M failed, K skipped".
#
#   LEGS="api readme" scripts/check.sh    only the legs named
#
#   default     ./maple: the subject's test module and our checks, -Og
#   mutants     the allocator self-test fails when a semantic is broken
#   regress-mutants  each check of checks/regressions.c says "bug present"
#               on Linux 6.12 with its fix taken out (about 90 s)
#   san         the same under ASan + UBSan
#   opt         the same optimised (OPT=-O2), as benchmarks build it
#   32bit       the same with -m32 (BUILD=32): the 32-slot node layout; where
#               the machine cannot execute i386 binaries, built, then skipped
#   kernel      the kernel's 6.12 tree as the subject (KDIR=)
#   bench-names an unknown BENCH= stops make before anything compiles;
#               every known one builds (tests/bench-names/run.sh)
#   kernel73    Linux 7.3's tree (slab sheaves, no bulk mode, maple_copy) as
#               the subject: its test module and every check that applies
#   ktests73    our tree against Linux 7.3's test module, with 7.x's slab
#               conventions (kmem_cache_alloc_bulk() answers a bool)
#   kernel61    Linux 6.1's tree (Debian 12's kernel, before __mt_dup()) as
#               the subject: its test module and every check that applies
#   valgrind    the whole default run under valgrind: 0 errors, 0 definitely
#               lost (about 4 minutes; QUICK=1 runs only our checks there)
#   outoftree   an outside program built with make -s cflags/libs
#   difftest    seeded operation sequences against the reference model:
#               ours must agree everywhere, the kernel's misbehaviours are listed
#   api         docs/api.md is current; our header has all of 6.12's API
#               and the kernel's scripts/kernel-doc finds no warning in our tree
#   install     make install into an empty prefix; examples/ via pkg-config
#   picture     mtdot's Graphviz output renders (make tree-picture)
#   gdb         scripts/gdb/maple.py in gdb batch mode: printers and mt-dump
#   fuzz        the same engine under libFuzzer (clang, ASan+UBSan), bounded
#               (FUZZ_SECONDS, default 60)
#   stress      the RCU stress campaign: check_rcu_stress with seeded yield
#               points (STRESS=1) over many seeds in the default, SAN=1 and
#               -O0 --coverage builds (scripts/stress.sh), ~90 s a build
#   tsan        check_rcu_stress under ThreadSanitizer, a few seeds
#   coverage    make coverage: the gcov build passes, and the report is made
#   kern-matrix make kernel-matrix's CI subset (MATRIX=ci): the seed's pair
#               in booted 6.12 (old dup_mmap() against __mt_dup()) and the
#               7.3 pair (pristine, ours), fork boots at 4 VMA counts; our
#               tree's 7.3 test boot: the test module, vma-torture,
#               stress-ng, every CPU online, dmesg
#   kern-debug  6.12 with KASAN, lockdep, PROVE_RCU, SLUB debugging
#               (kernel/debug.fragment), the kernel's tree and ours:
#               vma-torture, stress-ng --verify (14 core VMA stressors);
#               a splat on ours fails (make kernel-debug adds the test
#               module on ours and all 35 stressors)
#   kern-vma    Linux 6.12's tools/testing/vma on our tree: 15 of 15
#   kern-vma73  Linux 7.3's tools/testing/vma on our tree: 26 of 26
#   readme      every code example of README.md builds and runs
#               (scripts/readme-examples.py)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=${JOBS:-2}
passed=0
failed=0
skipped=0
failed_legs=
skipped_legs=
ran_legs=
SKIP=77		# a leg's exit status for "cannot run here", as automake's

kernel_tree=$(scripts/kernel-tree.sh) || { echo "cannot fetch the kernel tree"; exit 1; }
kernel61_tree=$(scripts/kernel-tree.sh 6.1) || { echo "cannot fetch Linux 6.1's tree"; exit 1; }
# Linux 7.3 comes from trixie-backports through the private apt
# configuration of scripts/kernel-fetch.sh (the system's apt is untouched).
kernel73_tree=$(scripts/kernel-tree.sh 7.3) || { echo "cannot fetch Linux 7.3's tree"; exit 1; }

leg() {
	name=$1
	shift
	case " ${LEGS:-$name} " in
	*" $name "*) ;;
	*) return 0 ;;
	esac
	ran_legs="$ran_legs $name"
	log="build/logs/$name.log"
	mkdir -p build/logs
	start=$(date +%s)
	printf '%-10s ' "$name"
	"$@" >"$log" 2>&1
	status=$?
	took=$(($(date +%s) - start))
	if [ "$status" = 0 ]; then
		passed=$((passed + 1))
		printf 'ok      %4ss  %s\n' "$took" "$(grep -E \
			'^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" |
			tail -1)"
	elif [ "$status" = "$SKIP" ]; then
		skipped=$((skipped + 1))
		skipped_legs="$skipped_legs $name"
		printf 'skipped %4ss  %s\n' "$took" "$(tail -1 "$log")"
	else
		failed=$((failed + 1))
		failed_legs="$failed_legs $name"
		printf 'FAILED  %4ss  (log: %s)\n' "$took" "$log"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

# Build, then run the driver; the run must end in "N passed, 0 failed".
run_maple() {
	dir=$1
	shift
	make -s -j"$jobs" maple O="$dir" "$@" && "$dir/maple"
}

# The 32-bit build always; its run where the machine can execute i386
# binaries at all.  On a kernel without IA32 emulation the leg is skipped,
# once it has built: a failed build still fails it.
run_32bit() {
	make -s -j"$jobs" maple O=build/32 BUILD=32 || return 1
	probe=build/32/ia32-probe
	printf 'int main(void) { return 0; }\n' | cc -m32 -x c - -o "$probe" &&
		"$probe" 2>/dev/null && { build/32/maple; return; }
	echo "built; not run: this machine cannot execute i386 binaries" \
	     "(no IA32 emulation)"
	return "$SKIP"
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
leg regress-mutants scripts/regress-mutants.sh
leg san run_maple build/san SAN=1
leg opt run_maple build/opt OPT=-O2
leg 32bit run_32bit
leg kernel run_maple build/kernel KDIR="$kernel_tree"
leg kernel61 run_maple build/kernel61 KDIR="$kernel61_tree"
leg kernel73 run_maple build/kernel73 KDIR="$kernel73_tree"
leg ktests73 run_maple build/ktests73 KDIR=linux KTESTS="$kernel73_tree"
leg valgrind run_valgrind
leg outoftree tests/outoftree/run.sh O=build/default
leg bench-names tests/bench-names/run.sh
leg difftest env SEEDS=200 OPS=5000 scripts/difftest.sh
leg api sh -c "scripts/api-doc.py --check && scripts/kernel-doc-check.sh"
leg install scripts/install-test.sh
leg picture make -s tree-picture O=build/default MTDOT_ARGS="--alloc --vmas 300 --erase 7"
leg gdb scripts/gdb/test.sh build/default/maple
leg fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" scripts/fuzz.sh
leg stress env SECONDS_PER_BUILD="${STRESS_SECONDS:-90}" scripts/stress.sh 1 60
leg tsan scripts/tsan.sh 1 4
leg coverage scripts/coverage.sh
# stress-ng's core VMA stressors: the whole list (kernel/guest/init) runs
# in make kernel-debug and make kernel-matrix
ci_stressors=brk,fork,madvise,mincore,mlock,mmap,mmapfixed,mmapmany,mprotect,mremap,msync,munmap,stack,vm
leg kern-matrix env MATRIX=ci STRESSORS="$ci_stressors" scripts/kernel-matrix.sh
leg kern-debug env CONFIG=debug FORK_VMAS=none STRESS=1 TORTURE=60 \
	STRESSORS="$ci_stressors" MODULE_TREES=none scripts/kernel-boot.sh
leg kern-vma scripts/kernel-vma.sh
leg kern-vma73 env KERNEL_VERSION=7.3 scripts/kernel-vma.sh
leg readme scripts/readme-examples.py

# A leg asked for by name that does not exist is a failure, not nothing.
for name in ${LEGS:-}; do
	case " $ran_legs " in
	*" $name "*) ;;
	*)	echo "$name: no such leg"
		failed=$((failed + 1))
		failed_legs="$failed_legs $name" ;;
	esac
done
[ -z "$skipped_legs" ] || echo "skipped legs:$skipped_legs"
[ -z "$failed_legs" ] || echo "failed legs:$failed_legs"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
