// SPDX-License-Identifier: GPL-2.0
/*
 * messages.c: printk(), dump_stack(), BUG() and WARN_ON(), and the
 * reports of lockdep and of RCU's lock rules, in userspace.  Each kind
 * is counted for the driver, which fails a run on what it did not expect.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <harness.h>
#include "internal.h"

unsigned long harness_warnings;
unsigned long harness_warnings_silenced;
unsigned long harness_lockdep_failures;
long harness_subject_leaked;	/* include/harness.h */
unsigned long harness_rcu_suspicious_count;
int harness_abort_on_bug;
int harness_quiet;
int harness_rcu_quiet;
/* Where printk() writes while a test captures it (harness_printk_capture). */
static char *capture_buf;
static size_t capture_len, capture_used;

void harness_printk_capture(char *buf, size_t len)
{
	capture_buf = len ? buf : NULL;
	capture_len = len;
	capture_used = 0;
	if (capture_buf)
		capture_buf[0] = '\0';
}

int harness_printk(const char *fmt, ...)
{
	va_list args;
	int ret;

	if (capture_buf) {
		va_start(args, fmt);
		ret = vsnprintf(capture_buf + capture_used,
				capture_len - capture_used, fmt, args);
		va_end(args);
		if (ret > 0)
			capture_used += min_t(size_t, ret,
					      capture_len - capture_used - 1);
		return ret;
	}
	if (harness_quiet)
		return 0;
	va_start(args, fmt);
	ret = vprintf(fmt, args);
	va_end(args);
	return ret;
}

void dump_stack(void)
{
	void *frames[32];
	int depth = backtrace(frames, ARRAY_SIZE(frames));

	fflush(stdout);
	backtrace_symbols_fd(frames, depth, STDERR_FILENO);
	if (harness_abort_on_bug)
		abort();
}

void harness_bug(const char *file, int line, const char *func,
		 const char *cond)
{
	fflush(stdout);
	fprintf(stderr, "BUG: %s:%d in %s(): %s\n", file, line, func, cond);
	harness_abort_on_bug = 1;
	dump_stack();
	abort();
}

void harness_warn(const char *file, int line, const char *func,
		  const char *cond)
{
	__atomic_fetch_add(&harness_warnings, 1, __ATOMIC_RELAXED);
	if (harness_quiet) {
		__atomic_fetch_add(&harness_warnings_silenced, 1,
				   __ATOMIC_RELAXED);
		return;
	}
	fflush(stdout);
	fprintf(stderr, "WARNING: %s:%d in %s(): %s\n", file, line, func, cond);
}

/*
 * A test that hands the tree bad input on purpose (a reserved entry, an
 * inverted range) sets harness_quiet around it: the tree's WARN_ON() is
 * the kernel's answer and is expected, so it is counted but not printed.
 * Our checks fail on any hit they did not declare (check_expect_warnings()),
 * so the note says which hits were printed, and why the others were not.
 * A WARN_ON_ONCE() site counts once, as it reports once.
 */
void harness_report_warnings(void)
{
	unsigned long hits = __atomic_load_n(&harness_warnings,
					     __ATOMIC_RELAXED);
	unsigned long silenced = __atomic_load_n(&harness_warnings_silenced,
						 __ATOMIC_RELAXED);

	if (!hits)
		return;
	if (silenced == hits)
		printf("note: %lu WARN_ON() hits, all expected: the tests gave "
		       "bad input on purpose and silenced them (-v shows our "
		       "checks' own)\n", hits);
	else if (silenced)
		printf("note: %lu WARN_ON() hits: %lu printed above (WARNING "
		       "lines), %lu expected by the tests that gave bad input "
		       "on purpose and silenced\n", hits, hits - silenced,
		       silenced);
	else
		printf("note: %lu WARN_ON() hits, printed above (WARNING "
		       "lines)\n", hits);
}

void harness_lockdep_fail(const char *file, int line, const char *what)
{
	__atomic_fetch_add(&harness_lockdep_failures, 1, __ATOMIC_RELAXED);
	if (harness_quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "lockdep: %s:%d: %s\n", file, line, what);
	dump_stack();
}

/*
 * might_sleep() (linux/kernel.h): sleeping is not allowed with preemption
 * off (a spinlock held) or inside an RCU read-side section.  Each
 * violation is counted; the first is printed with its backtrace, and the
 * driver reports the count at exit (maple.c).
 */
unsigned long harness_atomic_sleeps;

void harness_might_sleep(const char *file, int line)
{
	int preempt = harness_preempt_count;
	bool reading = rcu_read_ongoing();

	if (IS_ENABLED(HARNESS_RELEASE) || (!preempt && !reading))
		return;
	if (__atomic_fetch_add(&harness_atomic_sleeps, 1, __ATOMIC_RELAXED) ||
	    harness_quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "BUG: sleeping function called from invalid context "
		"at %s:%d (preempt count %d%s); later ones are only counted\n",
		file, line, preempt,
		reading ? ", in an RCU read-side section" : "");
	dump_stack();
}

void harness_rcu_suspicious(const char *file, int line, const char *cond)
{
	unsigned long seen;

	seen = __atomic_fetch_add(&harness_rcu_suspicious_count, 1,
				  __ATOMIC_RELAXED);
	if (seen < 5 && !harness_quiet && !harness_rcu_quiet)
		fprintf(stderr, "suspicious RCU usage: %s:%d: neither in a "
			"read-side section nor %s\n", file, line, cond);
}
