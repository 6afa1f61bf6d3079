// SPDX-License-Identifier: GPL-2.0
/*
 * The in-place store types against the engine: "same cut, same shape".
 *
 * Our tree carries out most stores in place (the store types of
 * mas_wr_store_type(): exact fit, append, slot store, node store, split,
 * rebalance) and leaves the rest to its general engine, which claims to
 * cut and shape the tree exactly as those would.  Here every sequence is
 * played twice, from the same seed, into two trees: one as usual and one
 * with mt_set_fast_writes(false), which sends every store to the engine.
 * After each operation both trees must hold the same ranges, and after
 * every few operations they must be the same node for node
 * (check_same_shape()).  Sequences: random stores of short and long
 * ranges, erases, NULL stores, inserts, ascending appends and bulk loads,
 * and the mm's small maps and unmaps in a crowded key space through
 * mas_preallocate() and mas_store_prealloc() (leaves that fill, split,
 * share and merge; the plan kept between the two calls), in plain and
 * allocation trees, in and out of RCU mode.
 *
 * The stores of the first tree are counted by type, those an executor
 * carried out and those sent to the engine (mt_set_fast_writes_tally()):
 * each executor must have carried out some, and outside RCU mode no
 * exact fit, append, slot store or node store may go to the engine (the
 * planner gives each of them an executor there).  So a planner that
 * quietly sends a type to the engine fails the check too, although the
 * trees would agree.
 *
 * Only our tree has the switch; another subject reports the check as
 * skipped.
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

void mt_set_fast_writes(bool on) __attribute__((weak));
void mt_set_fast_writes_tally(unsigned long *in_place, unsigned long *engine)
	__attribute__((weak));

#define SEQUENCES	24		/* per tree kind */
#define OPS		1500		/* per sequence */
#define SHAPE_EVERY	25		/* compare shapes this often */
#define KEY_SPACE	(1UL << 20)
#define MM_KEYS		4096		/* the key space of an mm sequence */

enum fw_mode { FW_RANDOM, FW_ASCENDING, FW_MM };

#define FW_TYPES	16		/* more than enum store_type has */

struct fw_stats {
	unsigned long sequences, ops, shapes, node_pairs, differences;
	unsigned long in_place[FW_TYPES];	/* stores by executor */
	unsigned long engine[FW_TYPES];		/* sent to the engine */
	unsigned long engine_plain[FW_TYPES];	/* that, outside RCU mode */
};

/*
 * An mm sequence's operation: map or unmap a range of one to six keys, as
 * the mm writes its VMA tree, under the lock with the nodes preallocated.
 * Four in five map in the first half of a sequence, and unmap in the
 * second, so that the leaves fill and split, then empty and merge.
 */
static void fw_op_mm(struct maple_tree *mt, unsigned long long *rng,
		     unsigned long i)
{
	unsigned long first = check_random(rng) % MM_KEYS;
	unsigned long last = min(first + check_random(rng) % 6, MM_KEYS);
	bool map = (check_random(rng) % 5 < 4) == (i < OPS / 2);
	void *entry = map ? xa_mk_value(i & 0xffff) : NULL;
	MA_STATE(mas, mt, first, last);

	/* the spinlock is held: a budget for allocations that do not sleep */
	mt_set_non_kernel(64);
	mtree_lock(mt);
	if (!mas_preallocate(&mas, entry, GFP_NOWAIT | __GFP_NOWARN))
		mas_store_prealloc(&mas, entry);
	mtree_unlock(mt);
	mt_set_non_kernel(0);
}

/* One seeded operation, applied to @mt; the same @rng gives the same op. */
static void fw_op(struct maple_tree *mt, unsigned long long *rng,
		  unsigned long i, enum fw_mode mode)
{
	unsigned long op = check_random(rng) % 16;
	unsigned long first = check_random(rng) % KEY_SPACE, last, len;
	void *entry;

	if (mode == FW_MM) {
		fw_op_mm(mt, rng, i);
		return;
	}
	if (mode == FW_ASCENDING) {
		/* ascending, as a bulk load or a growing mapping stores */
		first = i * 16;
		last = first + check_random(rng) % 12;
		mtree_store_range(mt, first, last, xa_mk_value(first),
				  GFP_KERNEL);
		return;
	}
	len = op < 3 ? check_random(rng) % 40000 : check_random(rng) % 64;
	last = min(first + len, KEY_SPACE);
	entry = xa_mk_value(first & 0xffff);
	switch (op) {
	case 0 ... 2:	/* long ranges: spanning stores */
	case 3 ... 9:
		mtree_store_range(mt, first, last, entry, GFP_KERNEL);
		break;
	case 10:
	case 11:
		mtree_store_range(mt, first, last, NULL, GFP_KERNEL);
		break;
	case 12:
		mtree_erase(mt, first);
		break;
	case 13:
		mtree_insert_range(mt, first, last, entry, GFP_KERNEL);
		break;
	default:	/* exact overwrite of what is there */
		{
			MA_STATE(mas, mt, first, first);
			void *old;

			mtree_lock(mt);
			old = mas_walk(&mas);
			if (old)	/* over exactly the range walked to */
				mas_store_gfp(&mas, xa_mk_value(i & 0xffff),
					      GFP_KERNEL);
			mtree_unlock(mt);
		}
		break;
	}
}

static bool fw_same(struct check_ctx *ctx, struct maple_tree *a,
		    struct maple_tree *b, struct fw_stats *st,
		    const char *what, unsigned long seq, unsigned long i)
{
	char why[256];
	unsigned long pairs = 0;
	bool same;

	mtree_lock(a);
	mtree_lock(b);
	same = check_same_shape(a, b, &pairs, why, sizeof(why));
	mtree_unlock(b);
	mtree_unlock(a);
	st->shapes++;
	st->node_pairs += pairs;
	if (!same)
		st->differences++;
	return CHECK(ctx, b, same, "%s sequence %lu (seed %lu), after op %lu: "
		     "the engine's tree differs from the in-place one: %s",
		     what, seq, ctx->seed, i, why);
}

static void fw_sequence(struct check_ctx *ctx, unsigned int flags,
			const char *what, unsigned long seq, enum fw_mode mode,
			struct fw_stats *st)
{
	unsigned long long seed = ctx->seed * 1000003ULL + seq * 7919 + flags;
	unsigned long long ra = seed, rb = seed;
	struct maple_tree a, b;
	unsigned long i;

	mt_init_flags(&a, flags);
	mt_init_flags(&b, flags);
	for (i = 0; i < OPS; i++) {
		mt_set_fast_writes(true);
		mt_set_fast_writes_tally(st->in_place,
					 flags & MT_FLAGS_USE_RCU ?
					 st->engine : st->engine_plain);
		fw_op(&a, &ra, i, mode);
		mt_set_fast_writes_tally(NULL, NULL);
		mt_set_fast_writes(false);
		fw_op(&b, &rb, i, mode);
		mt_set_fast_writes(true);
		st->ops++;
		if ((i % SHAPE_EVERY == SHAPE_EVERY - 1 || i == OPS - 1) &&
		    !fw_same(ctx, &a, &b, st, what, seq, i))
			break;
	}
	mt_validate(&a);
	mt_validate(&b);
	mtree_destroy(&a);
	mtree_destroy(&b);
	st->sequences++;
}

/* Every executor carried out stores of its type. */
static void fw_executors(struct check_ctx *ctx, const struct fw_stats *st)
{
#ifdef HAVE_MAS_STORE_TYPE
	static const char *const names[FW_TYPES] = {
		[wr_exact_fit] = "exact_fit", [wr_append] = "append",
		[wr_slot_store] = "slot_store", [wr_node_store] = "node_store",
		[wr_split_store] = "split_store", [wr_rebalance] = "rebalance",
		[wr_spanning_store] = "spanning_store",
		[wr_new_root] = "new_root", [wr_store_root] = "store_root",
	};
	/* the engine's alone */
	static const bool engine_only[FW_TYPES] = {
		[wr_spanning_store] = true, [wr_new_root] = true,
		[wr_store_root] = true,
	};
	/* outside RCU mode these always have an executor */
	static const bool always[FW_TYPES] = {
		[wr_exact_fit] = true, [wr_append] = true,
		[wr_slot_store] = true, [wr_node_store] = true,
	};
	/* and in RCU mode these (a slot swapped, a copy of the leaf) */
	static const bool rcu_always[FW_TYPES] = {
		[wr_exact_fit] = true, [wr_node_store] = true,
	};
	unsigned long t;

	if (ctx->verbose) {
		printf("  stores by type (one retried after mas_nomem() "
		       "counts twice): in place / to the engine outside RCU "
		       "mode + in it\n");
		for (t = 0; t < FW_TYPES; t++)
			if (names[t])
				printf("    %-14s %7lu / %7lu + %7lu\n",
				       names[t], st->in_place[t],
				       st->engine_plain[t], st->engine[t]);
	}
	for (t = 0; t < FW_TYPES; t++) {
		if (!names[t])
			continue;
		CHECK(ctx, NULL, engine_only[t] || st->in_place[t] > 0,
		      "no store was carried out in place as %s (seed %lu)",
		      names[t], ctx->seed);
		CHECK(ctx, NULL, !always[t] || !st->engine_plain[t],
		      "%lu %s stores outside RCU mode went to the engine "
		      "(seed %lu)", st->engine_plain[t], names[t], ctx->seed);
		CHECK(ctx, NULL, !rcu_always[t] || !st->engine[t],
		      "%lu %s stores in RCU mode went to the engine (seed %lu)",
		      st->engine[t], names[t], ctx->seed);
	}
#else
	(void)ctx;
	(void)st;
#endif
}

static void check_fast_writes(struct check_ctx *ctx)
{
	static const struct { unsigned int flags; const char *what; } kinds[] = {
		{ 0, "plain" },
		{ MT_FLAGS_ALLOC_RANGE, "allocation" },
		{ MT_FLAGS_USE_RCU, "RCU" },
		{ MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, "allocation+RCU" },
	};
	struct fw_stats st = { 0 };
	unsigned long k, seq;

	if (!mt_set_fast_writes || !mt_set_fast_writes_tally) {
		check_skip(ctx, "%s has no mt_set_fast_writes() (a switch of our "
			   "tree only)", SUBJECT_NAME);
		return;
	}
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		for (seq = 0; seq < SEQUENCES; seq++)
			fw_sequence(ctx, kinds[k].flags, kinds[k].what, seq,
				    seq % 4 == 3 ? FW_ASCENDING :
				    seq % 4 == 2 ? FW_MM : FW_RANDOM, &st);
	if (ctx->verbose)
		printf("  %lu sequences, %lu operations, %lu shape comparisons, "
		       "%lu node pairs, %lu differences\n", st.sequences,
		       st.ops, st.shapes, st.node_pairs, st.differences);
	fw_executors(ctx, &st);
}
DEFINE_CHECK(check_fast_writes, "in-place store types against the engine: "
	     "the same trees, node for node");
