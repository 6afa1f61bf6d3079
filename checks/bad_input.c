// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: a table of calls a caller gets wrong.  Each must return the
 * kernel's error code and leave the tree exactly as it was (compared range
 * by range with a snapshot, then validated).
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

struct bad_call {
	const char *what;
	unsigned int flags;		/* the tree's flags */
	long want;			/* expected return */
	long (*call)(struct maple_tree *mt);	/* NULL: the subject lacks @needs */
	const char *needs;		/* the optional API the row calls */
	bool empty_area_args;		/* Linux 6.1 answers otherwise */
};

/* A row calling an API the subject may lack (generated/subject-api.h). */
#ifdef HAVE_MTREE_ALLOC_CYCLIC
#define IF_ALLOC_CYCLIC(fn)	fn
#else
#define IF_ALLOC_CYCLIC(fn)	NULL
#endif
#ifdef HAVE_MTREE_DUP
#define IF_MTREE_DUP(fn)	fn
#else
#define IF_MTREE_DUP(fn)	NULL
#endif

static long store_inverted(struct maple_tree *mt)
{
	return mtree_store_range(mt, 20, 10, xa_mk_value(1), GFP_KERNEL);
}

static long store_retry_entry(struct maple_tree *mt)
{
	return mtree_store_range(mt, 500, 600, XA_RETRY_ENTRY, GFP_KERNEL);
}

static long store_internal_entry(struct maple_tree *mt)
{
	return mtree_store(mt, 500, xa_mk_internal(5), GFP_KERNEL);
}

static long insert_inverted(struct maple_tree *mt)
{
	return mtree_insert_range(mt, 600, 500, xa_mk_value(1), GFP_KERNEL);
}

static long insert_retry_entry(struct maple_tree *mt)
{
	return mtree_insert(mt, 500, XA_RETRY_ENTRY, GFP_KERNEL);
}

static long insert_occupied(struct maple_tree *mt)
{
	return mtree_insert(mt, 105, xa_mk_value(1), GFP_KERNEL);
}

static long insert_range_occupied(struct maple_tree *mt)
{
	return mtree_insert_range(mt, 95, 105, xa_mk_value(1), GFP_KERNEL);
}

static long empty_area_size0(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area(&ms, 0, 1000, 0);
	rcu_read_unlock();
	return ret;
}

static long empty_area_min_above_max(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area(&ms, 1000, 10, 5);
	rcu_read_unlock();
	return ret;
}

static long empty_area_window_small(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area(&ms, 300, 309, 11);
	rcu_read_unlock();
	return ret;
}

static long empty_area_rev_size0(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area_rev(&ms, 0, 1000, 0);
	rcu_read_unlock();
	return ret;
}

static long empty_area_rev_min_above_max(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area_rev(&ms, 1000, 10, 5);
	rcu_read_unlock();
	return ret;
}

static long empty_area_full(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 0, 0);
	long ret;


	rcu_read_lock();
	ret = mas_empty_area(&ms, 100, 199, 1);	/* all occupied */
	rcu_read_unlock();
	return ret;
}

static long alloc_range_size0(struct maple_tree *mt)
{
	unsigned long start;


	return mtree_alloc_range(mt, &start, xa_mk_value(1), 0, 0, 1000,
				 GFP_KERNEL);
}

static long alloc_range_not_alloc_tree(struct maple_tree *mt)
{
	unsigned long start;


	return mtree_alloc_range(mt, &start, xa_mk_value(1), 5, 0, 1000,
				 GFP_KERNEL);
}

static long alloc_range_retry_entry(struct maple_tree *mt)
{
	unsigned long start;


	return mtree_alloc_range(mt, &start, XA_RETRY_ENTRY, 5, 0, 1000,
				 GFP_KERNEL);
}

static long alloc_range_no_room(struct maple_tree *mt)
{
	unsigned long start;


	return mtree_alloc_range(mt, &start, xa_mk_value(1), 5, 100, 199,
				 GFP_KERNEL);
}

static long alloc_rrange_min_above_max(struct maple_tree *mt)
{
	unsigned long start;


	return mtree_alloc_rrange(mt, &start, xa_mk_value(1), 5, 1000, 10,
				  GFP_KERNEL);
}

#ifdef HAVE_MTREE_ALLOC_CYCLIC
static long alloc_cyclic_not_alloc_tree(struct maple_tree *mt)
{
	unsigned long start, next = 0;

	return mtree_alloc_cyclic(mt, &start, xa_mk_value(1), 0, 1000, &next,
				  GFP_KERNEL);
}
#endif

#ifdef HAVE_MTREE_DUP
static long dup_into_nonempty(struct maple_tree *mt)
{
	DEFINE_MTREE(other);
	long ret;

	mtree_store(&other, 3, xa_mk_value(3), GFP_KERNEL);
	ret = mtree_dup(mt, &other, GFP_KERNEL);
	if (mtree_load(&other, 3) != xa_mk_value(3))
		ret = -EFAULT;		/* the target was changed */
	mtree_destroy(&other);
	return ret;
}

static long dup_other_flags(struct maple_tree *mt)
{
	struct maple_tree other;
	long ret;

	mt_init_flags(&other, MT_FLAGS_ALLOC_RANGE);
	ret = mtree_dup(mt, &other, GFP_KERNEL);
	if (!mtree_empty(&other))
		ret = -EFAULT;
	mtree_destroy(&other);
	return ret;
}
#endif

static long mt_find_limit_below(struct maple_tree *mt)
{
	unsigned long index = 150;
	void *entry = mt_find(mt, &index, 120);

	return entry || index != 150 ? -EFAULT : 0;
}

static long mas_find_limit_below(struct maple_tree *mt)
{
	MA_STATE(ms, mt, 150, 150);
	void *entry;

	rcu_read_lock();
	ms.index = 250;	/* past everything up to the limit */
	ms.last = 250;
	entry = mas_find(&ms, 220);
	rcu_read_unlock();
	return entry ? -EFAULT : 0;
}

static long erase_empty_index(struct maple_tree *mt)
{
	return mtree_erase(mt, 5000) ? -EFAULT : 0;
}

#define ALLOC	MT_FLAGS_ALLOC_RANGE

static const struct bad_call bad_calls[] = {
	{ "mtree_store_range, index > last", 0, -EINVAL, store_inverted },
	{ "mtree_store_range, XA_RETRY_ENTRY", 0, -EINVAL, store_retry_entry },
	{ "mtree_store, internal entry", 0, -EINVAL, store_internal_entry },
	{ "mtree_insert_range, index > last", 0, -EINVAL, insert_inverted },
	{ "mtree_insert, XA_RETRY_ENTRY", 0, -EINVAL, insert_retry_entry },
	{ "mtree_insert, occupied index", 0, -EEXIST, insert_occupied },
	{ "mtree_insert_range, overlapping", 0, -EEXIST, insert_range_occupied },
	{ "mas_empty_area, size 0", ALLOC, -EINVAL, empty_area_size0,
	  .empty_area_args = true },
	{ "mas_empty_area, min > max", ALLOC, -EINVAL, empty_area_min_above_max,
	  .empty_area_args = true },
	{ "mas_empty_area, window < size", ALLOC, -EINVAL,
	  empty_area_window_small, .empty_area_args = true },
	{ "mas_empty_area, no gap", ALLOC, -EBUSY, empty_area_full },
	{ "mas_empty_area_rev, size 0", ALLOC, -EINVAL, empty_area_rev_size0,
	  .empty_area_args = true },
	{ "mas_empty_area_rev, min > max", ALLOC, -EINVAL,
	  empty_area_rev_min_above_max, .empty_area_args = true },
	{ "mtree_alloc_range, size 0", ALLOC, -EINVAL, alloc_range_size0 },
	{ "mtree_alloc_range, not an allocation tree", 0, -EINVAL,
	  alloc_range_not_alloc_tree },
	{ "mtree_alloc_range, XA_RETRY_ENTRY", ALLOC, -EINVAL,
	  alloc_range_retry_entry },
	{ "mtree_alloc_range, no room", ALLOC, -EBUSY, alloc_range_no_room },
	{ "mtree_alloc_rrange, min > max", ALLOC, -EINVAL,
	  alloc_rrange_min_above_max },
	{ "mtree_alloc_cyclic, not an allocation tree", 0, -EINVAL,
	  IF_ALLOC_CYCLIC(alloc_cyclic_not_alloc_tree), "mtree_alloc_cyclic" },
	{ "mtree_dup into a non-empty tree", 0, -EINVAL,
	  IF_MTREE_DUP(dup_into_nonempty), "mtree_dup" },
	{ "mtree_dup between different flags", 0, -EINVAL,
	  IF_MTREE_DUP(dup_other_flags), "mtree_dup" },
	{ "mt_find, limit below the index", 0, 0, mt_find_limit_below },
	{ "mas_find, limit below the index", 0, 0, mas_find_limit_below },
	{ "mtree_erase, empty index", 0, 0, erase_empty_index },
};

/* Fill [100, 199] densely and a few ranges above, so "occupied" is clear. */
static void build(struct maple_tree *mt, unsigned int flags)
{
	unsigned long i;

	mt_init_flags(mt, flags);
	for (i = 100; i < 200; i += 10)
		mtree_store_range(mt, i, i + 9, xa_mk_value(i), GFP_KERNEL);
	for (i = 300; i < 3000; i += 100)
		mtree_store_range(mt, i, i + 49, xa_mk_value(i), GFP_KERNEL);
}

static void check_bad_input(struct check_ctx *ctx)
{
	struct maple_tree mt, snapshot;
	char why[160] = "";
	unsigned long failed;
	size_t i, ran = 0;
	long ret;

	check_expect_warnings(ctx);	/* refusing bad input may WARN */
	for (i = 0; i < ARRAY_SIZE(bad_calls); i++) {
		const struct bad_call *bc = &bad_calls[i];

		if (!bc->call) {
			check_skip_part(ctx, "%s: %s has no %s()", bc->what,
					SUBJECT_NAME, bc->needs);
			continue;
		}
		ran++;
		build(&mt, bc->flags);
		build(&snapshot, bc->flags);
		harness_quiet = !ctx->verbose;	/* kernels WARN on some */
		ret = bc->call(&mt);
		harness_quiet = 0;
#ifdef HARNESS_SUBJECT_KERNEL
		if (ret != bc->want && bc->empty_area_args) {
			/* Linux 6.1's checks: see check_empty_area_args. */
			printf("  %s: kernel misbehaviour reproduced: %s: "
			       "returned %ld, want %ld\n", ctx->name, bc->what,
			       ret, bc->want);
			ret = bc->want;
		}
#endif
		CHECK(ctx, &mt, ret == bc->want, "%s: returned %ld, want %ld",
		      bc->what, ret, bc->want);
		CHECK(ctx, &mt, check_same_ranges(&mt, &snapshot, why,
						  sizeof(why)),
		      "%s: the tree changed: %s", bc->what, why);
		failed = atomic_read(&maple_tree_tests_run) -
			 atomic_read(&maple_tree_tests_passed);
		mtree_lock(&mt);
		mt_validate(&mt);
		mtree_unlock(&mt);
		CHECK(ctx, &mt, failed == (unsigned long)(atomic_read(
			&maple_tree_tests_run) -
			atomic_read(&maple_tree_tests_passed)),
		      "%s: mt_validate failed", bc->what);
		mtree_destroy(&mt);
		mtree_destroy(&snapshot);
	}
	if (ctx->verbose)
		printf("  %zu bad calls refused\n", ran);
}
DEFINE_CHECK(check_bad_input,
	     "bad arguments get the kernel's error and change nothing");
