// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal reproducers of misbehaviours the differential test found in
 * Linux 6.12's maple tree (difftest/).  Each runs against every subject:
 * our tree must get it right; when the subject is a kernel tree
 * (HARNESS_SUBJECT_KERNEL) the check reports what the kernel did and
 * passes, so a kernel tree stays usable as a subject and a fixed kernel
 * shows up as "fixed".
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

/* Count the outcome: right, or a kernel's known wrong answer reported. */
static void expect_or_report(struct check_ctx *ctx, struct maple_tree *mt,
			     bool right, const char *what, const char *seen)
{
#ifdef HARNESS_SUBJECT_KERNEL
	if (!right) {
		printf("  %s: kernel misbehaviour reproduced: %s (%s)\n",
		       ctx->name, what, seen);
		right = true;
	} else if (ctx->verbose) {
		printf("  %s: this kernel gets it right: %s\n", ctx->name,
		       what);
	}
#endif
	CHECK(ctx, mt, right, "%s: %s", what, seen);
}

/*
 * mtree_insert_range() must refuse any range that is partly occupied.
 * Linux 6.12 checks only the entry at the first index, so on a tree whose
 * root is a single leaf it overwrites (or, inserting NULL, erases) entries
 * inside the range and returns 0.
 */
static void check_insert_range_occupied(struct check_ctx *ctx)
{
	char seen[96];
	void *entry;
	int ret;
	DEFINE_MTREE(mt);

	mtree_store_range(&mt, 10, 20, xa_mk_value(1), GFP_KERNEL);
	ret = mtree_insert_range(&mt, 0, ULONG_MAX, xa_mk_value(2), GFP_KERNEL);
	entry = mtree_load(&mt, 15);
	snprintf(seen, sizeof(seen), "returned %d, index 15 now holds %p",
		 ret, entry);
	expect_or_report(ctx, &mt, ret == -EEXIST && entry == xa_mk_value(1),
			 "insert [0, ULONG_MAX] over [10, 20]", seen);
	mtree_destroy(&mt);

	mtree_store_range(&mt, 10, 20, xa_mk_value(1), GFP_KERNEL);
	ret = mtree_insert_range(&mt, 5, 100, NULL, GFP_KERNEL);
	entry = mtree_load(&mt, 15);
	snprintf(seen, sizeof(seen), "returned %d, index 15 now holds %p",
		 ret, entry);
	expect_or_report(ctx, &mt, ret == -EEXIST && entry == xa_mk_value(1),
			 "insert NULL at [5, 100] over [10, 20]", seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_insert_range_occupied,
	     "reproducer: insert over a partly occupied range is -EEXIST");

/*
 * mtree_alloc_rrange() near ULONG_MAX: with one entry at
 * [ULONG_MAX - 23, ULONG_MAX - 8], a window [ULONG_MAX - 61, ULONG_MAX]
 * still has 38 free indices below the entry; 19 of them fit.  Linux 6.12
 * answers -EBUSY.  (Found by difftest --seed 191.)
 */
static void check_alloc_rrange_top(struct check_ctx *ctx)
{
	unsigned long start = 0;
	char seen[96];
	int ret;
	DEFINE_MTREE(mt);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_store_range(&mt, ULONG_MAX - 23, ULONG_MAX - 8, xa_mk_value(1),
			  GFP_KERNEL);
	ret = mtree_alloc_rrange(&mt, &start, xa_mk_value(2), 19,
				 ULONG_MAX - 61, ULONG_MAX, GFP_KERNEL);
	snprintf(seen, sizeof(seen), "returned %d, start ULONG_MAX - %lu",
		 ret, ULONG_MAX - start);
	expect_or_report(ctx, &mt, ret == 0 && start == ULONG_MAX - 42,
			 "alloc_rrange of 19 in [ULONG_MAX - 61, ULONG_MAX]",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_alloc_rrange_top,
	     "reproducer: reverse allocation below an entry near ULONG_MAX");

/*
 * mtree_erase() cannot report -ENOMEM, so it must not fail silently: in RCU
 * mode an erase allocates, and when that allocation fails Linux 6.12's
 * mas_erase() returns the entry as if erased but leaves it in the tree.
 * (Found by check_failure_sweep.)
 */
static void check_erase_nomem(struct check_ctx *ctx)
{
	char seen[96];
	void *entry, *left;
	unsigned long i;
	DEFINE_MTREE(mt);

	mt_init_flags(&mt, MT_FLAGS_USE_RCU);
	for (i = 0; i < 300; i++)
		mtree_store_range(&mt, i * 16, i * 16 + 7, xa_mk_value(i),
				  GFP_KERNEL);
	harness_fail_nth_alloc(0);
	entry = mtree_erase(&mt, 77 * 16);
	harness_fail_nth_alloc(-1);
	left = mtree_load(&mt, 77 * 16);
	snprintf(seen, sizeof(seen), "returned %p, index %d still holds %p",
		 entry, 77 * 16, left);
	expect_or_report(ctx, &mt, entry == xa_mk_value(77) && left == NULL,
			 "erase in RCU mode with its first allocation failing",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_erase_nomem,
	     "reproducer: an erase whose allocation fails still erases");

/*
 * mas_find_rev() must not return an entry below its limit.  When the root
 * holds a single entry at index 0 directly, Linux 6.12 returns it whatever
 * the limit.  (Found by the fuzzer, make fuzz.)
 */
static void check_find_rev_root_entry(struct check_ctx *ctx)
{
	char seen[96];
	void *entry;
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 7816, 7816);

	mtree_store_range(&mt, 0, 0, xa_mk_value(5), GFP_KERNEL);
	rcu_read_lock();
	entry = mas_find_rev(&mas, 7789);
	rcu_read_unlock();
	snprintf(seen, sizeof(seen), "returned %p [%lu, %lu]", entry,
		 mas.index, mas.last);
	expect_or_report(ctx, &mt, entry == NULL,
			 "mas_find_rev(7816, min 7789) on a tree of [0, 0]",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_find_rev_root_entry,
	     "reproducer: mas_find_rev honours its limit on a root entry");
