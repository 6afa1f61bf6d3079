// SPDX-License-Identifier: GPL-2.0
/*
 * inject.c: deterministic allocation failures.  harness_fail_nth_alloc(n)
 * arms a countdown over every object allocated from now on, whatever its
 * cache or gfp; the object it reaches fails (linux.c asks
 * harness_inject_failure() before each allocation).  The failure sweeps
 * fail each allocation of an operation in turn.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>

#include <linux/kernel.h>
#include <harness.h>
#include "internal.h"

/* Countdown to an injected failure; negative when none is armed. */
static long fail_countdown = -1;
static unsigned long alloc_count;
static pthread_mutex_t inject_lock = PTHREAD_MUTEX_INITIALIZER;
void harness_fail_nth_alloc(long n)
{
	pthread_mutex_lock(&inject_lock);
	fail_countdown = n;
	pthread_mutex_unlock(&inject_lock);
}

bool harness_fail_pending(void)
{
	return __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED) >= 0;
}

unsigned long harness_alloc_count(void)
{
	return __atomic_load_n(&alloc_count, __ATOMIC_RELAXED);
}

/* The bulk mode (include/harness.h), read under the caches' own locks. */
static int bulk_mode = HARNESS_BULK_PLAIN;
static unsigned int bulk_cap;

/*
 * The livelock watchdog: a caller that retries a cut request forever (it
 * takes "some memory" for progress while the mode keeps failing the rest)
 * would hang the run.  After HARNESS_BULK_LIVELOCK cuts (or refusals of
 * the non-kernel budget) under one setting of the mode, the mode and the
 * budget are lifted so that the caller can finish, and
 * harness_bulk_livelocks counts it for the check to report.
 */
#define HARNESS_BULK_LIVELOCK	10000
static unsigned long bulk_cuts;		/* cuts since the mode was set */
unsigned long harness_bulk_livelocks;
bool harness_bulk_lifted;	/* the watchdog lifted the budget too */

void harness_bulk_mode(enum harness_bulk_mode mode, unsigned int cap)
{
	__atomic_store_n(&bulk_cap, cap, __ATOMIC_RELAXED);
	__atomic_store_n(&bulk_cuts, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&harness_bulk_lifted, false, __ATOMIC_RELAXED);
	__atomic_store_n(&bulk_mode, (int)mode, __ATOMIC_RELAXED);
}

void harness_bulk_cut_made(void)
{
	if (__atomic_add_fetch(&bulk_cuts, 1, __ATOMIC_RELAXED) !=
	    HARNESS_BULK_LIVELOCK)
		return;
	__atomic_store_n(&bulk_mode, (int)HARNESS_BULK_PLAIN, __ATOMIC_RELAXED);
	__atomic_store_n(&harness_bulk_lifted, true, __ATOMIC_RELAXED);
	__atomic_fetch_add(&harness_bulk_livelocks, 1, __ATOMIC_RELAXED);
}

enum harness_bulk_mode harness_bulk_mode_now(unsigned int *cap)
{
	*cap = __atomic_load_n(&bulk_cap, __ATOMIC_RELAXED);
	return (enum harness_bulk_mode)__atomic_load_n(&bulk_mode,
						       __ATOMIC_RELAXED);
}

/* harness_inject_failure(): see internal.h. */
#ifdef HARNESS_RELEASE
long harness_inject_failure(unsigned long nr)
{
	(void)nr;
	return -1;
}
#else
long harness_inject_failure(unsigned long nr)
{
	long fail = -1;

	__atomic_fetch_add(&alloc_count, nr, __ATOMIC_RELAXED);
	if (__atomic_load_n(&fail_countdown, __ATOMIC_RELAXED) < 0)
		return -1;
	pthread_mutex_lock(&inject_lock);
	if (fail_countdown >= 0) {
		if ((unsigned long)fail_countdown < nr) {
			fail = fail_countdown;
			fail_countdown = -1;
		} else {
			fail_countdown -= nr;
		}
	}
	pthread_mutex_unlock(&inject_lock);
	return fail;
}
#endif
