// SPDX-License-Identifier: GPL-2.0
/*
 * onebench.c: the benchmark of a BENCH=<name> build of ./maple.
 *
 * Like the kernel's BENCH_* defines, a benchmark build runs one benchmark
 * and nothing else.  The benchmarks are ours and use only the public API,
 * so the same BENCH build of each subject measures the same work:
 *
 *   make maple O=build/bf OPT=-O2 BENCH=fork && build/bf/maple
 *   make maple O=build/bfk OPT=-O2 BENCH=fork KDIR=.kernel/linux-source-6.12
 *
 * Each prints "bench <label> [<subject>]: <ops> <unit> in <s> s, <ns> ns
 * each" and then what one operation is.  BENCH=fork copies the tree the
 * way the subject's fork() did: with __mt_dup() where the subject has it
 * ("fork new"), else one store per entry into an empty tree ("fork old",
 * Linux 6.1's dup_mmap()); BENCH=fork_old runs the old way on any subject.
 *
 * KBENCH=1 runs the subject's own test module instead, built with the
 * same BENCH_<NAME> define, as the kernel runs its benchmarks (Linux 6.12's
 * bench_forking() and the rest): the module times nothing itself, so the
 * whole module run is timed.  The Makefile refuses an unknown name, and a
 * module without that benchmark, before anything is compiled.
 */
#include <time.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <harness.h>
#include <subject-api.h>

#ifdef HARNESS_BENCH

static volatile unsigned long bench_sink;

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One line with the figures, naming the benchmark and the subject (the
 * same label for every subject otherwise), then one saying what was
 * counted as an operation.
 */
static void bench_report(const char *label, unsigned long ops,
			 const char *unit, double secs, const char *each)
{
	printf("bench %s [%s]: %lu %s in %.3f s, %.1f ns each\n", label,
	       SUBJECT_NAME, ops, unit, secs, secs * 1e9 / ops);
	printf("  one operation: %s\n", each);
}

#if !defined(BENCH_FORK) && !defined(BENCH_FORK_OLD)	/* they build their own */
/* A plain tree of @n ranges [i * 10, i * 10 + 5]. */
static void bench_fill(struct maple_tree *mt, unsigned int flags,
		       unsigned long n)
{
	unsigned long i;

	mt_init_flags(mt, flags);
	for (i = 0; i < n; i++)
		mtree_store_range(mt, i * 10, i * 10 + 5, xa_mk_value(i),
				  GFP_KERNEL);
}
#endif

#if defined(BENCH_FORK) && !defined(HAVE___MT_DUP)
#define BENCH_FORK_OLD
#endif

#if defined(BENCH_FORK_OLD) || defined(BENCH_FORK)
/*
 * The seed's source tree: 135 ranges [10 i, 10 i + 5] in an allocation
 * tree with an external lock, which is left held for writing.
 */
static void bench_fork_source(struct maple_tree *src,
			      struct rw_semaphore *src_lock,
			      struct rw_semaphore *dst_lock)
{
	unsigned long i;

	init_rwsem(src_lock);
	init_rwsem(dst_lock);
	mt_init_flags(src, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(src, src_lock);
	down_write(src_lock);
	for (i = 0; i <= 134; i++) {
		MA_STATE(mas, src, i * 10, i * 10 + 5);

		mas_store_gfp(&mas, xa_mk_value(i), GFP_KERNEL);
	}
}
#endif

#if defined(BENCH_FORK_OLD)
/*
 * The seed's bench_forking as Linux 6.1's dup_mmap() copied a tree: 80,000
 * times, a new tree with external locks filled from the 135-range source,
 * one store per entry in order, in bulk mode (mas_expected_entries()) where
 * the subject has it.
 */
static void bench_run(void)
{
	struct rw_semaphore src_lock, dst_lock;
	struct maple_tree src, dst;
	unsigned long round, rounds = 80000;
	double start;
	void *entry;

	bench_fork_source(&src, &src_lock, &dst_lock);
	start = bench_now();
	for (round = 0; round < rounds; round++) {
		MA_STATE(old, &src, 0, 0);
		MA_STATE(mas, &dst, 0, 0);

		mt_init_flags(&dst, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
		mt_set_external_lock(&dst, &dst_lock);
		down_write_nested(&dst_lock, SINGLE_DEPTH_NESTING);
#ifdef HAVE_MAS_EXPECTED_ENTRIES
		if (mas_expected_entries(&mas, 135))
			BUG();
#endif
		mas_for_each(&old, entry, ULONG_MAX) {
			/* as dup_mmap() aimed it: no walk from the root */
			mas.index = old.index;
			mas.last = old.last;
#ifdef HAVE_MAS_EXPECTED_ENTRIES
			mas_store(&mas, entry);
			if (mas_is_err(&mas))
				BUG();
#else
			if (mas_store_gfp(&mas, entry, GFP_KERNEL))
				BUG();
#endif
		}
		mas_destroy(&mas);
		__mt_destroy(&dst);
		up_write(&dst_lock);
	}
	bench_report("fork old", rounds, "copies", bench_now() - start,
		     "a new tree filled from the 135-range source, one store "
		     "per range (Linux 6.1's dup_mmap()), then its destruction");
	__mt_destroy(&src);
	up_write(&src_lock);
}
#elif defined(BENCH_FORK)
/*
 * The seed's bench_forking: duplicate a 135-range tree with external
 * locks 80,000 times, overwriting every entry of each copy.
 */
static void bench_run(void)
{
	struct rw_semaphore src_lock, dst_lock;
	struct maple_tree src, dst;
	unsigned long round, rounds = 80000;
	double start;
	void *entry;

	bench_fork_source(&src, &src_lock, &dst_lock);
	start = bench_now();
	for (round = 0; round < rounds; round++) {
		MA_STATE(walk, &dst, 0, 0);

		mt_init_flags(&dst, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
		mt_set_external_lock(&dst, &dst_lock);
		down_write_nested(&dst_lock, SINGLE_DEPTH_NESTING);
		if (__mt_dup(&src, &dst, GFP_KERNEL))
			BUG();
		mas_for_each(&walk, entry, ULONG_MAX)
			mas_store(&walk, entry);
		mas_destroy(&walk);
		__mt_destroy(&dst);
		up_write(&dst_lock);
	}
	bench_report("fork new", rounds, "copies", bench_now() - start,
		     "__mt_dup() of the 135-range source, then 135 overwrites "
		     "of its entries in place, then its destruction");
	__mt_destroy(&src);
	up_write(&src_lock);
}
#elif defined(BENCH_LOAD) || defined(BENCH_WALK)
static void bench_run(void)
{
	unsigned long i, n = 10000, ops = 20000000;
	struct maple_tree mt;
	double start;

	bench_fill(&mt, 0, n);
	start = bench_now();
	rcu_read_lock();
	for (i = 0; i < ops; i++) {
		unsigned long index = (i * 7919 % n) * 10 + 3;
#ifdef BENCH_LOAD
		bench_sink += (unsigned long)mtree_load(&mt, index);
#else
		MA_STATE(ms, &mt, index, index);

		bench_sink += (unsigned long)mas_walk(&ms);
#endif
	}
	rcu_read_unlock();
	bench_report(IS_ENABLED(BENCH_LOAD) ? "load" : "walk", ops, "lookups",
		     bench_now() - start, IS_ENABLED(BENCH_LOAD) ?
		     "mtree_load() of a random index of a 10,000-range tree" :
		     "mas_walk() to a random index of a 10,000-range tree");
	mtree_destroy(&mt);
}
#elif defined(BENCH_AWALK)
static void bench_run(void)
{
	unsigned long i, n = 10000, ops = 2000000;
	struct maple_tree mt;
	double start;

	bench_fill(&mt, MT_FLAGS_ALLOC_RANGE, n);
	start = bench_now();
	rcu_read_lock();
	for (i = 0; i < ops; i++) {
		MA_STATE(ms, &mt, 0, 0);

		bench_sink += mas_empty_area(&ms, (i % n) * 10, ULONG_MAX, 4);
		bench_sink += ms.index;
	}
	rcu_read_unlock();
	bench_report("awalk", ops, "searches", bench_now() - start,
		     "mas_empty_area() for 4 free indices above a point of a "
		     "10,000-range allocation tree");
	mtree_destroy(&mt);
}
#elif defined(BENCH_MT_FOR_EACH) || defined(BENCH_MAS_FOR_EACH) || \
	defined(BENCH_MAS_PREV)
static void bench_run(void)
{
	unsigned long round, n = 10000, rounds = 2000, seen = 0, index;
	struct maple_tree mt;
	double start;
	void *entry;

	bench_fill(&mt, 0, n);
	start = bench_now();
	for (round = 0; round < rounds; round++) {
#if defined(BENCH_MT_FOR_EACH)
		index = 0;
		mt_for_each(&mt, entry, index, ULONG_MAX)
			seen++;
#else
		MA_STATE(ms, &mt, 0, 0);

		rcu_read_lock();
#if defined(BENCH_MAS_FOR_EACH)
		mas_for_each(&ms, entry, ULONG_MAX)
			seen++;
#else
		mas_set(&ms, ULONG_MAX);
		while ((entry = mas_prev(&ms, 0)) != NULL)
			seen++;
#endif
		rcu_read_unlock();
		(void)index;
#endif
	}
#if defined(BENCH_MT_FOR_EACH)
	bench_report("mt_for_each", seen, "entries", bench_now() - start,
		     "one step of mt_for_each() over a 10,000-range tree "
		     "(its own RCU read lock each step)");
#elif defined(BENCH_MAS_FOR_EACH)
	bench_report("mas_for_each", seen, "entries", bench_now() - start,
		     "one step of mas_for_each() over a 10,000-range tree, "
		     "one RCU read-side section a pass");
#else
	bench_report("mas_prev", seen, "entries", bench_now() - start,
		     "one step of mas_prev() backwards from ULONG_MAX over a "
		     "10,000-range tree, one RCU read-side section a pass");
#endif
	mtree_destroy(&mt);
}
#elif defined(BENCH_SLOT_STORE) || defined(BENCH_NODE_STORE)
/* Overwrite one entry (a slot store) or one that splits a range. */
static void bench_run(void)
{
	unsigned long i, n = 10000, ops = 5000000;
	struct maple_tree mt;
	double start;

	bench_fill(&mt, 0, n);
	start = bench_now();
	mtree_lock(&mt);
	for (i = 0; i < ops; i++) {
		unsigned long k = i * 7919 % n;
#ifdef BENCH_SLOT_STORE
		MA_STATE(ms, &mt, k * 10, k * 10 + 5);
#else
		MA_STATE(ms, &mt, k * 10 + 1, k * 10 + 4);
#endif
		mas_store_gfp(&ms, xa_mk_value(i), GFP_KERNEL);
	}
	mtree_unlock(&mt);
	bench_report(IS_ENABLED(BENCH_SLOT_STORE) ? "slot_store" : "node_store",
		     ops, "stores", bench_now() - start,
		     IS_ENABLED(BENCH_SLOT_STORE) ?
		     "mas_store_gfp() over one whole range of a 10,000-range "
		     "tree (a slot store)" :
		     "mas_store_gfp() into the middle of one range of a "
		     "10,000-range tree (it splits the range in three)");
	mtree_destroy(&mt);
}
#else
/* The Makefile lets only the names above through (BENCH_NAMES). */
#error "BENCH=<name>: no such benchmark in bench/onebench.c"
#endif

#ifdef HARNESS_KBENCH
int harness_module_init(void);

/*
 * KBENCH=1: the subject's own module, whose BENCH_<NAME> code runs only
 * that benchmark and prints its summary; the kernel's benchmarks time
 * nothing themselves, so the module run is timed here.
 */
static void kbench_run(void)
{
	double start = bench_now();
	int ret = harness_module_init();

	printf("bench %s [%s]: the test module's own %s run in %.3f s "
	       "(returned %d)\n", HARNESS_BENCH, SUBJECT_NAME,
	       HARNESS_BENCH_DEFINE, bench_now() - start, ret);
	printf("  one operation: see the %s code of the subject's "
	       "lib/test_maple_tree.c\n", HARNESS_BENCH_DEFINE);
	if (ret)
		atomic_inc(&maple_tree_tests_run);	/* counts as a failure */
}
#endif

void harness_bench(void);
void harness_bench(void)
{
#ifdef HARNESS_KBENCH
	kbench_run();
#else
	bench_run();
#endif
	rcu_barrier();
}

#endif /* HARNESS_BENCH */
