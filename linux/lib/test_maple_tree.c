// SPDX-License-Identifier: GPL-2.0+
/*
 * test_maple_tree.c: white-box tests of the maple project's own tree.
 *
 * Each check_*() drives one write shape or API contract and runs
 * mt_validate() after every write.  check_random() replays a seeded
 * sequence against a model that cannot be wrong (a sorted array of
 * ranges) and prints the seed and step of the first disagreement.
 *
 * Every MT_BUG_ON() counts one test; the module prints the tally at the
 * end and returns -EINVAL if any failed.
 */
#include <linux/maple_tree.h>	/* the tree under test */
#include <linux/module.h>	/* module_init() */
#include <linux/rwsem.h>	/* tr_mmap_lock */

/* Small distinct non-NULL entries that are not internal entries. */
#define VAL(n)		xa_mk_value(n)

static struct maple_tree tr;	/* the tree every check works on */
static struct rw_semaphore tr_mmap_lock;	/* tr's lock in tr_init_mm() */

/*
 * tr as the mm keeps mm_mt, locked by an rwsem of its own
 * (MT_FLAGS_LOCK_EXTERN), which the caller holds until tr_destroy_mm():
 * the lock for an API that allocates with GFP_KERNEL inside it, as
 * mas_expected_entries() does.  Under the tree's spinlock that would be a
 * sleep in atomic context.
 */
static void tr_init_mm(unsigned int flags)
{
	init_rwsem(&tr_mmap_lock);
	mt_init_flags(&tr, flags | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&tr, &tr_mmap_lock);
	down_write(&tr_mmap_lock);
}

static void tr_destroy_mm(void)
{
	__mt_destroy(&tr);
	up_write(&tr_mmap_lock);
}

/* Store under the tree's lock and validate the result. */
static int st(struct maple_tree *mt, unsigned long lo, unsigned long hi,
	      void *val)
{
	int ret = mtree_store_range(mt, lo, hi, val, GFP_KERNEL);

	mt_validate(mt);
	return ret;
}

/* Check [lo, hi] reads back as @val and nothing outside leaks in. */
static void expect_range(struct maple_tree *mt, unsigned long lo,
			 unsigned long hi, void *val)
{
	MA_STATE(ms, mt, lo, lo);
	void *got;

	rcu_read_lock();
	got = mas_walk(&ms);
	rcu_read_unlock();
	MT_BUG_ON(mt, got != val);
	if (val)
		MT_BUG_ON(mt, ms.index != lo || ms.last != hi);
	MT_BUG_ON(mt, mtree_load(mt, hi) != (xa_is_zero(val) ? NULL : val));
}

/* An empty tr, a lone val at 0 in ma_root, and back. */
static void check_root(void)
{
	MA_STATE(ms, &tr, 0, 0);

	mt_init(&tr);
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	MT_BUG_ON(&tr, mtree_load(&tr, 0) != NULL);
	MT_BUG_ON(&tr, st(&tr, 0, 0, VAL(1)));
	MT_BUG_ON(&tr, mt_height(&tr) != 0);
	MT_BUG_ON(&tr, mtree_load(&tr, 0) != VAL(1));
	MT_BUG_ON(&tr, mtree_load(&tr, 1) != NULL);
	/* a second val needs a leaf */
	MT_BUG_ON(&tr, st(&tr, 5, 9, VAL(2)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 5, 9, VAL(2));
	/* erasing it folds the tr back into ma_root */
	MT_BUG_ON(&tr, mtree_erase(&tr, 7) != VAL(2));
	mt_validate(&tr);
	MT_BUG_ON(&tr, mt_height(&tr) != 0);
	MT_BUG_ON(&tr, mtree_load(&tr, 0) != VAL(1));
	/* the walk of an index past the lone val */
	mas_set(&ms, 3);
	rcu_read_lock();
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, ms.index != 1 || ms.last != ULONG_MAX);
	rcu_read_unlock();
	MT_BUG_ON(&tr, mtree_erase(&tr, 0) != VAL(1));
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	/* XA_ZERO_ENTRY at 0 is internal: it needs a leaf, reads as NULL */
	MT_BUG_ON(&tr, st(&tr, 0, 0, XA_ZERO_ENTRY));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	MT_BUG_ON(&tr, mtree_load(&tr, 0) != NULL);
	mas_set(&ms, 0);
	rcu_read_lock();
	MT_BUG_ON(&tr, mas_walk(&ms) != XA_ZERO_ENTRY);
	rcu_read_unlock();
	mtree_destroy(&tr);
	MT_BUG_ON(&tr, !mtree_empty(&tr));
}

/* Bad input gets an error and changes nothing. */
static void check_bad_input(void)
{
	mt_init(&tr);
	MT_BUG_ON(&tr, st(&tr, 10, 20, VAL(1)));
	MT_BUG_ON(&tr, mtree_store_range(&tr, 9, 8, VAL(2), GFP_KERNEL) !=
		  -EINVAL);
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 9, 8, VAL(2), GFP_KERNEL) !=
		  -EINVAL);
	/* reserved entries are refused, with the tree's expected WARN_ON() */
#ifndef __KERNEL__
	harness_quiet = 1;
#endif
	MT_BUG_ON(&tr, mtree_store(&tr, 3, XA_RETRY_ENTRY, GFP_KERNEL) !=
		  -EINVAL);
	MT_BUG_ON(&tr, mtree_insert(&tr, 3, xa_mk_internal(5), GFP_KERNEL)
		  != -EINVAL);
#ifndef __KERNEL__
	harness_quiet = 0;
#endif
	/* insert refuses any overlap, also at either end and across */
	MT_BUG_ON(&tr, mtree_insert(&tr, 10, VAL(3), GFP_KERNEL) != -EEXIST);
	MT_BUG_ON(&tr, mtree_insert(&tr, 20, VAL(3), GFP_KERNEL) != -EEXIST);
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 0, 10, VAL(3), GFP_KERNEL) !=
		  -EEXIST);
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 20, 30, VAL(3), GFP_KERNEL)
		  != -EEXIST);
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 0, ULONG_MAX, VAL(3),
					    GFP_KERNEL) != -EEXIST);
	mt_validate(&tr);
	expect_range(&tr, 10, 20, VAL(1));
	MT_BUG_ON(&tr, mtree_load(&tr, 9) || mtree_load(&tr, 21));
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 0, 9, VAL(4), GFP_KERNEL));
	MT_BUG_ON(&tr, mtree_insert_range(&tr, 21, ULONG_MAX, VAL(5),
					    GFP_KERNEL));
	mt_validate(&tr);
	expect_range(&tr, 0, 9, VAL(4));
	expect_range(&tr, 21, ULONG_MAX, VAL(5));
	mtree_destroy(&tr);
}

/* Overwrites inside one leaf: exact fit, split in two and in three. */
static void check_leaf_shapes(void)
{
	unsigned long i;

	mt_init(&tr);
	for (i = 0; i < 6; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, VAL(i)));
	/* exact overwrite */
	MT_BUG_ON(&tr, st(&tr, 20, 25, VAL(100)));
	expect_range(&tr, 20, 25, VAL(100));
	/* split one range in three */
	MT_BUG_ON(&tr, st(&tr, 22, 23, VAL(101)));
	expect_range(&tr, 20, 21, VAL(100));
	expect_range(&tr, 22, 23, VAL(101));
	expect_range(&tr, 24, 25, VAL(100));
	/* cover the start of one range and the end of another */
	MT_BUG_ON(&tr, st(&tr, 24, 31, VAL(102)));
	expect_range(&tr, 24, 31, VAL(102));
	expect_range(&tr, 32, 35, VAL(3));
	/* NULL stores merge with NULL neighbours: the gap is maximal */
	MT_BUG_ON(&tr, st(&tr, 40, 45, NULL));
	expect_range(&tr, 36, 49, NULL);
	{
		MA_STATE(ms, &tr, 44, 44);

		rcu_read_lock();
		MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
		MT_BUG_ON(&tr, ms.index != 36 || ms.last != 49);
		rcu_read_unlock();
	}
	/* append after the last range */
	MT_BUG_ON(&tr, st(&tr, 1000, 1000, VAL(103)));
	expect_range(&tr, 1000, 1000, VAL(103));
	mtree_destroy(&tr);
}

/* Fill leaves until they split, grow the root, then empty it again. */
static void check_split_and_shrink(unsigned int flags)
{
	unsigned long i, n = 2000;

	mt_init_flags(&tr, flags);
	for (i = 0; i < n; i++) {
		MT_BUG_ON(&tr, st(&tr, i * 4, i * 4 + 2, VAL(i)));
		if (i == 40)
			MT_BUG_ON(&tr, mt_height(&tr) < 2);
	}
	MT_BUG_ON(&tr, mt_height(&tr) < 3);
	for (i = 0; i < n; i++)
		expect_range(&tr, i * 4, i * 4 + 2, VAL(i));
	/* erase every other val: leaves underflow and rebalance */
	for (i = 0; i < n; i += 2) {
		MT_BUG_ON(&tr, mtree_erase(&tr, i * 4 + 1) != VAL(i));
		mt_validate(&tr);
	}
	for (i = 0; i < n; i++)
		MT_BUG_ON(&tr, mtree_load(&tr, i * 4 + 1) !=
			  (i & 1 ? VAL(i) : NULL));
	/* and the rest, from the top down: the root collapses */
	for (i = n; i-- > 0;) {
		if (!(i & 1))
			continue;
		MT_BUG_ON(&tr, mtree_erase(&tr, i * 4) != VAL(i));
		mt_validate(&tr);
	}
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	MT_BUG_ON(&tr, mt_height(&tr) != 0);
	mtree_destroy(&tr);
}

/* The first child of the root node of @mt. */
static void *root_child0(struct maple_tree *mt)
{
	void *top = rcu_access_pointer(mt->ma_root);
	struct maple_node *node;

	node = (struct maple_node *)((unsigned long)top & ~MAPLE_NODE_MASK);
	if (mt->ma_flags & MT_FLAGS_ALLOC_RANGE)
		return rcu_access_pointer(node->ma64.slot[0]);
	return rcu_access_pointer(node->mr64.slot[0]);
}

/*
 * A root leaf that overflows is cut in two under a new root.  Outside RCU
 * mode the old leaf stays in the tree as the left one (two new nodes, not
 * three); in RCU mode readers may be in it, so both leaves are new.
 */
static void check_split_root(unsigned int flags)
{
	bool rcu = flags & MT_FLAGS_USE_RCU;
	unsigned long i, half = MAPLE_RANGE64_SLOTS / 2;
	void *leaf;

	/* half as many values as slots, a NULL after each, fill the leaf */
	mt_init_flags(&tr, flags);
	for (i = 0; i < half; i++)
		MT_BUG_ON(&tr, st(&tr, i * 4, i * 4 + 2, VAL(i)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	leaf = rcu_access_pointer(tr.ma_root);
	MT_BUG_ON(&tr, st(&tr, half * 4, half * 4 + 2, VAL(half)));
	MT_BUG_ON(&tr, mt_height(&tr) != 2);
	MT_BUG_ON(&tr, (root_child0(&tr) == leaf) == rcu);
	for (i = 0; i <= half; i++)
		expect_range(&tr, i * 4, i * 4 + 2, VAL(i));
	/* the same split by an insert with a gap before it */
	mtree_destroy(&tr);
	mt_init_flags(&tr, flags);
	for (i = 0; i < half; i++)
		MT_BUG_ON(&tr, st(&tr, i * 4, i * 4 + 2, VAL(i)));
	leaf = rcu_access_pointer(tr.ma_root);
	MT_BUG_ON(&tr, mtree_insert_range(&tr, half * 4 + 8, half * 4 + 9,
					  VAL(10), GFP_KERNEL));
	mt_validate(&tr);
	MT_BUG_ON(&tr, mt_height(&tr) != 2);
	MT_BUG_ON(&tr, (root_child0(&tr) == leaf) == rcu);
	expect_range(&tr, half * 4 + 8, half * 4 + 9, VAL(10));
	mtree_destroy(&tr);
}

/* Stores that span leaves and levels, merging what they cover. */
static void check_spanning(unsigned int flags)
{
	unsigned long i, n = 3000;

	mt_init_flags(&tr, flags);
	for (i = 0; i < n; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, VAL(i)));
	/* across two leaves */
	MT_BUG_ON(&tr, st(&tr, 53, 257, VAL(9000)));
	expect_range(&tr, 53, 257, VAL(9000));
	expect_range(&tr, 50, 52, VAL(5));
	expect_range(&tr, 258, 259, NULL);
	expect_range(&tr, 260, 265, VAL(26));
	/* across many leaves and an internal level */
	MT_BUG_ON(&tr, st(&tr, 1001, 20004, VAL(9001)));
	expect_range(&tr, 1001, 20004, VAL(9001));
	expect_range(&tr, 1000, 1000, VAL(100));
	expect_range(&tr, 20005, 20005, VAL(2000));
	/* a NULL span that meets NULL on both sides */
	MT_BUG_ON(&tr, st(&tr, 20006, 25000, NULL));
	expect_range(&tr, 20006, 25009, NULL);
	/* everything at once: the tr becomes one range */
	MT_BUG_ON(&tr, st(&tr, 0, ULONG_MAX, VAL(9002)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 0, ULONG_MAX, VAL(9002));
	MT_BUG_ON(&tr, st(&tr, 0, ULONG_MAX, NULL));
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	/* rebuild and clear most of it, keeping the two ends */
	for (i = 0; i < n; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, VAL(i)));
	MT_BUG_ON(&tr, st(&tr, 6, (n - 1) * 10 - 1, NULL));
	expect_range(&tr, 0, 5, VAL(0));
	expect_range(&tr, (n - 1) * 10, (n - 1) * 10 + 5, VAL(n - 1));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	mtree_destroy(&tr);
}

/* Iteration: find, next, prev and their limits. */
static void check_iterate(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i, idx, n = 500;
	void *val;

	mt_init(&tr);
	for (i = 1; i <= n; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 3, VAL(i)));
	/* mas_for_each visits every val once, in order */
	i = 1;
	rcu_read_lock();
	mas_for_each(&ms, val, ULONG_MAX) {	/* forward */
		MT_BUG_ON(&tr, val != VAL(i));
		MT_BUG_ON(&tr, ms.index != i * 10 || ms.last != i * 10 + 3);
		i++;
	}
	MT_BUG_ON(&tr, i != n + 1);
	/* and backwards */
	mas_set(&ms, ULONG_MAX);	/* backward */
	i = n;
	while ((val = mas_find_rev(&ms, 0)) != NULL) {
		MT_BUG_ON(&tr, val != VAL(i));
		i--;
	}
	MT_BUG_ON(&tr, i != 0);
	/* mas_next stops at its limit with ma_overflow */
	mas_set(&ms, 100);
	MT_BUG_ON(&tr, mas_walk(&ms) != VAL(10));
	MT_BUG_ON(&tr, mas_next(&ms, 115) != VAL(11));
	MT_BUG_ON(&tr, mas_next(&ms, 115) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_overflow);
	/* overflow stands just past the last range seen */
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != VAL(11));
	MT_BUG_ON(&tr, mas_prev(&ms, 100) != VAL(10));
	MT_BUG_ON(&tr, mas_prev(&ms, 100) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	/* ranges, NULL included */
	mas_set(&ms, 104);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, ms.index != 104 || ms.last != 109);
	MT_BUG_ON(&tr, mas_next_range(&ms, ULONG_MAX) != VAL(11));
	MT_BUG_ON(&tr, mas_prev_range(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.index != 104 || ms.last != 109);
	/* pause, and resume past the last range seen */
	mas_set(&ms, 0);
	MT_BUG_ON(&tr, mas_find(&ms, ULONG_MAX) != VAL(1));
	mas_pause(&ms);
	MT_BUG_ON(&tr, mas_find(&ms, ULONG_MAX) != VAL(2));
	rcu_read_unlock();
	/* mt_find / mt_for_each skip the zero val */
	MT_BUG_ON(&tr, st(&tr, 25, 25, XA_ZERO_ENTRY));
	idx = 0;
	i = 0;
	mt_for_each(&tr, val, idx, ULONG_MAX) {
		MT_BUG_ON(&tr, xa_is_zero(val));
		i++;
	}
	MT_BUG_ON(&tr, i != n);
	MT_BUG_ON(&tr, mt_next(&tr, 10, ULONG_MAX) != VAL(2));
	MT_BUG_ON(&tr, mt_prev(&tr, 30, 0) != XA_ZERO_ENTRY);
	mtree_destroy(&tr);
}

/*
 * Entry i of the many-leaf trees below: [i * 16 + 1, i * 16 + 1 + i % 9],
 * so that every entry has a NULL gap on each side and the leaves end at
 * values, gaps and everything between.
 */
static unsigned long leaves_lo(unsigned long i)
{
	return i * 16 + 1;
}

static unsigned long leaves_hi(unsigned long i)
{
	return leaves_lo(i) + i % 9;
}

/*
 * Iteration across many leaves, both ways, values only and NULL ranges
 * too: every step's range checked, a turn every few steps, a limit inside
 * a later leaf, then every value replaced through the iterating state.
 */
static void check_iterate_leaves(unsigned int flags)
{
	unsigned long i, n = 3000, lo;
	MA_STATE(ms, &tr, 0, 0);
	void *val;

	mt_init_flags(&tr, flags);
	for (i = 0; i < n; i++)
		MT_BUG_ON(&tr, st(&tr, leaves_lo(i), leaves_hi(i), VAL(i)));
	MT_BUG_ON(&tr, mt_height(&tr) < 3);
	rcu_read_lock();
	/* mas_next: each value in order, with its exact range */
	mas_set(&ms, 0);
	for (i = 0; i < n; i++) {
		val = mas_next(&ms, ULONG_MAX);
		MT_BUG_ON(&tr, val != VAL(i));
		MT_BUG_ON(&tr, ms.index != leaves_lo(i) ||
			       ms.last != leaves_hi(i));
		if (i % 7 == 3 && i + 1 < n) {
			/* turn round, and back: the same value again */
			MT_BUG_ON(&tr, i && mas_prev(&ms, 0) != VAL(i - 1));
			MT_BUG_ON(&tr, i && mas_next(&ms, ULONG_MAX) != VAL(i));
			MT_BUG_ON(&tr, ms.index != leaves_lo(i));
		}
	}
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != NULL);
	/* mas_prev from the top: each value in reverse */
	mas_set(&ms, ULONG_MAX);
	for (i = n; i-- > 0;) {
		val = mas_prev(&ms, 0);
		MT_BUG_ON(&tr, val != VAL(i));
		MT_BUG_ON(&tr, ms.index != leaves_lo(i) ||
			       ms.last != leaves_hi(i));
	}
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != NULL);
	/* mas_next_range: the gaps are ranges of their own */
	mas_set(&ms, 0);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL || ms.last != leaves_lo(0) - 1);
	for (i = 0; i < n; i++) {
		MT_BUG_ON(&tr, mas_next_range(&ms, ULONG_MAX) != VAL(i));
		MT_BUG_ON(&tr, ms.index != leaves_lo(i));
		MT_BUG_ON(&tr, mas_next_range(&ms, ULONG_MAX) != NULL);
		MT_BUG_ON(&tr, ms.index != leaves_hi(i) + 1);
	}
	/* and backwards, from the last gap */
	for (i = n; i-- > 0;) {
		MT_BUG_ON(&tr, mas_prev_range(&ms, 0) != VAL(i));
		MT_BUG_ON(&tr, ms.last != leaves_hi(i));
		MT_BUG_ON(&tr, mas_prev_range(&ms, 0) != NULL);
		MT_BUG_ON(&tr, ms.last != leaves_lo(i) - 1);
	}
	/* mas_find_rev with a floor inside an earlier leaf */
	mas_set(&ms, leaves_hi(n - 1));
	lo = leaves_lo(n - 200);
	for (i = n; i-- > n - 200;)
		MT_BUG_ON(&tr, mas_find_rev(&ms, lo) != VAL(i));
	MT_BUG_ON(&tr, mas_find_rev(&ms, lo) != NULL);
	/* mas_find with a ceiling inside a later leaf */
	mas_set(&ms, 0);
	for (i = 0; i < 200; i++)
		MT_BUG_ON(&tr, mas_find(&ms, leaves_lo(199)) != VAL(i));
	MT_BUG_ON(&tr, mas_find(&ms, leaves_lo(199)) != NULL);
	rcu_read_unlock();

	/* replace every value through the state that found it */
	mtree_lock(&tr);
	mas_set(&ms, 0);
	i = 0;
	mas_for_each(&ms, val, ULONG_MAX) {
		MT_BUG_ON(&tr, val != VAL(i));
		mas_store(&ms, VAL(i + n));
		MT_BUG_ON(&tr, mas_is_err(&ms));
		i++;
	}
	mtree_unlock(&tr);
	MT_BUG_ON(&tr, i != n);
	mt_validate(&tr);
	for (i = 0; i < n; i++)
		expect_range(&tr, leaves_lo(i), leaves_hi(i), VAL(i + n));
	mtree_destroy(&tr);
}

/*
 * A bulk load of values with gaps (a process's VMAs): the tree it leaves
 * is valid, holds them all, and in an allocation tree finds its gaps.
 */
static void check_bulk_gaps(unsigned int flags)
{
	unsigned long i, n = 3000;
	MA_STATE(ms, &tr, 0, 0);

	tr_init_mm(flags);
	MT_BUG_ON(&tr, mas_expected_entries(&ms, n));
	for (i = 0; i < n; i++) {
		mas_set_range(&ms, leaves_lo(i), leaves_hi(i));
		mas_store(&ms, VAL(i));
		MT_BUG_ON(&tr, mas_is_err(&ms));
	}
	mas_destroy(&ms);
	mt_validate(&tr);
	for (i = 0; i < n; i++)
		expect_range(&tr, leaves_lo(i), leaves_hi(i), VAL(i));
	if (flags & MT_FLAGS_ALLOC_RANGE) {
		/* the first gap of 15 indices follows entry 0 (a single index) */
		mas_reset(&ms);
		rcu_read_lock();
		MT_BUG_ON(&tr, mas_empty_area(&ms, 0, ULONG_MAX, 15));
		rcu_read_unlock();
		MT_BUG_ON(&tr, ms.index != leaves_hi(0) + 1);
	}
	tr_destroy_mm();
}

/* -ENOMEM changes nothing; mas_nomem() then succeeds. */
static void check_nomem(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i;
	int ret;

	mt_init(&tr);
	for (i = 0; i < 200; i++)
		MT_BUG_ON(&tr, st(&tr, i * 3, i * 3 + 1, VAL(i)));
	mt_set_non_kernel(0);
	mtree_lock(&tr);
	mas_set_range(&ms, 50, 400);
	mas_store(&ms, VAL(7777));
	MT_BUG_ON(&tr, !mas_is_err(&ms));
	MT_BUG_ON(&tr, xa_err(ms.node) != -ENOMEM);
	mtree_unlock(&tr);
	mt_validate(&tr);
	for (i = 0; i < 200; i++)
		MT_BUG_ON(&tr, mtree_load(&tr, i * 3) != VAL(i));
	mtree_lock(&tr);
	MT_BUG_ON(&tr, !mas_nomem(&ms, GFP_KERNEL));
	mas_set_range(&ms, 50, 400);
	mas_store(&ms, VAL(7777));
	MT_BUG_ON(&tr, mas_is_err(&ms));
	mtree_unlock(&tr);
	mt_validate(&tr);
	expect_range(&tr, 50, 400, VAL(7777));
	/* GFP_NOWAIT through the simple API fails cleanly (RCU: must copy) */
	mt_set_in_rcu(&tr);
	ret = mtree_store_range(&tr, 1000, 2000, VAL(1), GFP_NOWAIT);
	MT_BUG_ON(&tr, ret != -ENOMEM);
	MT_BUG_ON(&tr, mtree_load(&tr, 1500));
	mt_validate(&tr);
	mtree_destroy(&tr);
}

/* mas_preallocate() covers the store; mas_store_prealloc() never allocates. */
static void check_prealloc(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i, before;

	mt_init(&tr);
	for (i = 0; i < 300; i++)
		MT_BUG_ON(&tr, st(&tr, i * 5, i * 5 + 3, VAL(i)));
	mtree_lock(&tr);
	mas_set_range(&ms, 7, 1203);
	/* under the spinlock: may not sleep */
	mt_set_non_kernel(1000);
	MT_BUG_ON(&tr, mas_preallocate(&ms, VAL(5555), GFP_NOWAIT));
	mt_set_non_kernel(0);
	before = mt_nr_allocated();
	mas_store_prealloc(&ms, VAL(5555));
	MT_BUG_ON(&tr, mas_is_err(&ms));
	MT_BUG_ON(&tr, mt_nr_allocated() > before);
	mtree_unlock(&tr);
	mt_validate(&tr);
	expect_range(&tr, 7, 1203, VAL(5555));
	/* preallocate then give up: mas_destroy() returns every node */
	mtree_lock(&tr);
	before = mt_nr_allocated();
	mas_set_range(&ms, 2, 2);
	mt_set_non_kernel(1000);
	MT_BUG_ON(&tr, mas_preallocate(&ms, VAL(1), GFP_NOWAIT));
	mt_set_non_kernel(0);
	mas_destroy(&ms);
	MT_BUG_ON(&tr, mt_nr_allocated() != before);
	mtree_unlock(&tr);
	mtree_destroy(&tr);
}

/* Bulk loading with mas_expected_entries(). */
static void check_bulk(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i, n = 1000;

	tr_init_mm(0);
	MT_BUG_ON(&tr, mas_expected_entries(&ms, n));
	for (i = 0; i < n; i++) {
		mas_set_range(&ms, i * 2, i * 2);
		mas_store(&ms, VAL(i));
		MT_BUG_ON(&tr, mas_is_err(&ms));
	}
	mas_destroy(&ms);
	mt_validate(&tr);
	for (i = 0; i < n; i++)
		MT_BUG_ON(&tr, mtree_load(&tr, i * 2) != VAL(i));
	tr_destroy_mm();
}

/* RCU mode: the same shapes, copy-on-write. */
static void check_rcu_mode(void)
{
	unsigned long i;

	mt_init_flags(&tr, MT_FLAGS_USE_RCU);
	for (i = 0; i < 1000; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, VAL(i)));
	MT_BUG_ON(&tr, st(&tr, 5, 5, VAL(9999)));	/* slot swap */
	MT_BUG_ON(&tr, st(&tr, 33, 4444, VAL(9998)));
	for (i = 0; i < 1000; i += 3)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, NULL));
	mt_clear_in_rcu(&tr);
	MT_BUG_ON(&tr, st(&tr, 0, 9999, NULL));
	mt_set_in_rcu(&tr);
	MT_BUG_ON(&tr, st(&tr, 0, 9999, VAL(1)));
	mtree_destroy(&tr);
}

/* Allocation trees: gaps, empty areas and allocating ranges. */
static void check_alloc(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i, start, next = 0;

	mt_init_flags(&tr, MT_FLAGS_ALLOC_RANGE);	/* gaps */
	for (i = 0; i < 500; i++)
		MT_BUG_ON(&tr, st(&tr, i * 100, i * 100 + 89, VAL(i)));
	/* the holes are 10 long */
	rcu_read_lock();
	MT_BUG_ON(&tr, mas_empty_area(&ms, 0, 100000, 10));
	MT_BUG_ON(&tr, ms.index != 90 || ms.last != 99);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area(&ms, 0, 49999, 11) != -EBUSY);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area_rev(&ms, 0, 49000, 10));
	MT_BUG_ON(&tr, ms.index != 48990 || ms.last != 48999);
	rcu_read_unlock();
	MT_BUG_ON(&tr, mtree_alloc_range(&tr, &start, VAL(1), 5, 1000,
					   5000, GFP_KERNEL));
	MT_BUG_ON(&tr, start != 1090);
	mt_validate(&tr);
	MT_BUG_ON(&tr, mtree_alloc_rrange(&tr, &start, VAL(2), 10, 0,
					    ULONG_MAX, GFP_KERNEL));
	MT_BUG_ON(&tr, start != ULONG_MAX - 9);
	mt_validate(&tr);
	MT_BUG_ON(&tr, mtree_alloc_range(&tr, &start, VAL(3), 100, 0,
					   40000, GFP_KERNEL) != -EBUSY);
	for (i = 0; i < 3; i++) {
		MT_BUG_ON(&tr, mtree_alloc_cyclic(&tr, &start, VAL(4),
						    50000, 50010, &next,
						    GFP_KERNEL) < 0);
		MT_BUG_ON(&tr, start != 50000 + i);
	}
	mt_validate(&tr);
	mtree_destroy(&tr);
}

/* __mt_dup() copies node for node. */
static void check_dup(void)
{
	struct maple_tree copy;
	unsigned long i;

	mt_init_flags(&tr, MT_FLAGS_ALLOC_RANGE);	/* gaps */
	mt_init_flags(&copy, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < 700; i++)
		MT_BUG_ON(&tr, st(&tr, i * 7, i * 7 + 2, VAL(i)));
	/* mtree_dup() allocates under both trees' spinlocks */
	mt_set_non_kernel(100000);
	MT_BUG_ON(&tr, mtree_dup(&tr, &copy, GFP_NOWAIT));
	mt_set_non_kernel(0);
	mt_validate(&copy);
	for (i = 0; i < 700; i++)
		MT_BUG_ON(&copy, mtree_load(&copy, i * 7 + 1) != VAL(i));
	MT_BUG_ON(&copy, mt_height(&copy) != mt_height(&tr));
	mtree_destroy(&copy);
	mtree_destroy(&tr);
}

/* ------------------------------------------------ iterator states */

/* Ranges [i * 10, i * 10 + 3] = VAL(i) for i in 1..@n, NULL between. */
static void fill_tens(unsigned long n)
{
	unsigned long i;

	for (i = 1; i <= n; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 3, VAL(i)));
}

/* Is @ms on [@lo, @hi] with status @status? */
static bool ms_at(const struct ma_state *ms, enum maple_status status,
		  unsigned long lo, unsigned long hi)
{
	return ms->status == status && ms->index == lo && ms->last == hi;
}

/* Leave @ms on V11 [110, 113] in ma_overflow (hi_lim 112 reached). */
static void overflow_at_v11(struct ma_state *ms)
{
	mas_set(ms, 100);
	MT_BUG_ON(&tr, mas_walk(ms) != VAL(10));
	MT_BUG_ON(&tr, mas_next(ms, 112) != VAL(11));
	MT_BUG_ON(&tr, mas_next(ms, 112) != NULL);
	MT_BUG_ON(&tr, !ms_at(ms, ma_overflow, 110, 113));
}

/* Leave @ms on V10 [100, 103] in ma_underflow (lo_lim 100 reached). */
static void underflow_at_v10(struct ma_state *ms)
{
	mas_set(ms, 101);
	MT_BUG_ON(&tr, mas_walk(ms) != VAL(10));
	MT_BUG_ON(&tr, mas_prev(ms, 100) != NULL);
	MT_BUG_ON(&tr, !ms_at(ms, ma_underflow, 100, 103));
}

/* mas_next/prev/find/find_rev from ma_overflow and ma_underflow. */
static void check_iter_limits(void)
{
	MA_STATE(ms, &tr, 0, 0);

	mt_init(&tr);
	fill_tens(50);
	rcu_read_lock();

	/* next after an underflow: the range it stands on comes first */
	underflow_at_v10(&ms);
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != VAL(10));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 100, 103));
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != VAL(11));
	/* the same after an underflow on a NULL range: it is skipped */
	mas_set(&ms, 105);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, mas_prev_range(&ms, 104) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_underflow, 104, 109));
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != VAL(11));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 110, 113));

	/* prev after an overflow on an entry gives that entry */
	overflow_at_v11(&ms);
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != VAL(11));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 110, 113));
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != VAL(10));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 100, 103));

	/* find after an overflow: nothing while at the limit, else resumes */
	overflow_at_v11(&ms);
	MT_BUG_ON(&tr, mas_find(&ms, 112) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_overflow);
	MT_BUG_ON(&tr, mas_find(&ms, 200) != VAL(11));
	MT_BUG_ON(&tr, mas_find(&ms, 200) != VAL(12));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 120, 123));
	/* an overflow on a NULL range resumes with the next entry */
	mas_set(&ms, 110);
	MT_BUG_ON(&tr, mas_walk(&ms) != VAL(11));
	MT_BUG_ON(&tr, mas_next(&ms, 115) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_overflow, 114, 119));
	MT_BUG_ON(&tr, mas_find(&ms, 200) != VAL(12));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 120, 123));

	/* find after an underflow: past the limit it becomes an overflow */
	underflow_at_v10(&ms);
	MT_BUG_ON(&tr, mas_find(&ms, 50) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_overflow);
	underflow_at_v10(&ms);
	MT_BUG_ON(&tr, mas_find(&ms, ULONG_MAX) != VAL(10));
	MT_BUG_ON(&tr, mas_find(&ms, ULONG_MAX) != VAL(11));
	mas_set(&ms, 106);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, mas_prev_range(&ms, 100) != VAL(10));
	MT_BUG_ON(&tr, mas_prev_range(&ms, 100) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_underflow, 100, 103));
	mas_set(&ms, 107);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, mas_prev(&ms, 105) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_underflow, 104, 109));
	MT_BUG_ON(&tr, mas_find(&ms, 300) != VAL(11));

	/* find_rev after an overflow: at the limit an underflow, else back */
	overflow_at_v11(&ms);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 110) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_underflow, 110, 113));
	overflow_at_v11(&ms);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != VAL(10));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 100, 103));
	/* find_rev after an underflow: stays at the limit, else goes on */
	underflow_at_v10(&ms);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 100) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != VAL(9));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 90, 93));

	/* a paused state at the lower limit underflows */
	mas_set(&ms, 100);
	MT_BUG_ON(&tr, mas_walk(&ms) != VAL(10));
	mas_pause(&ms);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 100) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	mas_set(&ms, 100);
	MT_BUG_ON(&tr, mas_walk(&ms) != VAL(10));
	mas_pause(&ms);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != VAL(9));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 90, 93));
	/* a fresh state below the lower limit finds nothing */
	mas_set(&ms, 5);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 10) != NULL);
	mas_set(&ms, 1000);
	MT_BUG_ON(&tr, mas_find(&ms, 999) != NULL);

	rcu_read_unlock();
	mtree_destroy(&tr);
}

/* mas_find_range() and mas_find_range_rev(): NULL ranges are ranges. */
static void check_find_ranges(void)
{
	MA_STATE(ms, &tr, 104, 104);
	unsigned long idx;

	mt_init(&tr);
	fill_tens(50);
	rcu_read_lock();
	/* the first call skips a NULL range at the start, as mas_find() */
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != VAL(11));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 110, 113));
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 114, 119));
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != VAL(12));
	MT_BUG_ON(&tr, mas_find_range(&ms, 125) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 124, 129));
	/* at the limit: nothing more, @ms stays */
	MT_BUG_ON(&tr, mas_find_range(&ms, 125) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 124, 129));
	/* the last range runs to ULONG_MAX */
	mas_set(&ms, 500);
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != VAL(50));
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 504, ULONG_MAX));
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != NULL);

	/* and backwards */
	mas_set(&ms, 108);
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != VAL(10));
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 100, 103));
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 94, 99));
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != VAL(9));
	mas_set(&ms, 12);
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != VAL(1));
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_active, 0, 9));
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	mas_set(&ms, 3);
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 5) != NULL);
	rcu_read_unlock();

	/* mt_find_after() stops once the index wrapped to 0 */
	idx = 0;
	MT_BUG_ON(&tr, mt_find_after(&tr, &idx, ULONG_MAX) != NULL);
	idx = 15;
	MT_BUG_ON(&tr, mt_find_after(&tr, &idx, ULONG_MAX) != VAL(2));
	MT_BUG_ON(&tr, idx != 24);
	idx = 501;
	MT_BUG_ON(&tr, mt_find_after(&tr, &idx, ULONG_MAX) != VAL(50));
	MT_BUG_ON(&tr, idx != 504);
	MT_BUG_ON(&tr, mt_find_after(&tr, &idx, ULONG_MAX) != NULL);
	idx = 30;
	MT_BUG_ON(&tr, mt_find(&tr, &idx, 20) != NULL);
	MT_BUG_ON(&tr, idx != 30);
	mtree_destroy(&tr);
}

/* Iterators and the write API on a state holding an error. */
static void check_error_state(void)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long before, start, next = 0;

	mt_init(&tr);
	fill_tens(100);
	rcu_barrier();		/* earlier tests' nodes in a grace period count */
	before = mt_nr_allocated();
	/* a spanning store that must allocate, with no memory to be had */
	mtree_lock(&tr);
	mt_set_non_kernel(0);
	mas_set_range(&ms, 15, 555);
	MT_BUG_ON(&tr, mas_store(&ms, VAL(1)) != NULL);
	MT_BUG_ON(&tr, !mas_is_err(&ms) || xa_err(ms.node) != -ENOMEM);
	/* every iterator leaves the error alone */
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_error);
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_error);
	MT_BUG_ON(&tr, mas_find(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_error);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_error);
	MT_BUG_ON(&tr, mas_find_range(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, mas_find_range_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_error);
	/* giving up after -ENOMEM releases the request, not the error */
	mas_destroy(&ms);
	MT_BUG_ON(&tr, ms.alloc != NULL);
	MT_BUG_ON(&tr, mt_nr_allocated() != before);
	MT_BUG_ON(&tr, !mas_is_err(&ms));
	/* so that mas_nomem() has no count: it gets one node */
	MT_BUG_ON(&tr, !mas_nomem(&ms, GFP_KERNEL));
	MT_BUG_ON(&tr, ms.status != ma_start || ms.node);
	MT_BUG_ON(&tr, mt_nr_allocated() != before + 1);
	mas_destroy(&ms);
	MT_BUG_ON(&tr, mt_nr_allocated() != before);
	/* mas_nomem() only answers -ENOMEM */
	MT_BUG_ON(&tr, mas_nomem(&ms, GFP_KERNEL));
	ms.node = MA_ERROR(-EINVAL);
	ms.status = ma_error;
	MT_BUG_ON(&tr, mas_nomem(&ms, GFP_KERNEL));
	MT_BUG_ON(&tr, ms.status != ma_error);
	/* index past last */
	ms.index = 20;
	ms.last = 10;
	ms.status = ma_start;
	MT_BUG_ON(&tr, mas_store_gfp(&ms, VAL(1), GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mas_preallocate(&ms, VAL(1), GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mt_nr_allocated() != before);
	/* a preallocation that cannot be had keeps nothing */
	mas_set_range(&ms, 15, 555);
	MT_BUG_ON(&tr, mas_preallocate(&ms, VAL(1), GFP_NOWAIT) != -ENOMEM);
	MT_BUG_ON(&tr, ms.alloc != NULL);
	MT_BUG_ON(&tr, mt_nr_allocated() != before);
	mtree_unlock(&tr);
	mt_validate(&tr);
	expect_range(&tr, 20, 23, VAL(2));
	expect_range(&tr, 550, 553, VAL(55));
	MT_BUG_ON(&tr, mtree_load(&tr, 15) != NULL);

	/* entries the allocating API refuses, and trees without gaps */
#ifndef __KERNEL__
	harness_quiet = 1;
#endif
	MT_BUG_ON(&tr, mtree_alloc_range(&tr, &start, VAL(1), 1, 0, 1000,
					 GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mtree_alloc_cyclic(&tr, &start, VAL(1), 0, 1000,
					  &next, GFP_KERNEL) != -EINVAL);
	mtree_destroy(&tr);
	mt_init_flags(&tr, MT_FLAGS_ALLOC_RANGE);
	MT_BUG_ON(&tr, mtree_alloc_range(&tr, &start, XA_RETRY_ENTRY, 1, 0,
					 1000, GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mtree_alloc_rrange(&tr, &start, XA_RETRY_ENTRY, 1, 0,
					  1000, GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mtree_alloc_cyclic(&tr, &start, XA_RETRY_ENTRY, 0,
					  1000, &next, GFP_KERNEL) != -EINVAL);
	MT_BUG_ON(&tr, mtree_alloc_cyclic(&tr, &start, xa_mk_internal(5), 0,
					  1000, &next, GFP_KERNEL) != -EINVAL);
#ifndef __KERNEL__
	harness_quiet = 0;
#endif
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	mtree_destroy(&tr);
}

/* ------------------------------------------------ a lone entry at 0 */

/* Iterators and searches on a tree that is only ma_root = @val at 0. */
static void check_root_iter(void)
{
	MA_STATE(ms, &tr, 5, 5);
	void *v7 = VAL(7);
	unsigned long idx = 0;

	mt_init(&tr);
	MT_BUG_ON(&tr, st(&tr, 0, 0, v7));
	MT_BUG_ON(&tr, mt_height(&tr) != 0);

	/* mt_find() reports the range [0, 0] */
	MT_BUG_ON(&tr, mt_find(&tr, &idx, 10) != v7);
	MT_BUG_ON(&tr, idx != 1);
	MT_BUG_ON(&tr, mt_find(&tr, &idx, 10) != NULL);

	rcu_read_lock();
	/* prev from above, with a lower limit above 0: nothing */
	MT_BUG_ON(&tr, mas_prev(&ms, 2) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_underflow, 0, 0));
	/* and without one: the entry */
	mas_set(&ms, 5);
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != v7);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_root, 0, 0));
	/* find_rev: the entry, then none; find from none restarts at 0 */
	mas_set(&ms, 0);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != v7);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_root, 0, 0));
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_none, 0, 0));
	MT_BUG_ON(&tr, mas_find(&ms, 10) != v7);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_root, 0, 0));
	MT_BUG_ON(&tr, mas_find(&ms, 10) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_none, 1, ULONG_MAX));
	MT_BUG_ON(&tr, mas_find(&ms, 10) != NULL);
	/* next from a none at 0 has nothing after [0, 0] */
	mas_set(&ms, 0);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != v7);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, mas_next(&ms, ULONG_MAX) != NULL);
	MT_BUG_ON(&tr, ms.index != 0 || ms.last != 0);
	/* find_rev from none at its lower limit stays none */
	mas_set(&ms, 3);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_none, 1, ULONG_MAX));
	MT_BUG_ON(&tr, mas_find_rev(&ms, 1) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_none);
	MT_BUG_ON(&tr, mas_find_rev(&ms, 0) != v7);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_root, 0, 0));

	/* empty areas skip index 0 */
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area(&ms, 0, 10, 3));
	MT_BUG_ON(&tr, ms.index != 1 || ms.last != 3);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area(&ms, 0, 2, 3) != -EBUSY);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area(&ms, 0, 0, 1) != -EBUSY);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area(&ms, 4, 10, 3));
	MT_BUG_ON(&tr, ms.index != 4 || ms.last != 6);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area_rev(&ms, 0, 10, 3));
	MT_BUG_ON(&tr, ms.index != 8 || ms.last != 10);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area_rev(&ms, 0, 2, 3) != -EBUSY);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area_rev(&ms, 0, 0, 1) != -EBUSY);
	mas_reset(&ms);
	MT_BUG_ON(&tr, mas_empty_area_rev(&ms, 4, 5, 2));
	MT_BUG_ON(&tr, ms.index != 4 || ms.last != 5);
	rcu_read_unlock();

	/* a NULL store above 0 leaves @ms in ma_root past index 0 */
	mtree_lock(&tr);
	mas_set_range(&ms, 5, 10);
	MT_BUG_ON(&tr, mas_store(&ms, NULL) != NULL);
	MT_BUG_ON(&tr, mas_is_err(&ms));
	MT_BUG_ON(&tr, ms.status != ma_root || !ms.index);
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != v7);
	MT_BUG_ON(&tr, !ms_at(&ms, ma_root, 0, 0));
	MT_BUG_ON(&tr, mas_prev(&ms, 0) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	mtree_unlock(&tr);
	mt_validate(&tr);
	MT_BUG_ON(&tr, mt_height(&tr) != 0);
	MT_BUG_ON(&tr, mtree_load(&tr, 0) != v7);
	mtree_destroy(&tr);
}

/* Root leaves of two ranges, where [0, 0] may or may not go to ma_root. */
static void check_root_leaf_shapes(unsigned int flags)
{
	mt_init_flags(&tr, flags);
	/* a lone entry, then everything above it: a leaf of two */
	MT_BUG_ON(&tr, st(&tr, 0, 0, VAL(1)));
	MT_BUG_ON(&tr, st(&tr, 1, ULONG_MAX, VAL(2)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 0, 0, VAL(1));
	expect_range(&tr, 1, ULONG_MAX, VAL(2));
	/* swap the upper entry (no tail append: RCU or gaps) */
	MT_BUG_ON(&tr, st(&tr, 1, ULONG_MAX, VAL(3)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 1, ULONG_MAX, VAL(3));
	expect_range(&tr, 0, 0, VAL(1));
	/* erase the lower one: a NULL [0, 0] stays in the leaf */
	MT_BUG_ON(&tr, st(&tr, 0, 0, NULL));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 0, 0, NULL);
	expect_range(&tr, 1, ULONG_MAX, VAL(3));
	/* and the upper one: the tree empties */
	MT_BUG_ON(&tr, mtree_erase(&tr, 1) != VAL(3));
	mt_validate(&tr);
	MT_BUG_ON(&tr, !mtree_empty(&tr));
	/* an exact overwrite in a root leaf of two */
	MT_BUG_ON(&tr, st(&tr, 0, 5, VAL(4)));
	MT_BUG_ON(&tr, st(&tr, 0, 5, VAL(5)));
	expect_range(&tr, 0, 5, VAL(5));
	expect_range(&tr, 6, ULONG_MAX, NULL);
	/* one entry over everything stays in a leaf */
	MT_BUG_ON(&tr, st(&tr, 0, ULONG_MAX, VAL(6)));
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 0, ULONG_MAX, VAL(6));
	MT_BUG_ON(&tr, st(&tr, 0, ULONG_MAX, VAL(7)));
	expect_range(&tr, 0, ULONG_MAX, VAL(7));
	/* a zero entry at 0 is internal: it keeps its leaf */
	MT_BUG_ON(&tr, st(&tr, 0, 0, XA_ZERO_ENTRY));
	MT_BUG_ON(&tr, st(&tr, 1, 5, VAL(8)));
	MT_BUG_ON(&tr, st(&tr, 6, ULONG_MAX, NULL));
	MT_BUG_ON(&tr, mtree_erase(&tr, 3) != VAL(8));
	mt_validate(&tr);
	MT_BUG_ON(&tr, mt_height(&tr) != 1);
	expect_range(&tr, 0, 0, XA_ZERO_ENTRY);
	expect_range(&tr, 1, ULONG_MAX, NULL);
	mtree_destroy(&tr);
}

/* ------------------------------------------------ mas_erase() gives up */

#ifndef __KERNEL__
static unsigned int fails_left;	/* allocations still to fail */

/* After a failed allocation: make the next one fail too. */
static void fail_again(void *unused)
{
	if (fails_left) {
		fails_left--;
		harness_fail_nth_alloc(0);
	}
}

/*
 * An erase cannot report -ENOMEM, and must never answer as if the entry
 * had not been there while leaving it: with every allocation that may fail
 * failing, it waits for memory (__GFP_NOFAIL, which no injected failure
 * touches), erases, and returns the entry.
 */
static void check_erase_waits(void)
{
	mt_init_flags(&tr, MT_FLAGS_USE_RCU);
	fill_tens(100);
	mt_set_non_kernel(0);
	fails_left = 1000;
	mt_set_callback(fail_again);
	harness_fail_nth_alloc(0);
	/* the erase merges NULL neighbours: in RCU mode, a new leaf */
	MT_BUG_ON(&tr, mtree_erase(&tr, 500) != VAL(50));
	MT_BUG_ON(&tr, fails_left == 1000);	/* failures did happen */
	fails_left = 0;
	mt_set_callback(NULL);
	harness_fail_nth_alloc(-1);
	mt_validate(&tr);
	expect_range(&tr, 494, 509, NULL);
	MT_BUG_ON(&tr, mtree_load(&tr, 500) != NULL);
	mtree_destroy(&tr);
	rcu_barrier();		/* nodes waiting for a grace period count */
	MT_BUG_ON(&tr, mt_nr_allocated() != 0);
}
#endif

/* ------------------------------------------------ dumps */

#ifndef __KERNEL__
/* The harness's printk() capture (include/harness.h). */
void harness_printk_capture(char *buf, size_t len);
static char dump_text[1 << 16];		/* what the last dump printed */

/* Run @call with printk() going into dump_text. */
#define DUMP(call) do {							\
	harness_printk_capture(dump_text, sizeof(dump_text));		\
	call;								\
	harness_printk_capture(NULL, 0);				\
} while (0)
/* The last dump said @text (and so it printed at all). */
#define DUMP_SAYS(text)	MT_BUG_ON(&tr, !strstr(dump_text, text))
#else
#define DUMP(call)	call
#define DUMP_SAYS(text)	do { } while (0)
#endif

/*
 * The dumps over every shape, and what they print: the bounds in decimal
 * or hex, values, XA_ZERO_ENTRY, NULL ranges, gaps of allocation trees,
 * node types, and a state's status and range (checked in userspace, where
 * printk() can be captured).
 */
static void check_dumps(void)
{
	MA_STATE(ms, &tr, 0, 0);
	MA_WR_STATE(wr, &ms, VAL(1));
	unsigned long i;

	mt_init_flags(&tr, MT_FLAGS_ALLOC_RANGE);
	DUMP(mt_dump(&tr, mt_dump_dec));	/* empty */
	DUMP_SAYS("height 0 top (nil)");
	MT_BUG_ON(&tr, st(&tr, 0, 0, VAL(1)));
	DUMP(mt_dump(&tr, mt_dump_hex));	/* a lone entry */
	DUMP_SAYS("height 0 top 0x3\n0: 0x3\n");
	MT_BUG_ON(&tr, st(&tr, 1, 1, XA_ZERO_ENTRY));
	MT_BUG_ON(&tr, st(&tr, 2, 2, &tr));	/* a pointer */
	for (i = 1; i < 400; i++)
		MT_BUG_ON(&tr, st(&tr, i * 10, i * 10 + 5, VAL(i)));
	DUMP(mt_dump(&tr, mt_dump_dec));
	DUMP_SAYS("1-1: zero");
	DUMP_SAYS("3-9: (nil)");
	DUMP_SAYS("10-15: value 1 (0x1)");
	DUMP_SAYS("3990-3995: value 399 (0x18f)");
	DUMP_SAYS(" arange ");
	DUMP_SAYS(" leaf ");
	DUMP_SAYS("gap ");
	DUMP(mt_dump(&tr, mt_dump_hex));
	DUMP_SAYS("a-f: value 1 (0x1)");
	DUMP_SAYS("f96-f9b: value 399 (0x18f)");
	DUMP(mas_dump(&ms));
	DUMP_SAYS("status start");
	rcu_read_lock();
	mas_set(&ms, 55);
	mas_walk(&ms);
	DUMP(mas_dump(&ms));
	DUMP_SAYS("status active");
	DUMP_SAYS("index 32 last 37 ");
	mas_next(&ms, 55);	/* the range already reaches the limit */
	DUMP(mas_dump(&ms));
	DUMP_SAYS("status overflow");
	mas_pause(&ms);
	DUMP(mas_dump(&ms));
	DUMP_SAYS("status pause");
	rcu_read_unlock();
	DUMP(mas_wr_dump(&wr));
	DUMP_SAYS("ma_wr_state ");
	expect_range(&tr, 50, 55, VAL(5));
	mtree_destroy(&tr);
}

/* ------------------------------------------------ stores through a state */

/* Store through @ms and check it stands on the stored range after. */
static void ms_store(struct ma_state *ms, unsigned long lo, unsigned long hi,
		     void *val)
{
	MT_BUG_ON(ms->tree, mas_store_gfp(ms, val, GFP_KERNEL));
	if (val)
		MT_BUG_ON(ms->tree, ms->index != lo || ms->last != hi);
}

/*
 * Writers that iterate and store through the same state: overwrite in
 * place, erase, narrow with __mas_set_range(), fill holes, go backwards.
 */
static void check_store_through_state(unsigned int flags)
{
	MA_STATE(ms, &tr, 0, 0);
	unsigned long i, n, seen, lo, below, above;
	void *val;

	mt_init_flags(&tr, flags);
	fill_tens(300);
	mtree_lock(&tr);
	/* every entry overwritten where it is: no memory needed */
	seen = 0;
	mas_for_each(&ms, val, ULONG_MAX) {
		n = xa_to_value(val);
		MT_BUG_ON(&tr, ms.index != n * 10 || ms.last != n * 10 + 3);
		MT_BUG_ON(&tr, mas_store(&ms, VAL(n + 1000)) != val);
		MT_BUG_ON(&tr, mas_is_err(&ms));
		seen++;
	}
	MT_BUG_ON(&tr, seen != 300);
	/* every third erased while going on */
	mas_set(&ms, 0);
	seen = 0;
	mas_for_each(&ms, val, ULONG_MAX) {
		n = xa_to_value(val) - 1000;
		MT_BUG_ON(&tr, ms.index != n * 10);
		if (n % 3 == 0)
			ms_store(&ms, n * 10, n * 10 + 3, NULL);
		seen++;
	}
	MT_BUG_ON(&tr, seen != 300);
	mtree_unlock(&tr);
	mt_validate(&tr);
	for (i = 1; i <= 300; i++)
		expect_range(&tr, i * 10, i * 10 + 3,
			     i % 3 ? VAL(i + 1000) : NULL);

	mtree_lock(&tr);
	/* split an entry in three through the state standing on it */
	mas_set(&ms, 1000);
	MT_BUG_ON(&tr, mas_walk(&ms) != VAL(1100));
	__mas_set_range(&ms, 1001, 1002);
	ms_store(&ms, 1001, 1002, VAL(7));
	/* fill the middle of a hole */
	mas_set(&ms, 1005);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	MT_BUG_ON(&tr, ms.index != 1004 || ms.last != 1009);
	__mas_set_range(&ms, 1005, 1007);
	ms_store(&ms, 1005, 1007, VAL(8));
	/* a range of the leaf, before the one the state stands on */
	mas_set(&ms, 1205);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	lo = max(ms.min, 1150UL);
	below = (unsigned long)mtree_load(&tr, lo - 1);
	above = (unsigned long)mtree_load(&tr, lo + 2);
	ms.index = lo;
	ms.last = lo + 1;
	ms_store(&ms, lo, lo + 1, VAL(9));
	mtree_unlock(&tr);
	mt_validate(&tr);
	expect_range(&tr, 1000, 1000, VAL(1100));
	expect_range(&tr, 1001, 1002, VAL(7));
	expect_range(&tr, 1003, 1003, VAL(1100));
	expect_range(&tr, 1004, 1004, NULL);
	expect_range(&tr, 1005, 1007, VAL(8));
	expect_range(&tr, 1008, 1009, NULL);
	expect_range(&tr, lo, lo + 1, VAL(9));
	MT_BUG_ON(&tr, (unsigned long)mtree_load(&tr, lo - 1) != below);
	MT_BUG_ON(&tr, (unsigned long)mtree_load(&tr, lo + 2) != above);

	mtree_lock(&tr);
	/* a range reaching past the leaf the state stands on */
	mas_set(&ms, 1205);
	MT_BUG_ON(&tr, mas_walk(&ms) != NULL);
	lo = ms.max - 1;
	ms.index = lo;
	ms.last = lo + 30;
	ms_store(&ms, lo, lo + 30, VAL(10));
	/* backwards, overwriting */
	mas_set(&ms, 2005);
	seen = 0;
	while ((val = mas_prev(&ms, 1900)) != NULL) {
		n = xa_to_value(val);
		MT_BUG_ON(&tr, n < 1000);
		MT_BUG_ON(&tr, mas_store(&ms, VAL(n + 1000)) != val);
		MT_BUG_ON(&tr, mas_is_err(&ms));
		seen++;
	}
	MT_BUG_ON(&tr, ms.status != ma_underflow);
	MT_BUG_ON(&tr, seen != 8);	/* 190..200 but 192, 195, 198 */
	/* every hole of [2500, 2603] filled, stepping range by range */
	mas_set(&ms, 2500);
	val = mas_walk(&ms);
	for (;;) {
		if (!val)
			ms_store(&ms, ms.index, ms.last, VAL(11));
		val = mas_next_range(&ms, 2600);
		if (ms.status == ma_overflow)
			break;
	}
	MT_BUG_ON(&tr, val != NULL || ms.index != 2600);
	MT_BUG_ON(&tr, mas_next_range(&ms, 2600) != NULL);
	MT_BUG_ON(&tr, ms.status != ma_overflow);
	mtree_unlock(&tr);
	mt_validate(&tr);
	expect_range(&tr, lo, lo + 30, VAL(10));
	for (i = 190; i <= 200; i++)
		expect_range(&tr, i * 10, i * 10 + 3,
			     i % 3 ? VAL(i + 2000) : NULL);
	for (i = 2500; i <= 2603; i++)
		MT_BUG_ON(&tr, !mtree_load(&tr, i));
	mtree_destroy(&tr);
}

/* ------------------------------------------------ random against a model */

#define MODEL_MAX	512

struct model_range {
	unsigned long lo, hi;
	void *entry;		/* never NULL: NULL ranges are not stored */
};

static struct model_range model[MODEL_MAX];
static unsigned int model_nr;

/* The model's val at @idx. */
static void *model_load(unsigned long idx)
{
	unsigned int i;

	for (i = 0; i < model_nr; i++)
		if (model[i].lo <= idx && idx <= model[i].hi)
			return model[i].entry;
	return NULL;
}

/* Store into the model: cut what overlaps, keep the array sorted. */
static void model_store(unsigned long lo, unsigned long hi, void *val)
{
	struct model_range out[MODEL_MAX + 2];
	unsigned int i, n = 0;
	bool placed = false;

	for (i = 0; i < model_nr; i++) {
		struct model_range *r = &model[i];

		if (r->hi < lo) {
			out[n++] = *r;
			continue;
		}
		if (r->lo < lo) {
			out[n] = *r;
			out[n++].hi = lo - 1;
		}
		if (!placed && val) {
			out[n].lo = lo;
			out[n].hi = hi;
			out[n++].entry = val;
		}
		placed = true;
		if (r->hi > hi) {
			out[n] = *r;
			out[n].lo = max(r->lo, hi + 1);
			n++;
		}
	}
	if (!placed && val) {
		out[n].lo = lo;
		out[n].hi = hi;
		out[n++].entry = val;
	}
	memcpy(model, out, n * sizeof(out[0]));
	model_nr = n;
}

static unsigned long long rnd_state;

static unsigned long rnd(void)
{
	/* xorshift64 */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned long)rnd_state;
}

/* Compare every range boundary of the model and some points between. */
static bool model_agrees(struct maple_tree *mt, unsigned long space)
{
	unsigned int i;
	unsigned long idx;

	for (i = 0; i < model_nr; i++) {
		if (mtree_load(mt, model[i].lo) != model[i].entry ||
		    mtree_load(mt, model[i].hi) != model[i].entry)
			return false;
		if (model[i].lo && mtree_load(mt, model[i].lo - 1) !=
		    model_load(model[i].lo - 1))
			return false;
		if (mtree_load(mt, model[i].hi + 1) !=
		    model_load(model[i].hi + 1))
			return false;
	}
	for (i = 0; i < 32; i++) {
		idx = rnd() % space;
		if (mtree_load(mt, idx) != model_load(idx))
			return false;
	}
	return true;
}

static void check_random(unsigned long seed, unsigned int flags,
			 unsigned int steps, unsigned long space)
{
	unsigned long lo, hi, step;
	void *val;
	bool ok = true;

	rnd_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	model_nr = 0;
	mt_init_flags(&tr, flags);
	for (step = 0; step < steps && ok; step++) {
		lo = rnd() % space;
		hi = lo + rnd() % (rnd() % 4 ? 8 : space / 8);
		val = rnd() % 3 ? VAL(step + 1) : NULL;
		if (model_nr >= MODEL_MAX - 4)
			val = NULL;
		if (rnd() % 2 || !val) {
			MT_BUG_ON(&tr, st(&tr, lo, hi, val));
			model_store(lo, hi, val);
		} else {
			int want = 0, ret;
			unsigned long i;

			for (i = 0; i < model_nr; i++)
				if (model[i].lo <= hi && model[i].hi >= lo)
					want = -EEXIST;
			ret = mtree_insert_range(&tr, lo, hi, val,
						 GFP_KERNEL);
			mt_validate(&tr);
			MT_BUG_ON(&tr, ret != want);
			if (!ret)
				model_store(lo, hi, val);
		}
		ok = model_agrees(&tr, space);
		if (!ok)
			pr_info("maple_tree: random seed %lu flags %u disagrees at step %lu ([%lu, %lu])\n",
				seed, flags, step, lo, hi);
		MT_BUG_ON(&tr, !ok);
	}
	mtree_destroy(&tr);
}

/* Print the tally like the kernel's module does; -EINVAL on any failure. */
static int mt_report(void)
{
	unsigned int run = atomic_read(&maple_tree_tests_run);
	unsigned int ok = atomic_read(&maple_tree_tests_passed);

	pr_info("maple_tree: %u of %u tests passed\n", ok, run);
	return ok == run ? 0 : -EINVAL;
}

static int __init maple_tree_seed(void)
{
	unsigned long seed;

	pr_info("maple_tree: own white-box tests\n");
	check_root();
	check_bad_input();
	check_leaf_shapes();
	check_split_and_shrink(0);
	check_split_and_shrink(MT_FLAGS_ALLOC_RANGE);
	check_split_root(0);
	check_split_root(MT_FLAGS_ALLOC_RANGE);
	check_split_root(MT_FLAGS_USE_RCU);
	check_spanning(0);
	check_spanning(MT_FLAGS_ALLOC_RANGE);
	check_iterate();
	check_nomem();
	check_prealloc();
	check_bulk();
	check_iterate_leaves(0);
	check_iterate_leaves(MT_FLAGS_ALLOC_RANGE);
	check_iterate_leaves(MT_FLAGS_USE_RCU);
	check_bulk_gaps(0);
	check_bulk_gaps(MT_FLAGS_ALLOC_RANGE);
	check_rcu_mode();
	check_alloc();
	check_dup();
	check_iter_limits();
	check_find_ranges();
	check_error_state();
	check_root_iter();
	check_root_leaf_shapes(0);
	check_root_leaf_shapes(MT_FLAGS_ALLOC_RANGE);
	check_root_leaf_shapes(MT_FLAGS_USE_RCU);
#ifndef __KERNEL__
	check_erase_waits();
#endif
	check_store_through_state(0);
	check_store_through_state(MT_FLAGS_ALLOC_RANGE);
	check_store_through_state(MT_FLAGS_USE_RCU);
	check_dumps();
	for (seed = 1; seed <= 40; seed++) {
		check_random(seed, 0, 400, 2000);
		check_random(seed, MT_FLAGS_ALLOC_RANGE, 400, 2000);
		check_random(seed, MT_FLAGS_USE_RCU, 200, 100000);
	}

	rcu_barrier();
	return mt_report();
}

static void __exit maple_tree_unload(void)
{
}

module_init(maple_tree_seed);	/* runs every check */
module_exit(maple_tree_unload);	/* nothing to undo */
MODULE_AUTHOR("the maple project");
MODULE_DESCRIPTION("white-box tests of the maple tree");
MODULE_LICENSE("GPL");
