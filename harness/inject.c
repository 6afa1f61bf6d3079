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

void harness_bulk_mode(enum harness_bulk_mode mode, unsigned int cap)
{
	__atomic_store_n(&bulk_cap, cap, __ATOMIC_RELAXED);
	__atomic_store_n(&bulk_mode, (int)mode, __ATOMIC_RELAXED);
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
