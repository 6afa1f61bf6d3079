// SPDX-License-Identifier: GPL-2.0
/*
 * check_api_7x: the API later kernels' code calls, on any subject that
 * offers it (generated/subject-api.h):
 *  - mas_for_each_rev() (6.13) visits every entry from mas->index down to
 *    its minimum, highest first, each with its whole range;
 *  - mas_nomem_nofail() (7.3) after a write that failed with -ENOMEM gets
 *    the nodes with an allocation that cannot fail, resets @mas to the
 *    range given, and the retried write then succeeds; without -ENOMEM it
 *    does nothing and says false.
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

#if defined(HAVE_MAS_FOR_EACH_REV) || defined(HAVE_MAS_NOMEM_NOFAIL)
static void *rev_entry(unsigned long i)
{
	return xa_mk_value(i);
}
#endif

#ifdef HAVE_MAS_FOR_EACH_REV
static void api_for_each_rev(struct check_ctx *ctx)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i, seen = 0, expect;
	void *entry;

	for (i = 0; i < 500; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 4, rev_entry(i),
				  GFP_KERNEL);
	/* from index 3002 (inside [3000, 3004]) down to 1000 */
	expect = 300;
	mas_set(&mas, 3002);
	rcu_read_lock();
	mas_for_each_rev(&mas, entry, 1000) {
		if (!CHECK(ctx, &mt, entry == rev_entry(expect) &&
			   mas.index == expect * 10 && mas.last == expect * 10 + 4,
			   "mas_for_each_rev: step %lu gave %p [%lu, %lu], "
			   "want %p [%lu, %lu]", seen, entry, mas.index,
			   mas.last, rev_entry(expect), expect * 10,
			   expect * 10 + 4))
			break;
		seen++;
		expect--;
	}
	rcu_read_unlock();
	CHECK(ctx, &mt, seen == 201, "mas_for_each_rev visited %lu entries "
	      "of [1000, 3002], want 201", seen);
	mtree_destroy(&mt);
}
#endif

#ifdef HAVE_MAS_NOMEM_NOFAIL
static void api_nomem_nofail(struct check_ctx *ctx)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;
	bool retried;

	for (i = 0; i < 300; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 4, rev_entry(i),
				  GFP_KERNEL);
	mtree_lock(&mt);
	CHECK(ctx, &mt, !mas_nomem_nofail(&mas, 0, 0),
	      "mas_nomem_nofail() without an -ENOMEM said true");
	/* a store over many ranges needs nodes; none may be had at first */
	mt_set_non_kernel(0);
	mas_set_range(&mas, 55, 2345);
	mas_store(&mas, rev_entry(7777));
	CHECK(ctx, &mt, mas_is_err(&mas) && xa_err(mas.node) == -ENOMEM,
	      "a non-sleeping spanning store with no budget did not fail");
	retried = mas_nomem_nofail(&mas, 55, 2345);
	CHECK(ctx, &mt, retried && mas.index == 55 && mas.last == 2345,
	      "mas_nomem_nofail(): %d, range [%lu, %lu]", retried, mas.index,
	      mas.last);
	if (retried)
		mas_store(&mas, rev_entry(7777));
	CHECK(ctx, &mt, !mas_is_err(&mas),
	      "the store after mas_nomem_nofail() failed");
	mas_destroy(&mas);
	mtree_unlock(&mt);
	CHECK(ctx, &mt, mtree_load(&mt, 55) == rev_entry(7777) &&
	      mtree_load(&mt, 2345) == rev_entry(7777) &&
	      mtree_load(&mt, 2346) == NULL &&
	      mtree_load(&mt, 2350) == rev_entry(235),
	      "the retried store is not in the tree");
	mtree_lock(&mt);
	mt_validate(&mt);
	mtree_unlock(&mt);
	mtree_destroy(&mt);
}
#endif

static void check_api_7x(struct check_ctx *ctx)
{
#ifdef HAVE_MAS_FOR_EACH_REV
	api_for_each_rev(ctx);
#else
	check_skip_part(ctx, "%s has no mas_for_each_rev()", SUBJECT_NAME);
#endif
#ifdef HAVE_MAS_NOMEM_NOFAIL
	api_nomem_nofail(ctx);
#else
	check_skip_part(ctx, "%s has no mas_nomem_nofail()", SUBJECT_NAME);
#endif
}
DEFINE_CHECK(check_api_7x,
	     "7.x API: mas_for_each_rev() and mas_nomem_nofail()");
