// SPDX-License-Identifier: GPL-2.0
/*
 * check_alloc_modes: stores, erases and duplications while the allocator
 * behaves as a real one may and the harness's plain one never does
 * (harness_bulk_mode(), include/harness.h), to the requests that may fail
 * in a kernel, those that may not sleep:
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

/*
 * A verdict: on our tree a wrong one fails the check; on a kernel subject
 * it is reported as that kernel's misbehaviour under the mode (the
 * allocator's behaviour the kernel never meets from SLUB, but that its
 * API allows), and the run of that mode stops there.
 */
static bool modes_verdict(struct check_ctx *ctx, struct maple_tree *mt,
			  bool right, const char *what, const char *seen)
{
#ifdef HARNESS_SUBJECT_KERNEL
	if (!right) {
		printf("  %s: kernel misbehaviour reproduced: %s: %s\n",
		       ctx->name, what, seen);
		return false;
	}
#endif
	CHECK(ctx, mt, right, "%s: %s", what, seen);
	return right;
}

/*
 * The tree against the model, valid, and every object allocated since
 * @base one of the tree's nodes (@nodes: the node count at @base).
 */
static bool modes_judge(struct check_ctx *ctx, struct maple_tree *mt,
			const struct model *m, long base, long nodes,
			const char *what)
{
	char why[160] = "", seen[200];
	bool ok;

	mtree_lock(mt);
	mt_validate(mt);
	mtree_unlock(mt);
	ok = check_tree_matches(mt, m, why, sizeof(why));
	snprintf(seen, sizeof(seen), "the tree differs from the model: %s",
		 why);
	if (!modes_verdict(ctx, mt, ok, what, seen))
		return false;
	rcu_barrier();
	nodes = (long)mt_nr_allocated() - nodes;
	snprintf(seen, sizeof(seen), "%ld objects outside the tree's nodes",
		 nr_allocated - base - nodes);
	return modes_verdict(ctx, mt, nr_allocated - base == nodes, what,
			     seen);
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
	/* mtree_dup() allocates under both locks: it may not sleep */
	mt_set_non_kernel(100000);
	ret = mtree_dup(mt, &copy, GFP_NOWAIT);
	mt_set_non_kernel(0);
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
	long base, nodes;
	int op, ret;

	rcu_barrier();
	base = nr_allocated;
	nodes = mt_nr_allocated();
	mt_init_flags(&mt, flags);
	model_init(&m);
	harness_bulk_mode(modes[m_i].mode, modes[m_i].cap);
	for (op = 0; op < MODES_OPS; op++) {
		unsigned long r = check_random(&rnd);
		unsigned long livelocks = harness_bulk_livelocks;

		/* armed afresh: the watchdog counts one operation's cuts */
		harness_bulk_mode(modes[m_i].mode, modes[m_i].cap);

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
			if (entry != want) {
				char seen[80];

				snprintf(seen, sizeof(seen), "returned %p, the "
					 "tree held %p", entry, want);
				if (!modes_verdict(ctx, &mt, false, what, seen))
					goto out;
			}
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
		if (harness_bulk_livelocks != livelocks &&
		    !modes_verdict(ctx, &mt, false, what, "it retried the cut "
				   "allocation 10,000 times without giving up "
				   "(a livelock; the mode was lifted to let it "
				   "finish)"))
			goto out;
		if (!modes_judge(ctx, &mt, &m, base, nodes, what))
			break;
	}
out:
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	mtree_destroy(&mt);
	model_destroy(&m);
	rcu_barrier();
	snprintf(what, sizeof(what), "%s, flags %#x, seed %llu",
		 modes[m_i].name, flags, seed);
	{
		char seen[64];
		long leaked = nr_allocated - base;

		snprintf(seen, sizeof(seen), "%ld objects leaked", leaked);
		if (!modes_verdict(ctx, NULL, !leaked, what, seen) && leaked > 0)
			harness_subject_leaked += leaked;	/* said, above */
	}
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
