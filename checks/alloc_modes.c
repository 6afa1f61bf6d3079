// SPDX-License-Identifier: GPL-2.0
/*
 * check_alloc_modes: stores, erases and duplications while the allocator
 * behaves as a real one may and the harness's plain one never does
 * (harness_bulk_mode(), include/harness.h):
 *
 *   short      a multi-object request gets half (a 6.x bulk returns that
 *              short count and the caller owns those objects; 7.x's bool
 *              and an oversize sheaf fail whole; a sheaf refill keeps it)
 *   late fail  every object taken, then a failure reported
 *   size cap   requests of more than 2 objects fail, smaller ones succeed
 *
 * plus the subject's own bulk convention (a count on 6.x subjects, a bool
 * on 7.x ones, SLAB_API=), whose misreading was issue 28's boot oops.
 *
 * After every operation: mt_validate(), the tree against the reference
 * model, and no object leaked.  The contracts held to:
 *  - a store either happens or returns -ENOMEM with the tree unchanged;
 *  - an erase always erases (it may wait for memory, never give up) and
 *    returns what was there;
 *  - a duplication either copies the whole tree or returns -ENOMEM with
 *    the target empty.
 * A run is replayed with ./maple --seed N check_alloc_modes.
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"
#include "../support/model.h"

#define MODES_SPAN	4096UL	/* indices the operations touch */
#define MODES_OPS	300	/* operations per mode and flag set */

static const struct {
	enum harness_bulk_mode mode;
	unsigned int cap;
	const char *name;
} modes[] = {
	{ HARNESS_BULK_PLAIN, 0, "plain" },
	{ HARNESS_BULK_SHORT, 0, "short" },
	{ HARNESS_BULK_LATE_FAIL, 0, "late fail" },
	{ HARNESS_BULK_SIZE_CAP, 2, "size cap 2" },
};

static const unsigned int mode_flags[] = {
	0,
	MT_FLAGS_USE_RCU,
	MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
};

/* The tree against the model, valid, and nothing leaked since @base. */
static bool modes_judge(struct check_ctx *ctx, struct maple_tree *mt,
			const struct model *m, long base, const char *what)
{
	char why[160];
	bool ok;

	mtree_lock(mt);
	mt_validate(mt);
	mtree_unlock(mt);
	ok = CHECK(ctx, mt, check_tree_matches(mt, m, why, sizeof(why)),
		   "%s: the tree differs from the model: %s", what, why);
	rcu_barrier();
	ok &= CHECK(ctx, mt, nr_allocated == base + (long)mt_nr_allocated(),
		    "%s: %ld objects outside the tree", what,
		    nr_allocated - base - (long)mt_nr_allocated());
	return ok;
}

#ifdef HAVE_MTREE_DUP
/* One duplication of @mt under the current mode: all or nothing. */
static bool modes_dup(struct check_ctx *ctx, struct maple_tree *mt,
		      const char *what)
{
	struct maple_tree copy;
	char why[160];
	unsigned long nodes;
	bool ok = true;
	int ret;

	mt_init_flags(&copy, mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK);
	ret = mtree_dup(mt, &copy, GFP_KERNEL);
	if (ret) {
		ok &= CHECK(ctx, mt, ret == -ENOMEM && mtree_empty(&copy),
			    "%s: mtree_dup() returned %d, target %s", what, ret,
			    mtree_empty(&copy) ? "empty" : "not empty");
	} else {
		ok &= CHECK(ctx, mt, check_same_shape(mt, &copy, &nodes, why,
						     sizeof(why)),
			    "%s: the copy differs: %s", what, why);
	}
	mtree_destroy(&copy);
	return ok;
}
#endif

static void modes_run(struct check_ctx *ctx, unsigned int m_i,
		      unsigned int flags, unsigned long long seed)
{
	unsigned long long rnd = seed;
	unsigned long first, last, index, lo, hi;
	struct maple_tree mt;
	struct model m;
	char what[160];
	void *entry, *want;
	long base;
	int op, ret;

	rcu_barrier();
	base = nr_allocated;
	mt_init_flags(&mt, flags);
	model_init(&m);
	harness_bulk_mode(modes[m_i].mode, modes[m_i].cap);
	for (op = 0; op < MODES_OPS; op++) {
		unsigned long r = check_random(&rnd);

		first = check_random(&rnd) % MODES_SPAN;
		last = first + check_random(&rnd) % (r % 4 ? 8 : 300);
		entry = xa_mk_value(op + 1);
		switch (r % 8) {
		case 0:		/* an erase: never refused, never silent */
			index = first;
			want = model_lookup(&m, index, &lo, &hi);
			snprintf(what, sizeof(what), "%s, flags %#x, seed %llu, "
				 "op %d: erase %lu", modes[m_i].name, flags,
				 seed, op, index);
			entry = mtree_erase(&mt, index);
			CHECK(ctx, &mt, entry == want, "%s returned %p, the "
			      "tree held %p", what, entry, want);
			if (want)
				model_store(&m, lo, hi, NULL);
			break;
		case 1:		/* a duplication */
#ifdef HAVE_MTREE_DUP
			snprintf(what, sizeof(what), "%s, flags %#x, seed %llu, "
				 "op %d: mtree_dup", modes[m_i].name, flags,
				 seed, op);
			modes_dup(ctx, &mt, what);
#endif
			break;
		default:	/* a store, sleeping or not */
			snprintf(what, sizeof(what), "%s, flags %#x, seed %llu, "
				 "op %d: store %lu-%lu", modes[m_i].name, flags,
				 seed, op, first, last);
			mt_set_non_kernel(r % 3 ? 1000 : 0);
			ret = mtree_store_range(&mt, first, last, entry,
						r % 2 ? GFP_KERNEL : GFP_NOWAIT);
			mt_set_non_kernel(0);
			CHECK(ctx, &mt, !ret || ret == -ENOMEM, "%s returned %d",
			      what, ret);
			if (!ret)
				model_store(&m, first, last, entry);
			break;
		}
		if (!modes_judge(ctx, &mt, &m, base, what))
			break;
	}
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	mtree_destroy(&mt);
	model_destroy(&m);
	rcu_barrier();
	CHECK(ctx, NULL, nr_allocated == base, "%s, flags %#x, seed %llu: "
	      "%ld objects leaked", modes[m_i].name, flags, seed,
	      nr_allocated - base);
}

static void check_alloc_modes(struct check_ctx *ctx)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		for (j = 0; j < ARRAY_SIZE(mode_flags); j++)
			modes_run(ctx, i, mode_flags[j],
				  ctx->seed + i * 7 + j + 1);
}
DEFINE_CHECK(check_alloc_modes,
	     "stores, erases and dups under short, late-failing and capped "
	     "bulk allocations: model, mt_validate(), no leak");
