// SPDX-License-Identifier: GPL-2.0
/*
 * Exhaustive allocation-failure sweeps.
 *
 * For each write operation, on a freshly built tree each time, fail the
 * k-th allocation for k = 0, 1, 2, ... until the operation completes
 * without reaching an injected failure.  After every attempt:
 *
 *  - the operation either reports -ENOMEM and the tree holds exactly what
 *    it held before, or it succeeds (a gfp that may block retries) and the
 *    tree holds exactly what the reference model says;
 *  - mt_validate() finds nothing;
 *  - once the tree is destroyed, nr_allocated is back to its baseline.
 *
 * Each operation is swept twice: with GFP_KERNEL (mas_nomem() retries
 * after the failure) and with GFP_NOWAIT under an ample non-kernel budget
 * (no retry: the injected failure must surface as -ENOMEM).
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"
#include "../support/model.h"

#define PAGE	4096UL

/*
 * How a sweep's tree is locked.  An operation that allocates with
 * GFP_KERNEL while it holds the tree's lock (mas_expected_entries()
 * always does, mas_preallocate() when asked to) needs a lock it may sleep
 * under: its tree is locked as the mm locks mm_mt, by an rwsem of its own
 * (MT_FLAGS_LOCK_EXTERN, sweep_sem), held for the whole attempt.  Every
 * other tree takes its spinlock around each operation.
 */
enum sweep_lock {
	SWEEP_SPIN,		/* the tree's spinlock */
	SWEEP_RWSEM_BLOCKING,	/* the rwsem when the gfp may sleep */
	SWEEP_RWSEM,		/* the rwsem always */
};

static struct rw_semaphore sweep_sem;

struct sweep {
	const char *name;
	unsigned int flags;		/* tree flags */
	unsigned long entries;		/* base tree: this many VMA-like ranges */
	/*
	 * Run the operation; update @m as a success would change the tree.
	 * NULL: the subject lacks @needs (generated/subject-api.h).
	 */
	int (*op)(struct maple_tree *mt, struct model *m, gfp_t gfp);
	const char *needs;		/* the optional API the operation uses */
	enum sweep_lock how;		/* the tree's lock */
};

static unsigned long first_of(unsigned long i)
{
	return (i * 4 + 1) * PAGE;
}

static unsigned long last_of(unsigned long i)
{
	return first_of(i) + 2 * PAGE - 1;
}

/* Does the sweep of @s with @gfp lock its tree with sweep_sem? */
static bool sweep_rwsem(const struct sweep *s, gfp_t gfp)
{
	return s->how == SWEEP_RWSEM ||
	       (s->how == SWEEP_RWSEM_BLOCKING && gfpflags_allow_blocking(gfp));
}

/* An operation's lock: the spinlock, or nothing under sweep_sem. */
static void sweep_lock(struct maple_tree *mt)
{
	if (!mt_external_lock(mt))
		mtree_lock(mt);
}

static void sweep_unlock(struct maple_tree *mt)
{
	if (!mt_external_lock(mt))
		mtree_unlock(mt);
}

/*
 * The base tree of @s, with @rwsem taking sweep_sem, which the caller
 * then holds until the tree is destroyed.
 */
static void build_base(struct maple_tree *mt, struct model *m,
		       const struct sweep *s, bool rwsem)
{
	MA_STATE(ms, mt, 0, 0);
	unsigned long i;

	if (rwsem) {
		init_rwsem(&sweep_sem);
		mt_init_flags(mt, s->flags | MT_FLAGS_LOCK_EXTERN);
		mt_set_external_lock(mt, &sweep_sem);
		down_write(&sweep_sem);
	} else {
		mt_init_flags(mt, s->flags);
	}
	model_init(m);
	for (i = 0; i < s->entries; i++) {
		mas_set_range(&ms, first_of(i), last_of(i));
		sweep_lock(mt);
		if (mas_store_gfp(&ms, xa_mk_value(i), GFP_KERNEL))
			BUG();
		sweep_unlock(mt);
		model_store(m, first_of(i), last_of(i), xa_mk_value(i));
	}
}

/* Destroy the base tree, letting go of sweep_sem if it holds it. */
static void destroy_base(struct maple_tree *mt)
{
	if (!mt_external_lock(mt)) {
		mtree_destroy(mt);
		return;
	}
	__mt_destroy(mt);
	up_write(&sweep_sem);
}

/* Store through a locked mas_store_gfp(), as the mtree_* API does. */
static int store_gfp(struct maple_tree *mt, struct model *m,
		     unsigned long first, unsigned long last, void *entry,
		     gfp_t gfp)
{
	MA_STATE(ms, mt, first, last);
	int ret;

	sweep_lock(mt);
	ret = mas_store_gfp(&ms, entry, gfp);
	sweep_unlock(mt);
	if (!ret)
		model_store(m, first, last, entry);
	return ret;
}

static int op_exact(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	return store_gfp(mt, m, first_of(40), last_of(40), xa_mk_value(1), gfp);
}

static int op_split3(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	return store_gfp(mt, m, first_of(40) + 10, first_of(40) + 20,
			 xa_mk_value(2), gfp);
}

static int op_append(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	return store_gfp(mt, m, first_of(5000), last_of(5000), xa_mk_value(3),
			 gfp);
}

static int op_gap(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	/* Into the gap after entry 7: two ranges become three. */
	return store_gfp(mt, m, last_of(7) + 1, last_of(7) + 100,
			 xa_mk_value(4), gfp);
}

static int op_spanning(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	return store_gfp(mt, m, first_of(100) + 5, last_of(350) - 5,
			 xa_mk_value(5), gfp);
}

static int op_spanning_null(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	return store_gfp(mt, m, first_of(10), last_of(900), NULL, gfp);
}

/* Times a kernel subject's mtree_erase() returned an entry it kept. */
static unsigned long erase_kept;

static int op_erase(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	void *entry;

	(void)gfp;
	entry = mtree_erase(mt, first_of(77));
	if (entry != xa_mk_value(77))
		return -EIO;
	if (mtree_load(mt, first_of(77)) == entry) {
		/*
		 * Returned as erased, yet still stored: Linux 6.12's
		 * mas_erase() gives up when mas_nomem() cannot allocate.
		 * See check_erase_nomem in kernel_bugs.c.
		 */
#ifdef HARNESS_SUBJECT_KERNEL
		erase_kept++;
		return 0;
#else
		return -ENODATA;
#endif
	}
	model_store(m, first_of(77), last_of(77), NULL);
	return 0;
}

static int op_insert(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	int ret = mtree_insert_range(mt, last_of(50) + 1, last_of(50) + PAGE,
				     xa_mk_value(6), gfp);

	if (!ret)
		model_store(m, last_of(50) + 1, last_of(50) + PAGE,
			    xa_mk_value(6));
	return ret;
}

/* Preallocate, then a store that must not allocate at all. */
static int op_prealloc(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	MA_STATE(ms, mt, first_of(200) + 1, last_of(260));
	unsigned long before;
	int ret;

	sweep_lock(mt);
	ret = mas_preallocate(&ms, xa_mk_value(7), gfp);
	if (!ret) {
		before = harness_alloc_count();
		mas_store_prealloc(&ms, xa_mk_value(7));
		if (harness_alloc_count() != before)
			ret = -EFAULT;	/* reported as a wrong answer */
		else
			model_store(m, first_of(200) + 1, last_of(260),
				    xa_mk_value(7));
	}
	sweep_unlock(mt);
	return ret;
}

/* Bulk mode: expect the entries, store them in order, release the rest. */
#ifdef HAVE_MAS_EXPECTED_ENTRIES
static int op_bulk(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	MA_STATE(ms, mt, 0, 0);
	unsigned long i;
	int ret;

	(void)gfp;
	sweep_lock(mt);
	ret = mas_expected_entries(&ms, 300);
	if (!ret) {
		for (i = 0; i < 300; i++) {
			mas_set_range(&ms, first_of(i), last_of(i));
			mas_store(&ms, xa_mk_value(i + 1));
			model_store(m, first_of(i), last_of(i),
				    xa_mk_value(i + 1));
		}
	}
	mas_destroy(&ms);
	sweep_unlock(mt);
	return ret;
}
#define OP_BULK		op_bulk
#else
#define OP_BULK		NULL
#endif

/* Times a kernel subject's mtree_alloc_range() returned 0, storing nothing. */
static unsigned long alloc_lost;

static int op_alloc_range(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	unsigned long start = 0;
	int ret;

	ret = mtree_alloc_range(mt, &start, xa_mk_value(8), PAGE, first_of(60),
				ULONG_MAX, gfp);
	if (!ret && mtree_load(mt, start) != xa_mk_value(8)) {
		/*
		 * Done, it says, yet nothing stored: Linux 6.1's mas_alloc()
		 * ignores the failed store.  See check_alloc_range_nomem in
		 * kernel_bugs.c.
		 */
#ifdef HARNESS_SUBJECT_KERNEL
		alloc_lost++;
		return 0;
#else
		return -ENODATA;
#endif
	}
	if (!ret)
		model_store(m, start, start + PAGE - 1, xa_mk_value(8));
	return ret;
}

#ifdef HAVE_MTREE_ALLOC_CYCLIC
static int op_alloc_cyclic(struct maple_tree *mt, struct model *m, gfp_t gfp)
{
	unsigned long start = 0, next = first_of(90);
	int ret;

	ret = mtree_alloc_cyclic(mt, &start, xa_mk_value(9), 1, ULONG_MAX,
				 &next, gfp);
	if (ret >= 0)
		model_store(m, start, start, xa_mk_value(9));
	return ret < 0 ? ret : 0;
}
#define OP_ALLOC_CYCLIC	op_alloc_cyclic
#else
#define OP_ALLOC_CYCLIC	NULL
#endif

static const struct sweep sweeps[] = {
	{ "exact overwrite", 0, 300, op_exact },
	{ "split into three", 0, 300, op_split3 },
	{ "append", 0, 300, op_append },
	{ "store into a gap", MT_FLAGS_ALLOC_RANGE, 16, op_gap },
	{ "exact overwrite, RCU", MT_FLAGS_USE_RCU, 300, op_exact },
	{ "store into a gap, RCU", MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
	  300, op_gap },
	{ "erase, RCU", MT_FLAGS_USE_RCU, 300, op_erase },
	{ "spanning store, RCU", MT_FLAGS_USE_RCU, 1000, op_spanning },
	{ "spanning store", 0, 1000, op_spanning },
	{ "spanning NULL store", MT_FLAGS_ALLOC_RANGE, 1000, op_spanning_null },
	{ "erase", 0, 300, op_erase },
	{ "insert", MT_FLAGS_ALLOC_RANGE, 300, op_insert },
	{ "preallocate + store_prealloc", 0, 1000, op_prealloc, NULL,
	  SWEEP_RWSEM_BLOCKING },
	{ "expected entries (bulk)", 0, 0, OP_BULK, "mas_expected_entries",
	  SWEEP_RWSEM },
	{ "alloc_range", MT_FLAGS_ALLOC_RANGE, 300, op_alloc_range },
	{ "alloc_cyclic", MT_FLAGS_ALLOC_RANGE, 300, OP_ALLOC_CYCLIC,
	  "mtree_alloc_cyclic" },
};

static unsigned long assertions_failed(void)
{
	return atomic_read(&maple_tree_tests_run) -
	       atomic_read(&maple_tree_tests_passed);
}

/* Sweep one operation with one gfp; return the failure points tried. */
static unsigned long sweep_one(struct check_ctx *ctx, const struct sweep *s,
			       gfp_t gfp, const char *gfp_name)
{
	struct maple_tree mt;
	struct model before, after;
	unsigned long k, n, bad;
	char why[160];
	long base;
	bool fired;
	int ret;

	rcu_barrier();
	base = nr_allocated;
	for (k = 0; ; k++) {
		build_base(&mt, &before, s, sweep_rwsem(s, gfp));
		model_init(&after);
		for (n = 0; n < before.nr; n++)
			model_store(&after, before.ranges[n].first,
				    before.ranges[n].last, before.ranges[n].entry);
		if (gfp == GFP_NOWAIT)
			mt_set_non_kernel(100000);
		harness_fail_nth_alloc(k);
		ret = s->op(&mt, &after, gfp);
		fired = !harness_fail_pending();
		harness_fail_nth_alloc(-1);
		mt_set_non_kernel(0);

		if (ret == -ENOMEM) {
			CHECK(ctx, &mt, fired, "%s (%s): -ENOMEM with no failure "
			      "injected", s->name, gfp_name);
			CHECK(ctx, &mt, check_tree_matches(&mt, &before, why,
						     sizeof(why)),
			      "%s (%s), failure at allocation %lu: -ENOMEM but "
			      "the tree changed: %s", s->name, gfp_name, k, why);
		} else {
			CHECK(ctx, &mt, ret == 0, "%s (%s), failure at "
			      "allocation %lu: returned %d", s->name, gfp_name,
			      k, ret);
			CHECK(ctx, &mt, check_tree_matches(&mt, &after, why,
						     sizeof(why)),
			      "%s (%s), failure at allocation %lu: wrong "
			      "content after success: %s", s->name, gfp_name,
			      k, why);
		}
		bad = assertions_failed();
		harness_quiet = !ctx->verbose;
		sweep_lock(&mt);
		mt_validate(&mt);
		sweep_unlock(&mt);
		harness_quiet = 0;
		CHECK(ctx, NULL, assertions_failed() == bad,
		      "%s (%s), failure at allocation %lu: mt_validate failed",
		      s->name, gfp_name, k);
		destroy_base(&mt);
		model_destroy(&before);
		model_destroy(&after);
		rcu_barrier();
		if (!CHECK(ctx, NULL, nr_allocated == base,
			   "%s (%s), failure at allocation %lu: %ld objects "
			   "leaked", s->name, gfp_name, k, nr_allocated - base))
			base = nr_allocated;	/* report each leak once */
		if (!fired)
			break;		/* the operation ran out of allocations */
		if (!CHECK(ctx, NULL, k < 10000, "%s: sweep does not end",
			   s->name))
			break;
	}
	return k;
}

static void check_failure_sweep(struct check_ctx *ctx)
{
	unsigned long points = 0, n;
	size_t i, ran = 0;

	for (i = 0; i < ARRAY_SIZE(sweeps); i++) {
		if (!sweeps[i].op) {
			check_skip_part(ctx, "%s: %s has no %s()",
					sweeps[i].name, SUBJECT_NAME,
					sweeps[i].needs);
			continue;
		}
		ran++;
		n = sweep_one(ctx, &sweeps[i], GFP_KERNEL, "GFP_KERNEL");
		n += sweep_one(ctx, &sweeps[i], GFP_NOWAIT, "GFP_NOWAIT");
		if (ctx->verbose)
			printf("  %-30s %4lu failure points\n", sweeps[i].name, n);
		points += n;
	}
	if (ctx->verbose)
		printf("  %lu failure points in %zu operations, each with "
		       "GFP_KERNEL and GFP_NOWAIT\n", points, ran);
	if (erase_kept)
		printf("  %s: kernel misbehaviour reproduced %lu times: "
		       "mtree_erase() returned the entry but kept it\n",
		       ctx->name, erase_kept);
	if (alloc_lost)
		printf("  %s: kernel misbehaviour reproduced %lu times: "
		       "mtree_alloc_range() returned 0 but stored nothing\n",
		       ctx->name, alloc_lost);
}
DEFINE_CHECK(check_failure_sweep,
	     "fail each allocation in turn in every write operation");
