/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h: what the benchmark programs (mtbench, forkbench) share.
 *
 * A benchmark of the debug build (OPT=-Og: poisoned free objects, every
 * RCU dereference checked against its lock rule) measures the debugging,
 * not the tree.  The programs refuse to run one unless --debug-build says
 * that is what the user wants; make builds them -O2 when OPT= is not given.
 */
#ifndef MAPLE_BENCH_H
#define MAPLE_BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/*
 * The clock the programs time with: wall-clock time.  On a shared machine
 * a process that yields (nice 19) to a busy neighbour has its wall-clock
 * figures stretched by every slice the neighbour takes;
 * EXTRA_CFLAGS=-DBENCH_CLOCK=CLOCK_THREAD_CPUTIME_ID counts only the time
 * the benchmark itself ran (the neighbour still shares the caches), for
 * comparing two builds while the machine is busy.  The reported figures
 * are wall-clock.
 */
#ifndef BENCH_CLOCK
#define BENCH_CLOCK	CLOCK_MONOTONIC
#endif

/* Whether this program was built with the debug build's checks. */
static inline bool bench_is_debug_build(void)
{
#if defined(CONFIG_PROVE_RCU) || !defined(HARNESS_NO_POISON)
	return true;
#else
	return false;
#endif
}

/*
 * Return 0 if @prog may run: an optimised build, or @debug_ok (its
 * --debug-build option).  Otherwise say why not and how to build it.
 */
static inline int bench_refuse_debug_build(const char *prog, bool debug_ok)
{
	if (!bench_is_debug_build())
		return 0;
	if (debug_ok) {
		fprintf(stderr, "%s: a debug build (poisoning, RCU-rule "
			"checks): the figures measure the debugging too\n",
			prog);
		return 0;
	}
	fprintf(stderr, "%s: this is a debug build (OPT=-Og: poisoning, "
		"RCU-rule checks), whose figures measure the debugging.\n"
		"  build it optimised: make %s O=build/bench OPT=-O2\n"
		"  or measure the debug build anyway: %s --debug-build ...\n",
		prog, prog, prog);
	return 2;
}

#endif /* MAPLE_BENCH_H */
