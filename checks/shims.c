// SPDX-License-Identifier: GPL-2.0
/*
 * Checks that drive the shims for real with a maple tree on top: RCU readers
 * beside a writer, an external rwsem lock with lockdep, an allocation
 * failure and its retry (with a writer racing into the retry), and the
 * seed's check_forking.
 *
 * Entries encode the range they were stored at, so a reader can tell a
 * consistent view from a torn one without knowing the writer's timing:
 *
 *	entry = xa_mk_value(first << SPAN_BITS | (last - first))
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

#define SPAN_BITS	12
#define SPAN_MAX	((1UL << SPAN_BITS) - 1)
#define KEY_LIMIT	(1UL << 18)	/* indices used by the RCU check */

static void *range_entry(unsigned long first, unsigned long last)
{
	return xa_mk_value(first << SPAN_BITS | (last - first));
}

static unsigned long entry_first(void *entry)
{
	return xa_to_value(entry) >> SPAN_BITS;
}

static unsigned long entry_last(void *entry)
{
	return entry_first(entry) + (xa_to_value(entry) & SPAN_MAX);
}

/* ------------------------------------------------------ RCU readers */

struct rcu_check {
	struct maple_tree tree;
	bool writer_done;		/* atomic: set once the writer stopped */
	unsigned long violations;	/* atomic */
	unsigned long reads;		/* atomic */
	unsigned long long seed;
};

/* What a reader may see at @index: NULL, or an entry whose range covers it. */
static bool reader_consistent(void *entry, unsigned long index,
			      unsigned long first, unsigned long last)
{
	if (!entry)
		return true;
	if (!xa_is_value(entry))
		return false;
	return first <= index && index <= last &&
	       entry_first(entry) <= first && last <= entry_last(entry);
}

static void *rcu_check_reader(void *arg)
{
	struct rcu_check *rc = arg;
	unsigned long long state = rc->seed;
	unsigned long bad = 0, reads = 0, prev;
	bool last_round = false;
	void *entry;

	for (;;) {
		MA_STATE(mas, &rc->tree, 0, 0);
		unsigned long index = check_random(&state) % KEY_LIMIT;

		/* A walk: the range reported must be the entry's own. */
		rcu_read_lock();
		mas_set(&mas, index);
		entry = mas_walk(&mas);
		if (!reader_consistent(entry, index, mas.index, mas.last))
			bad++;
		rcu_read_unlock();

		/* A load. */
		entry = mtree_load(&rc->tree, index);
		if (!reader_consistent(entry, index, index, index))
			bad++;

		/* An iteration over a window: strictly ascending ranges. */
		rcu_read_lock();
		mas_set(&mas, index);
		prev = 0;
		mas_for_each(&mas, entry, index + 4096) {
			if (!reader_consistent(entry, mas.index, mas.index,
					       mas.last) ||
			    (prev && mas.index <= prev))
				bad++;
			prev = mas.last;
			if (mas.last == ULONG_MAX)
				break;
		}
		rcu_read_unlock();
		reads += 3;

		/* One last full round after the writer stops. */
		if (last_round)
			break;
		if (__atomic_load_n(&rc->writer_done, __ATOMIC_ACQUIRE))
			last_round = true;
	}
	__atomic_fetch_add(&rc->violations, bad, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rc->reads, reads, __ATOMIC_RELAXED);
	return NULL;
}

#define RCU_READERS	4
#define RCU_WRITES	20000

static void check_rcu_readers(struct check_ctx *ctx)
{
	struct rcu_check rc = { .seed = ctx->seed };
	unsigned long long state = ctx->seed * 7919 + 1;
	unsigned long threads[RCU_READERS];
	int i, started = 0, ret;

	mt_init_flags(&rc.tree, MT_FLAGS_USE_RCU);
	for (i = 0; i < 1000; i++)
		mtree_store_range(&rc.tree, i * 64, i * 64 + 31,
				  range_entry(i * 64, i * 64 + 31), GFP_KERNEL);
	for (i = 0; i < RCU_READERS; i++) {
		ret = harness_thread_start(&threads[i], rcu_check_reader, &rc);
		if (!CHECK(ctx, NULL, ret == 0, "thread start: %d", ret))
			break;
		started++;
	}
	for (i = 0; i < RCU_WRITES; i++) {
		unsigned long first = check_random(&state) % KEY_LIMIT;
		unsigned long len = check_random(&state) % 300;
		unsigned long last = min(first + len, KEY_LIMIT - 1);
		unsigned long op = check_random(&state) % 4;

		if (op == 0)
			ret = mtree_store_range(&rc.tree, first, last, NULL,
						GFP_KERNEL);
		else
			ret = mtree_store_range(&rc.tree, first, last,
						range_entry(first, last),
						GFP_KERNEL);
		if (!CHECK(ctx, &rc.tree, ret == 0,
			   "write %d: store [%lu, %lu] returned %d", i, first,
			   last, ret))
			break;
	}
	__atomic_store_n(&rc.writer_done, true, __ATOMIC_RELEASE);
	for (i = 0; i < started; i++)
		harness_thread_join(threads[i]);

	mtree_lock(&rc.tree);
	mt_validate(&rc.tree);
	mtree_unlock(&rc.tree);
	CHECK(ctx, NULL, rc.violations == 0,
	      "%lu inconsistent reads out of %lu by %d readers during %d writes",
	      rc.violations, rc.reads, started, RCU_WRITES);
	if (ctx->verbose)
		printf("  %d readers made %lu reads during %d writes\n",
		       started, rc.reads, RCU_WRITES);
	mtree_destroy(&rc.tree);
}
DEFINE_CHECK(check_rcu_readers,
	     "RCU readers see consistent ranges while a writer stores");

/* ------------------------------------------------- locks and lockdep */

static void *lock_probe(void *arg)
{
	struct maple_tree *mt = arg;

	/* Another thread never holds the lock the caller holds. */
	return (void *)(unsigned long)lockdep_is_held(&mt->ma_lock);
}

static void check_locks(struct check_ctx *ctx)
{
	struct maple_tree ext = MTREE_INIT(ext, 0);
	struct maple_tree mt = MTREE_INIT(mt, 0);
	struct rw_semaphore sem;
	unsigned long failures, thread;
	void *probe = NULL;
	int ret;

	/* The tree's own spinlock, as lockdep sees it. */
	CHECK(ctx, NULL, !lockdep_is_held(&mt.ma_lock),
	      "unlocked spinlock reported held");
	mtree_lock(&mt);
	CHECK(ctx, NULL, lockdep_is_held(&mt.ma_lock),
	      "spinlock held by this thread reported free");
	if (harness_thread_start(&thread, lock_probe, &mt) == 0) {
		pthread_join((pthread_t)thread, &probe);
		CHECK(ctx, NULL, probe == NULL,
		      "another thread reported as holding our lock");
	}
	mtree_unlock(&mt);

	/* An external rwsem: writes under down_write, reads under down_read. */
	init_rwsem(&sem);
	mt_init_flags(&ext, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&ext, &sem);
	CHECK(ctx, NULL, !mt_lock_is_held(&ext), "external lock held at start");
	down_write(&sem);
	CHECK(ctx, NULL, mt_write_lock_is_held(&ext),
	      "external lock not held for write after down_write");
	{
		MA_STATE(mas, &ext, 10, 20);

		ret = mas_store_gfp(&mas, xa_mk_value(1), GFP_KERNEL);
		CHECK(ctx, &ext, ret == 0, "store under the rwsem: %d", ret);
	}
	up_write(&sem);
	CHECK(ctx, NULL, !mt_write_lock_is_held(&ext),
	      "external lock still held after up_write");
	down_read(&sem);
	CHECK(ctx, NULL, mt_lock_is_held(&ext) && !mt_write_lock_is_held(&ext),
	      "down_read must count as held, not for write");
	CHECK(ctx, &ext, mtree_load(&ext, 15) == xa_mk_value(1),
	      "load under down_read");
	up_read(&sem);

	/* A failed assertion is loud and counted. */
	failures = harness_lockdep_failures;
	harness_quiet = 1;
	lockdep_assert_held(&sem);
	harness_quiet = 0;
	CHECK(ctx, NULL, harness_lockdep_failures == failures + 1,
	      "lockdep_assert_held on a free rwsem did not fail");
	harness_lockdep_failures = failures;

	down_write_nested(&sem, SINGLE_DEPTH_NESTING);
	lockdep_assert_held_write(&sem);
	__mt_destroy(&ext);
	up_write(&sem);
	CHECK(ctx, NULL, harness_lockdep_failures == failures,
	      "lockdep_assert_held_write failed while held");
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_locks, "spinlock and external rwsem, lockdep truthful");

/* --------------------------------------------- failure and retry */

struct race {
	struct maple_tree *mt;
	int calls;		/* callback invocations */
	int ret;		/* the racing writer's result */
};

/* Runs inside the allocation that follows a failure, with the lock dropped. */
static void racing_writer(void *private)
{
	struct race *race = private;

	if (race->calls++)
		return;		/* the racing write itself may fail and retry */
	race->ret = mtree_store_range(race->mt, 5000, 5099,
				      range_entry(5000, 5099), GFP_KERNEL);
}

static void check_nomem_retry(struct check_ctx *ctx)
{
	struct maple_tree mt = MTREE_INIT(mt, 0);
	struct race race = { .mt = &mt };
	long base = nr_allocated;
	unsigned long i;
	void *entry;
	int ret;

	for (i = 0; i < 200; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 5,
				  range_entry(i * 10, i * 10 + 5), GFP_KERNEL);

	/* A store that cannot sleep fails cleanly, changing nothing. */
	mt_set_non_kernel(0);
	ret = mtree_store_range(&mt, 1003, 1004, range_entry(1003, 1004),
				GFP_NOWAIT);
	CHECK(ctx, &mt, ret == -ENOMEM, "GFP_NOWAIT store returned %d", ret);
	entry = mtree_load(&mt, 1003);
	CHECK(ctx, &mt, entry == range_entry(1000, 1005),
	      "failed store changed 1003 to %p", entry);
	entry = mtree_load(&mt, 1005);
	CHECK(ctx, &mt, entry == range_entry(1000, 1005),
	      "failed store damaged [1000, 1005]: %p", entry);
	mtree_lock(&mt);
	mt_validate(&mt);
	mtree_unlock(&mt);

	/* The same store retried by mas_nomem(), the caller's loop. */
	{
		MA_STATE(mas, &mt, 1003, 1004);

		mtree_lock(&mt);
retry:
		mas_store(&mas, range_entry(1003, 1004));
		if (mas_nomem(&mas, GFP_KERNEL))
			goto retry;
		ret = xa_err(mas.node);
		mtree_unlock(&mt);
		mas_destroy(&mas);
		CHECK(ctx, &mt, ret == 0, "mas_nomem retry ended in %d", ret);
		CHECK(ctx, &mt, mtree_load(&mt, 1004) == range_entry(1003, 1004),
		      "retried store missing");
	}

	/* A writer runs between the failure and the retry. */
	mt_set_callback(racing_writer);
	mt_set_private(&race);
	ret = mtree_store_range(&mt, 700, 1500, range_entry(700, 1500),
				GFP_KERNEL);
	mt_set_callback(NULL);
	mt_set_private(NULL);
	CHECK(ctx, &mt, ret == 0, "store with a racing writer: %d", ret);
	CHECK(ctx, &mt, race.calls >= 1,
	      "the racing writer never ran (no allocation failed?)");
	CHECK(ctx, &mt, race.ret == 0, "racing writer's store: %d", race.ret);
	CHECK(ctx, &mt, mtree_load(&mt, 1000) == range_entry(700, 1500),
	      "spanning store lost after the race");
	CHECK(ctx, &mt, mtree_load(&mt, 5050) == range_entry(5000, 5099),
	      "racing writer's entry lost");
	CHECK(ctx, &mt, mtree_load(&mt, 695) == range_entry(690, 695),
	      "neighbour of the spanning store damaged");
	mtree_lock(&mt);
	mt_validate(&mt);
	mtree_unlock(&mt);
	mtree_destroy(&mt);
	rcu_barrier();
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked",
	      nr_allocated - base);
}
DEFINE_CHECK(check_nomem_retry,
	     "allocation failure leaves the tree intact; retry, racing writer");

/* --------------------------------------------------- check_forking */

/*
 * The seed's check: duplicate a 135-range allocation tree with external
 * locks, as dup_mmap() does, then overwrite every entry in the copy; the
 * copy has every node already, so no store may allocate.
 */
static void check_forking(struct check_ctx *ctx)
{
	struct rw_semaphore parent_mmap, child_mmap;
	struct maple_tree parent, child;
	const unsigned long ranges = 135;
	unsigned long vma, nodes_before;
	void *entry;
	int ret;

	init_rwsem(&parent_mmap);
	init_rwsem(&child_mmap);
	mt_init_flags(&parent, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&parent, &parent_mmap);
	mt_init_flags(&child, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&child, &child_mmap);

	/* The parent's "VMAs": [v * 10, v * 10 + 5] for v = 0 .. 135. */
	down_write(&parent_mmap);
	for (vma = 0; vma <= ranges; vma++) {
		MA_STATE(mas, &parent, vma * 10, vma * 10 + 5);

		ret = mas_store_gfp(&mas, xa_mk_value(vma), GFP_KERNEL);
		if (!CHECK(ctx, &parent, ret == 0, "store %lu: %d", vma, ret))
			break;
	}

	/* dup_mmap(): the child's lock nests inside the parent's. */
	down_write_nested(&child_mmap, SINGLE_DEPTH_NESTING);
	ret = __mt_dup(&parent, &child, GFP_KERNEL);
	CHECK(ctx, &parent, ret == 0, "__mt_dup returned %d", ret);

	/* Replacing each entry in place must find every node already there. */
	mt_set_non_kernel(0);
	mt_zero_nr_tallocated();
	nodes_before = mt_nr_tallocated();
	{
		MA_STATE(walk, &child, 0, 0);

		mas_for_each(&walk, entry, ULONG_MAX) {
			mas_store(&walk, entry);
			if (!CHECK(ctx, &child, !mas_is_err(&walk),
				   "replacing [%lu, %lu] in the copy failed",
				   walk.index, walk.last))
				break;
		}
		mas_destroy(&walk);
	}
	CHECK(ctx, &child, mt_nr_tallocated() == nodes_before,
	      "replacing the copy's entries allocated %lu nodes",
	      (unsigned long)mt_nr_tallocated() - nodes_before);
	for (vma = 0; vma <= ranges; vma++) {
		entry = mtree_load(&child, vma * 10 + 3);
		if (!CHECK(ctx, &child, entry == xa_mk_value(vma),
			   "copy at %lu holds %p", vma * 10 + 3, entry))
			break;
	}
	mt_validate(&child);
	mt_validate(&parent);
	__mt_destroy(&child);
	__mt_destroy(&parent);
	up_write(&child_mmap);
	up_write(&parent_mmap);
}
DEFINE_CHECK(check_forking,
	     "__mt_dup of a 135-range tree, then every entry overwritten");
