// SPDX-License-Identifier: GPL-2.0
/*
 * stress.c: the yield points of the stress build (STRESS=1).
 *
 * In that build every READ_ONCE(), WRITE_ONCE(), barrier, RCU dereference
 * and rcu_assign_pointer() calls harness_stress_hit() with a number for
 * its site (linux/compiler.h).  While a check has switched the stress on,
 * a seeded subset of the sites (about one in four) give up the CPU a
 * quarter of the times they are reached.  A reader is then overtaken by
 * the writer between two loads of one node, a writer is stopped between
 * two stores a reader must not see apart: windows that are nanoseconds
 * wide in a normal build become scheduler quanta.
 *
 * What yields is a function of the seed, the site and the thread's own
 * sequence of hits, so a seed names a campaign; the interleaving itself
 * is still the scheduler's, so a failure is replayed by running its seed
 * again, usually a few times.
 */
#include <sched.h>
#include <linux/compiler.h>
#include <harness.h>

int harness_stress_on;
static unsigned long long stress_seed;
static unsigned int stress_threads;

static __thread unsigned long long stress_rng;

/* splitmix64: a good spread of the seed, the site and the thread. */
static unsigned long long stress_mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void harness_stress_hit(unsigned int site)
{
	unsigned long long r;

	/* A site is hot for this seed or not, whichever thread reaches it. */
	if (stress_mix(stress_seed ^ site) & 3)
		return;
	if (!stress_rng)
		stress_rng = stress_mix(stress_seed +
			__atomic_add_fetch(&stress_threads, 1, __ATOMIC_RELAXED));
	r = stress_rng = stress_mix(stress_rng);
	if ((r & 3) == 0)
		sched_yield();
}

void harness_stress_start(unsigned long long seed)
{
	stress_seed = stress_mix(seed);
	__atomic_store_n(&harness_stress_on, 1, __ATOMIC_RELEASE);
}

void harness_stress_stop(void)
{
	__atomic_store_n(&harness_stress_on, 0, __ATOMIC_RELEASE);
}

bool harness_stress_build(void)
{
#ifdef HARNESS_STRESS
	return true;
#else
	return false;
#endif
}
