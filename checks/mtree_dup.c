// SPDX-License-Identifier: GPL-2.0
/*
 * mtree_dup() and __mt_dup(): a copy must be the source node for node.
 *
 * Every duplication here is judged three ways:
 *
 *  - content: the copy holds exactly the source's ranges (mas_find on both
 *    trees side by side) and the source is unchanged;
 *  - shape: a walk of both trees from the root compares each pair of nodes
 *    field by field (type, pivots, entries, gaps, metadata, the tag bits of
 *    every child and parent pointer), with node addresses masked off; each
 *    child's parent pointer must name the node of its own tree that holds
 *    it, and the root's parent its own tree;
 *  - allocation: the copy costs exactly as many nodes as the walk counted
 *    in the source (mt_nr_allocated() before and after), and mt_validate()
 *    finds nothing in it.
 *
 * A failed duplication (-EINVAL for a mismatch of attributes or a target
 * that is not empty, -ENOMEM from an injected allocation failure) must
 * leave the target exactly as it was, empty and valid, and give back every
 * node it took (nr_allocated back to its baseline after rcu_barrier()).
 *
 * Entries name their range (range_entry(), checks.h), so a reader that
 * finds an entry can tell whether it is in the right place.
 *
 * The node decoding below (test_node(), test_type()) follows the layout both
 * subjects share in include/linux/maple_tree.h: an encoded node pointer is
 * the 256-byte aligned node address with enum maple_type at
 * MAPLE_NODE_TYPE_SHIFT; ma_root tags it as an internal entry above
 * MAPLE_RESERVED_RANGE (xa_is_node()), while a child slot may not (Linux
 * 6.12 stores children without the internal tag), so children are compared
 * by their tag bits, whatever those are.
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <sched.h>
#include <harness.h>
#include "checks.h"
#include "../support/nodes.h"

/* ------------------------------------------------------ comparing trees */

/* One comparison of two trees' shapes, node pair by node pair. */
struct shape_cmp {
	struct maple_tree *a, *b;	/* source, copy */
	unsigned long nodes;		/* node pairs compared */
	bool failed;
	char why[200];
};

static bool shape_fail(struct shape_cmp *sc, const char *fmt,
		       unsigned long min, unsigned long max, unsigned long x,
		       unsigned long y)
{
	if (!sc->failed) {
		int n = snprintf(sc->why, sizeof(sc->why),
				 "node [%lu, %lu]: ", min, max);

		snprintf(sc->why + n, sizeof(sc->why) - n, fmt, x, y);
	}
	sc->failed = true;
	return false;
}

/*
 * Compare the subtrees at @ea (source) and @eb (copy), which cover
 * [@min, @max] and whose parents are @pa and @pb (NULL: the root).
 */
static bool same_node(struct shape_cmp *sc, void *ea, void *eb,
		      unsigned long min, unsigned long max,
		      struct maple_node *pa, struct maple_node *pb)
{
	struct maple_node *a = test_node(ea), *b = test_node(eb);
	enum maple_type type = test_type(ea);
	unsigned long *piv_a, *piv_b, *gap_a = NULL, *gap_b = NULL;
	void __rcu **slot_a, **slot_b;
	struct maple_metadata *meta_a, *meta_b;
	unsigned char npiv, nslot, end, i;

	sc->nodes++;
	if (a == b)
		return shape_fail(sc, "copy shares node %#lx%.0lu", min, max,
				  (unsigned long)a, 0);
	if (test_tag(ea) != test_tag(eb))
		return shape_fail(sc, "pointer tags %#lx, copy %#lx", min, max,
				  test_tag(ea), test_tag(eb));
	/*
	 * The parent pointer: the root's names its own tree, in the same way;
	 * any other's has the same tag and names its own tree's node.
	 */
	if (pa && test_tag(a->parent) != test_tag(b->parent))
		return shape_fail(sc, "parent tags %#lx, copy %#lx", min, max,
				  test_tag(a->parent), test_tag(b->parent));
	if (!pa) {
		if ((unsigned long)a->parent - (unsigned long)sc->a !=
		    (unsigned long)b->parent - (unsigned long)sc->b)
			return shape_fail(sc, "root parent %#lx, copy %#lx",
					  min, max,
					  (unsigned long)a->parent -
					  (unsigned long)sc->a,
					  (unsigned long)b->parent -
					  (unsigned long)sc->b);
	} else if (test_node(a->parent) != pa || test_node(b->parent) != pb) {
		return shape_fail(sc, "parent pointer off: source %d, copy %d",
				  min, max, test_node(a->parent) != pa,
				  test_node(b->parent) != pb);
	}

	switch (type) {
	case maple_leaf_64:
	case maple_range_64:
		npiv = MAPLE_RANGE64_SLOTS - 1;
		nslot = MAPLE_RANGE64_SLOTS;
		piv_a = a->mr64.pivot;
		piv_b = b->mr64.pivot;
		slot_a = a->mr64.slot;
		slot_b = b->mr64.slot;
		meta_a = &a->mr64.meta;
		meta_b = &b->mr64.meta;
		break;
	case maple_arange_64:
		npiv = MAPLE_ARANGE64_SLOTS - 1;
		nslot = MAPLE_ARANGE64_SLOTS;
		piv_a = a->ma64.pivot;
		piv_b = b->ma64.pivot;
		slot_a = a->ma64.slot;
		slot_b = b->ma64.slot;
		gap_a = a->ma64.gap;
		gap_b = b->ma64.gap;
		meta_a = &a->ma64.meta;
		meta_b = &b->ma64.meta;
		break;
	default:
		return shape_fail(sc, "unexpected node type %lu%.0lu", min, max,
				  (unsigned long)type, 0);
	}

	end = test_data_end(piv_a, npiv, max);
	if (end != test_data_end(piv_b, npiv, max))
		return shape_fail(sc, "last slot %lu, copy %lu", min, max, end,
				  test_data_end(piv_b, npiv, max));
	for (i = 0; i <= end && i < npiv; i++)
		if (piv_a[i] != piv_b[i])
			return shape_fail(sc, "pivot %lu differs: %#lx", min,
					  max, i, piv_b[i] ^ piv_a[i]);
	if (gap_a) {
		for (i = 0; i <= end; i++)
			if (gap_a[i] != gap_b[i])
				return shape_fail(sc, "gap of slot %lu: copy "
						  "off by %#lx", min, max, i,
						  gap_b[i] - gap_a[i]);
	}
	/* Metadata: always in a gap-tracking node, else when not full. */
	if (gap_a || end < nslot - 1) {
		if (meta_a->end != meta_b->end || meta_a->gap != meta_b->gap)
			return shape_fail(sc, "metadata end/gap %#lx, copy %#lx",
					  min, max,
					  meta_a->end << 8 | meta_a->gap,
					  meta_b->end << 8 | meta_b->gap);
	}

	for (i = 0; i <= end; i++) {
		void *ca = (void *)slot_a[i], *cb = (void *)slot_b[i];
		unsigned long cmin = i ? piv_a[i - 1] + 1 : min;
		unsigned long cmax = i == end ? max : piv_a[i];

		if (type == maple_leaf_64) {
			if (ca != cb)
				return shape_fail(sc, "slot %lu: copy holds "
						  "%#lx", min, max, i,
						  (unsigned long)cb);
			continue;
		}
		/* A child: an encoded node, with or without the internal tag. */
		if (test_node(ca) == NULL || test_node(cb) == NULL ||
		    xa_is_value(ca) || xa_is_value(cb))
			return shape_fail(sc, "slot %lu of an internal node "
					  "holds %#lx", min, max, i,
					  (unsigned long)(test_node(ca) ? cb : ca));
		if (!same_node(sc, ca, cb, cmin, cmax, a, b))
			return false;
	}
	return true;
}

/* Compare @b's shape with @a's; count the node pairs in *nodes. */
bool check_same_shape(struct maple_tree *a, struct maple_tree *b,
		      unsigned long *nodes, char *why, size_t len)
{
	struct shape_cmp sc = { .a = a, .b = b };
	void *ra, *rb;
	bool same;

	rcu_read_lock();	/* nobody writes either tree meanwhile */
	ra = rcu_dereference(a->ma_root);
	rb = rcu_dereference(b->ma_root);
	rcu_read_unlock();

	if (mt_height(a) != mt_height(b)) {
		snprintf(why, len, "height %u, copy %u", mt_height(a),
			 mt_height(b));
		return false;
	}
	if (!xa_is_node(ra) || !xa_is_node(rb)) {
		same = ra == rb;	/* NULL or a lone entry: the same */
		if (!same)
			snprintf(why, len, "root %p, copy %p", ra, rb);
		*nodes = 0;
		return same;
	}
	same = same_node(&sc, ra, rb, 0, ULONG_MAX, NULL, NULL);
	if (!same)
		snprintf(why, len, "%s", sc.why);
	*nodes = sc.nodes;
	return same;
}

/*
 * Everything below needs mtree_dup() and __mt_dup() (the seed's series);
 * without them check_mtree_dup reports itself skipped.  check_same_shape()
 * above serves other checks on every subject.
 */
#ifdef HAVE___MT_DUP
/*
 * An empty tree of @flags locked by the rwsem @sem, as fork() finds
 * mm->mm_mt locked by the mmap_lock.  (check_forking uses it too.)
 */
static void init_rwsem_tree(struct maple_tree *mt, struct rw_semaphore *sem,
			    unsigned int flags)
{
	init_rwsem(sem);
	mt_init_flags(mt, flags | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(mt, sem);
}
#endif

#if defined(HAVE_MTREE_DUP) && defined(HAVE___MT_DUP)

/* Ranges of the trees built here: [i * STRIDE, i * STRIDE + span]. */
#define STRIDE		16UL

static unsigned long assertions_failed(void)
{
	return atomic_read(&maple_tree_tests_run) -
	       atomic_read(&maple_tree_tests_passed);
}

/* Run mt_validate() on @mt under its lock; true if it found nothing. */
static bool tree_valid(struct check_ctx *ctx, struct maple_tree *mt,
		       struct rw_semaphore *sem)
{
	unsigned long bad = assertions_failed();

	harness_quiet = !ctx->verbose;
	if (sem)
		down_write(sem);
	else
		mtree_lock(mt);
	mt_validate(mt);
	if (sem)
		up_write(sem);
	else
		mtree_unlock(mt);
	harness_quiet = 0;
	return assertions_failed() == bad;
}

/* ------------------------------------------------------- building trees */

enum layout {
	LAYOUT_GAPS,		/* [i*16, i*16 + 7]: a gap after each range */
	LAYOUT_DENSE,		/* [i*16, i*16 + 15]: no gaps at all */
	LAYOUT_RANDOM,		/* gapped ranges stored in random order */
};

static unsigned long last_of(enum layout layout, unsigned long i)
{
	return i * STRIDE + (layout == LAYOUT_DENSE ? STRIDE - 1 : 7);
}

/* Store the first @nr ranges of @layout into @mt, which is empty. */
static void build(struct maple_tree *mt, enum layout layout, unsigned long nr,
		  unsigned long long *rnd)
{
	unsigned long i, j, *order;

	if (layout != LAYOUT_RANDOM) {
		for (i = 0; i < nr; i++)
			if (mtree_store_range(mt, i * STRIDE,
					      last_of(layout, i),
					      range_entry(i * STRIDE,
							  last_of(layout, i)),
					      GFP_KERNEL))
				BUG();
		return;
	}
	order = malloc(sizeof(*order) * (nr ? nr : 1));
	BUG_ON(!order);
	for (i = 0; i < nr; i++)
		order[i] = i;
	for (i = nr; i > 1; i--) {	/* Fisher-Yates */
		unsigned long t;

		j = check_random(rnd) % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < nr; i++) {
		unsigned long first = order[i] * STRIDE;

		if (mtree_store_range(mt, first, last_of(layout, order[i]),
				      range_entry(first,
						  last_of(layout, order[i])),
				      GFP_KERNEL))
			BUG();
	}
	free(order);
}

/* Far more ranges than three levels of nodes can hold (32-slot on 32-bit). */
#define FULL_LIMIT	(1UL << 17)

/*
 * The largest number of appended ranges a tree of @flags and @layout holds
 * at @height: append until the tree grows one level taller.
 */
static unsigned long full_count(unsigned int flags, enum layout layout,
				unsigned int height)
{
	struct maple_tree mt;
	unsigned long i;

	mt_init_flags(&mt, flags);
	for (i = 0; i < FULL_LIMIT; i++) {
		mtree_store_range(&mt, i * STRIDE, last_of(layout, i),
				  range_entry(i * STRIDE, last_of(layout, i)),
				  GFP_KERNEL);
		if (mt_height(&mt) > height)
			break;
	}
	mtree_destroy(&mt);
	return i;	/* ranges 0 .. i - 1 fitted (FULL_LIMIT: never grew) */
}

/* The nodes of the subtree at @enode, which covers up to @max. */
static unsigned long count_subtree(void *enode, unsigned long max)
{
	struct maple_node *node = test_node(enode);
	unsigned long count = 1, *pivots;
	void __rcu **slots;
	unsigned char npiv, end, i;

	switch (test_type(enode)) {
	case maple_range_64:
		npiv = MAPLE_RANGE64_SLOTS - 1;
		pivots = node->mr64.pivot;
		slots = node->mr64.slot;
		break;
	case maple_arange_64:
		npiv = MAPLE_ARANGE64_SLOTS - 1;
		pivots = node->ma64.pivot;
		slots = node->ma64.slot;
		break;
	default:
		return 1;	/* a leaf */
	}
	end = test_data_end(pivots, npiv, max);
	for (i = 0; i <= end; i++)
		count += count_subtree((void *)slots[i],
				       i == end ? max : pivots[i]);
	return count;
}

/* The nodes of @mt, which nobody writes meanwhile. */
static unsigned long count_nodes(struct maple_tree *mt)
{
	void *root;

	rcu_read_lock();
	root = rcu_dereference(mt->ma_root);
	rcu_read_unlock();
	return xa_is_node(root) ? count_subtree(root, ULONG_MAX) : 0;
}

/* ------------------------------------------------------------------ */
/* Does @mt hold exactly ranges 0 .. @nr - 1 of @layout, in order? */
static bool holds(struct maple_tree *mt, enum layout layout, unsigned long nr)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long i = 0;
	void *entry;
	bool ok = true;

	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (i >= nr || mas.index != i * STRIDE ||
		    mas.last != last_of(layout, i) ||
		    entry != range_entry(mas.index, mas.last)) {
			ok = false;
			break;
		}
		i++;
	}
	rcu_read_unlock();
	return ok && i == nr;
}

/* --------------------------------------------------- one duplication */

/* How the copy is made: the locked API, or __mt_dup() under our locks. */
enum dup_how {
	DUP_MTREE,		/* mtree_dup(): it takes both spinlocks */
	DUP_SPIN,		/* __mt_dup() under dst's, then src's lock */
	DUP_RWSEM,		/* __mt_dup() under external rwsems */
};

struct dup_pair {
	struct maple_tree *src, *dst;
	struct rw_semaphore *src_sem, *dst_sem;	/* DUP_RWSEM only */
	enum dup_how how;
};

/* mtree_dup(), which takes both trees' spinlocks: a gfp that may not sleep. */
static int mtree_dup_atomic(struct maple_tree *src, struct maple_tree *dst)
{
	int ret = mtree_dup(src, dst, check_atomic_gfp());

	check_atomic_end();
	return ret;
}

/*
 * Copy as @p says, allocating with @gfp under the rwsems; under spinlocks
 * (DUP_SPIN, and mtree_dup()'s own) with check_atomic_gfp(), as a caller
 * holding them must.
 */
static int do_dup(struct dup_pair *p, gfp_t gfp)
{
	int ret;

	switch (p->how) {
	case DUP_SPIN:
		/* new's lock first, the source's nested (as fork() does) */
		spin_lock(&p->dst->ma_lock);
		spin_lock_nested(&p->src->ma_lock, SINGLE_DEPTH_NESTING);
		ret = __mt_dup(p->src, p->dst, check_atomic_gfp());
		check_atomic_end();
		spin_unlock(&p->src->ma_lock);
		spin_unlock(&p->dst->ma_lock);
		return ret;
	case DUP_RWSEM:
		down_write(p->dst_sem);
		down_write_nested(p->src_sem, SINGLE_DEPTH_NESTING);
		ret = __mt_dup(p->src, p->dst, gfp);
		up_write(p->src_sem);
		up_write(p->dst_sem);
		return ret;
	default:
		return mtree_dup_atomic(p->src, p->dst);
	}
}

static void destroy_dst(struct dup_pair *p)
{
	if (p->how == DUP_RWSEM) {
		down_write(p->dst_sem);
		__mt_destroy(p->dst);
		up_write(p->dst_sem);
	} else {
		mtree_destroy(p->dst);
	}
}

/* Totals for -v. */
struct dup_stats {
	unsigned long copies;		/* successful duplications judged */
	unsigned long nodes;		/* node pairs compared in them */
	unsigned long points;		/* allocation failures injected */
	unsigned long refused;		/* -EINVAL cases */
	unsigned long reader_passes;	/* full iterations by RCU readers */
};

/*
 * Judge a successful duplication of @p->src into @p->dst: same ranges,
 * same shape node for node, exactly the source's node count allocated
 * (@allocated), same attributes and height, valid.
 */
static void judge_copy(struct check_ctx *ctx, struct dup_pair *p,
		       unsigned long allocated, const char *what,
		       struct dup_stats *st)
{
	unsigned long nodes = count_nodes(p->src), pairs = 0;
	unsigned int lock = MT_FLAGS_LOCK_MASK;
	char why[200] = "";

	CHECK(ctx, p->dst, check_same_ranges(p->src, p->dst, why, sizeof(why)),
	      "%s: the copy's ranges differ (source against copy): %s",
	      what, why);
	CHECK(ctx, p->dst, check_same_shape(p->src, p->dst, &pairs, why,
				      sizeof(why)),
	      "%s: the copy's shape differs: %s", what, why);
	CHECK(ctx, p->dst, pairs == nodes, "%s: compared %lu node pairs of "
	      "%lu", what, pairs, nodes);
	CHECK(ctx, p->dst, allocated == nodes, "%s: the copy took %lu nodes, "
	      "the source has %lu", what, allocated, nodes);
	CHECK(ctx, p->dst, (p->dst->ma_flags & ~lock) ==
	      (p->src->ma_flags & ~lock), "%s: flags %#x, source %#x", what,
	      p->dst->ma_flags, p->src->ma_flags);
	CHECK(ctx, p->dst, tree_valid(ctx, p->dst, p->dst_sem),
	      "%s: mt_validate() failed on the copy", what);
	st->copies++;
	st->nodes += pairs;
}

/* Duplicate into the empty @p->dst, judge, destroy the copy. */
static void dup_judge(struct check_ctx *ctx, struct dup_pair *p,
		      const char *what, struct dup_stats *st)
{
	unsigned long before;
	long base;
	int ret;

	rcu_barrier();
	base = nr_allocated;
	before = mt_nr_allocated();
	ret = do_dup(p, GFP_KERNEL);
	if (CHECK(ctx, p->src, ret == 0, "%s: returned %d", what, ret))
		judge_copy(ctx, p, mt_nr_allocated() - before, what, st);
	destroy_dst(p);
	rcu_barrier();
	CHECK(ctx, NULL, nr_allocated == base, "%s: %ld objects leaked", what,
	      nr_allocated - base);
}

/* Build a source of @nr ranges, duplicate it with mtree_dup(), judge. */
static void dup_built(struct check_ctx *ctx, unsigned int flags,
		      enum layout layout, unsigned long nr,
		      unsigned long long *rnd, const char *what,
		      struct dup_stats *st)
{
	struct maple_tree src, dst;
	struct dup_pair p = { .src = &src, .dst = &dst, .how = DUP_MTREE };
	char label[96];

	mt_init_flags(&src, flags);
	mt_init_flags(&dst, flags);
	build(&src, layout, nr, rnd);
	snprintf(label, sizeof(label), "%s (%lu ranges, flags %#x)", what, nr,
		 flags);
	dup_judge(ctx, &p, label, st);
	CHECK(ctx, &src, holds(&src, layout, nr), "%s: the source changed",
	      label);
	mtree_destroy(&src);
}

/* ------------------------------------------------------------ shapes */

static const unsigned int tree_types[] = { 0, MT_FLAGS_ALLOC_RANGE };

static void dup_small(struct check_ctx *ctx, struct dup_stats *st)
{
	struct maple_tree src, dst;
	struct dup_pair p = { .src = &src, .dst = &dst, .how = DUP_MTREE };
	static const unsigned long single[][2] = {
		{ 0, 0 }, { 5, 5 }, { 0, 9 }, { 1, ULONG_MAX }, { 0, ULONG_MAX },
		{ ULONG_MAX, ULONG_MAX },
	};
	size_t t, i;
	void *root;

	for (t = 0; t < ARRAY_SIZE(tree_types); t++) {
		/* empty */
		mt_init_flags(&src, tree_types[t]);
		mt_init_flags(&dst, tree_types[t]);
		dup_judge(ctx, &p, "empty tree", st);

		for (i = 0; i < ARRAY_SIZE(single); i++) {
			unsigned long first = single[i][0], last = single[i][1];
			char what[80];

			snprintf(what, sizeof(what), "single entry [%lu, %lu], "
				 "flags %#x", first, last, tree_types[t]);
			mt_init_flags(&src, tree_types[t]);
			mt_init_flags(&dst, tree_types[t]);
			mtree_store_range(&src, first, last,
					  xa_mk_value(first & 0xffff),
					  GFP_KERNEL);
			if (!last) {
				/* [0, 0] alone lives in ma_root: so in the copy */
				rcu_read_lock();
				root = rcu_dereference(src.ma_root);
				rcu_read_unlock();
				CHECK(ctx, &src, root == xa_mk_value(0),
				      "%s: not kept in ma_root (%p)", what,
				      root);
				mtree_dup_atomic(&src, &dst);
				rcu_read_lock();
				root = rcu_dereference(dst.ma_root);
				rcu_read_unlock();
				CHECK(ctx, &dst, root == xa_mk_value(0),
				      "%s: the copy's ma_root holds %p", what,
				      root);
				CHECK(ctx, &dst, mtree_load(&dst, 0) ==
				      xa_mk_value(0) && !mtree_load(&dst, 1),
				      "%s: the copy's content", what);
				mtree_destroy(&dst);
			}
			dup_judge(ctx, &p, what, st);
			mtree_destroy(&src);
		}
	}
}

/* Full trees: the most ranges an appending writer fits in 1, 2, 3 levels. */
static void dup_full(struct check_ctx *ctx, struct dup_stats *st)
{
	static const enum layout layouts[] = { LAYOUT_GAPS, LAYOUT_DENSE };
	unsigned int height;
	size_t t, l;

	for (t = 0; t < ARRAY_SIZE(tree_types); t++)
		for (l = 0; l < ARRAY_SIZE(layouts); l++)
			for (height = 1; height <= 3; height++) {
				unsigned long nr = full_count(tree_types[t],
							      layouts[l],
							      height);
				struct maple_tree src;

				if (!CHECK(ctx, NULL, nr < FULL_LIMIT, "%lu "
					   "appended ranges and the tree is "
					   "still of height %u", nr, height))
					continue;
				mt_init_flags(&src, tree_types[t]);
				build(&src, layouts[l], nr, NULL);
				CHECK(ctx, &src, mt_height(&src) == height,
				      "full tree of %lu ranges has height %u, "
				      "not %u", nr, mt_height(&src), height);
				mtree_destroy(&src);
				dup_built(ctx, tree_types[t], layouts[l], nr,
					  NULL, "full tree", st);
			}
}

/* 0 to 999 ranges, in order and in random order, and with erasures. */
static void dup_sizes(struct check_ctx *ctx, unsigned long long *rnd,
		      struct dup_stats *st)
{
	unsigned long nr;
	size_t t;

	for (t = 0; t < ARRAY_SIZE(tree_types); t++) {
		for (nr = 0; nr < 1000; nr += nr < 40 ? 1 : 37)
			dup_built(ctx, tree_types[t],
				  nr & 1 ? LAYOUT_RANDOM : LAYOUT_GAPS, nr,
				  rnd, "size", st);
		dup_built(ctx, tree_types[t], LAYOUT_GAPS, 999, rnd, "size",
			  st);
		dup_built(ctx, tree_types[t] | MT_FLAGS_USE_RCU, LAYOUT_DENSE,
			  999, rnd, "RCU mode", st);
	}

	/* Erase most ranges: rebalanced, sparse nodes, big gaps. */
	for (t = 0; t < ARRAY_SIZE(tree_types); t++) {
		struct maple_tree src, dst;
		struct dup_pair p = { .src = &src, .dst = &dst };
		unsigned long i;

		mt_init_flags(&src, tree_types[t]);
		mt_init_flags(&dst, tree_types[t]);
		build(&src, LAYOUT_GAPS, 999, rnd);
		for (i = 0; i < 999; i++)
			if (i % 7)
				mtree_erase(&src, i * STRIDE);
		dup_judge(ctx, &p, "after erasing 6 of every 7", st);
		mtree_destroy(&src);
	}
}

/* ------------------------------------------------------ refusals */

/* Each pair of attributes must be refused, whatever the tree holds. */
static void dup_refused(struct check_ctx *ctx, struct dup_stats *st)
{
	static const unsigned int mismatch[][2] = {	/* source, target */
		{ MT_FLAGS_ALLOC_RANGE, 0 },
		{ 0, MT_FLAGS_ALLOC_RANGE },
		{ MT_FLAGS_USE_RCU, 0 },
		{ 0, MT_FLAGS_USE_RCU },
		{ MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, MT_FLAGS_ALLOC_RANGE },
	};
	static const unsigned long sizes[] = { 0, 1, 300 };
	struct maple_tree src, dst;
	struct dup_pair p = { .src = &src, .dst = &dst, .how = DUP_MTREE };
	struct rw_semaphore sem_s, sem_d;
	char what[96];
	size_t i, s;
	int ret;

	for (i = 0; i < ARRAY_SIZE(mismatch); i++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			snprintf(what, sizeof(what), "source flags %#x, target "
				 "%#x, %lu ranges", mismatch[i][0],
				 mismatch[i][1], sizes[s]);
			mt_init_flags(&src, mismatch[i][0]);
			mt_init_flags(&dst, mismatch[i][1]);
			build(&src, LAYOUT_GAPS, sizes[s], NULL);
			ret = mtree_dup_atomic(&src, &dst);
			CHECK(ctx, &dst, ret == -EINVAL, "%s: returned %d",
			      what, ret);
			CHECK(ctx, &dst, mtree_empty(&dst) &&
			      dst.ma_flags == mismatch[i][1],
			      "%s: the target changed (flags %#x)", what,
			      dst.ma_flags);
			CHECK(ctx, &src, holds(&src, LAYOUT_GAPS, sizes[s]),
			      "%s: the source changed", what);
			mtree_destroy(&dst);
			mtree_destroy(&src);
			st->refused++;
		}

	/* Height is not an attribute: a stale height in the target is fine. */
	mt_init_flags(&src, MT_FLAGS_ALLOC_RANGE);
	mt_init_flags(&dst, MT_FLAGS_ALLOC_RANGE | 2 << MT_FLAGS_HEIGHT_OFFSET);
	build(&src, LAYOUT_GAPS, 500, NULL);
	dup_judge(ctx, &p, "target with a stale height", st);
	mtree_destroy(&src);

	/* The lock type is an attribute too: a spinlock tree into an rwsem one. */
	mt_init_flags(&src, MT_FLAGS_ALLOC_RANGE);
	init_rwsem_tree(&dst, &sem_d, MT_FLAGS_ALLOC_RANGE);
	build(&src, LAYOUT_GAPS, 100, NULL);
	down_write(&sem_d);
	spin_lock_nested(&src.ma_lock, SINGLE_DEPTH_NESTING);
	ret = __mt_dup(&src, &dst, check_atomic_gfp());
	check_atomic_end();
	spin_unlock(&src.ma_lock);
	CHECK(ctx, &dst, ret == -EINVAL, "spinlock tree into an external-lock "
	      "tree: returned %d", ret);
	CHECK(ctx, &dst, mtree_empty(&dst) && dst.ma_flags ==
	      (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN),
	      "spinlock tree into an external-lock tree: the target changed "
	      "(flags %#x)", dst.ma_flags);
	__mt_destroy(&dst);
	up_write(&sem_d);
	mtree_destroy(&src);
	st->refused++;

	/* A target that is not empty: a lone [0, 0], then a real tree. */
	for (s = 1; s < ARRAY_SIZE(sizes); s++) {
		init_rwsem(&sem_s);
		mt_init_flags(&src, MT_FLAGS_ALLOC_RANGE);
		mt_init_flags(&dst, MT_FLAGS_ALLOC_RANGE);
		build(&src, LAYOUT_DENSE, 200, NULL);
		build(&dst, LAYOUT_GAPS, sizes[s], NULL);
		ret = mtree_dup_atomic(&src, &dst);
		CHECK(ctx, &dst, ret == -EINVAL, "non-empty target (%lu "
		      "ranges): returned %d", sizes[s], ret);
		CHECK(ctx, &dst, holds(&dst, LAYOUT_GAPS, sizes[s]),
		      "non-empty target (%lu ranges) changed", sizes[s]);
		CHECK(ctx, &dst, tree_valid(ctx, &dst, NULL),
		      "non-empty target (%lu ranges): mt_validate", sizes[s]);
		CHECK(ctx, &src, holds(&src, LAYOUT_DENSE, 200),
		      "non-empty target: the source changed");
		mtree_destroy(&dst);
		mtree_destroy(&src);
		st->refused++;
	}
}

/* --------------------------------------------- __mt_dup and its locks */

static void dup_locked(struct check_ctx *ctx, struct dup_stats *st)
{
	const unsigned int flags = MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU;
	unsigned long failures = harness_lockdep_failures;
	struct rw_semaphore sem_s, sem_d;
	struct maple_tree src, dst;
	struct dup_pair p = { .src = &src, .dst = &dst };
	unsigned int round;

	/* Spinlocks: mtree_dup() and __mt_dup() under the caller's locks. */
	mt_init_flags(&src, flags);
	mt_init_flags(&dst, flags);
	build(&src, LAYOUT_GAPS, 700, NULL);
	for (round = 0; round < 4; round++) {
		/* mtree_destroy() keeps the attributes: no mt_init_flags(). */
		p.how = round & 1 ? DUP_SPIN : DUP_MTREE;
		dup_judge(ctx, &p, round & 1 ? "__mt_dup under spinlocks" :
			  "mtree_dup", st);
		CHECK(ctx, &dst, dst.ma_flags == flags && mtree_empty(&dst),
		      "destroyed target: flags %#x, want %#x", dst.ma_flags,
		      flags);
	}
	mtree_destroy(&src);

	/* External rwsems, as fork() holds mmap_lock: write, then nested. */
	init_rwsem_tree(&src, &sem_s, flags);
	init_rwsem_tree(&dst, &sem_d, flags);
	p.src_sem = &sem_s;
	p.dst_sem = &sem_d;
	p.how = DUP_RWSEM;
	down_write(&sem_s);
	{
		MA_STATE(mas, &src, 0, 0);
		unsigned long i;

		for (i = 0; i < 700; i++) {
			mas_set_range(&mas, i * STRIDE, last_of(LAYOUT_GAPS, i));
			if (mas_store_gfp(&mas, range_entry(i * STRIDE,
					  last_of(LAYOUT_GAPS, i)), GFP_KERNEL))
				BUG();
		}
	}
	up_write(&sem_s);
	for (round = 0; round < 3; round++) {
		/* __mt_destroy() keeps the attributes, the lock included */
		dup_judge(ctx, &p, "__mt_dup under external rwsems", st);
		CHECK(ctx, &dst, dst.ma_flags == (flags | MT_FLAGS_LOCK_EXTERN)
		      && mtree_empty(&dst), "destroyed target: flags %#x",
		      dst.ma_flags);
	}
	down_write(&sem_s);
	__mt_destroy(&src);
	up_write(&sem_s);
	CHECK(ctx, NULL, harness_lockdep_failures == failures,
	      "%lu failed lock assertions", harness_lockdep_failures - failures);
}

/* ------------------------------------------------ allocation failures */

/*
 * Duplicate @src into a fresh target of its flags with the @k-th
 * allocation failing.  A failure must be -ENOMEM with the target empty,
 * unchanged and valid and every node given back; a success (the dup ended
 * before allocation @k, or retried) must be a perfect copy.  Returns
 * whether the injected failure fired.
 */
static bool dup_failing(struct check_ctx *ctx, struct maple_tree *src,
			long k, const char *what, struct dup_stats *st)
{
	unsigned int flags = src->ma_flags & ~MT_FLAGS_HEIGHT_MASK;
	struct maple_tree dst;
	struct dup_pair p = { .src = src, .dst = &dst, .how = DUP_MTREE };
	unsigned long before;
	bool fired;
	long base;
	int ret;

	mt_init_flags(&dst, flags);
	rcu_barrier();
	base = nr_allocated;
	before = mt_nr_allocated();
	harness_fail_nth_alloc(k);
	ret = mtree_dup_atomic(src, &dst);
	fired = !harness_fail_pending();
	harness_fail_nth_alloc(-1);
	if (ret) {
		CHECK(ctx, &dst, ret == -ENOMEM && fired, "%s, allocation %ld "
		      "failing: returned %d (failure %s)", what, k, ret,
		      fired ? "injected" : "never reached");
		CHECK(ctx, &dst, mtree_empty(&dst) && dst.ma_flags == flags,
		      "%s, allocation %ld failing: target not left empty "
		      "(flags %#x)", what, k, dst.ma_flags);
		CHECK(ctx, &dst, tree_valid(ctx, &dst, NULL),
		      "%s, allocation %ld failing: mt_validate on the target",
		      what, k);
		rcu_barrier();
		CHECK(ctx, &dst, nr_allocated == base, "%s, allocation %ld "
		      "failing: %ld objects not given back", what, k,
		      nr_allocated - base);
	} else {
		judge_copy(ctx, &p, mt_nr_allocated() - before, what, st);
	}
	mtree_destroy(&dst);
	rcu_barrier();
	if (!CHECK(ctx, NULL, nr_allocated == base, "%s, allocation %ld "
		   "failing: %ld objects leaked", what, k, nr_allocated - base))
		base = nr_allocated;
	if (fired)
		st->points++;
	return fired;
}

/* How many slab sheaves a clean mtree_dup() of @src allocates. */
static unsigned long clean_dup_sheaves(struct maple_tree *src)
{
	struct maple_tree dst;
	unsigned long made = harness_sheaves_made();

	mt_init_flags(&dst, src->ma_flags & ~MT_FLAGS_HEIGHT_MASK);
	mtree_dup_atomic(src, &dst);
	made = harness_sheaves_made() - made;
	mtree_destroy(&dst);
	rcu_barrier();
	return made;
}

/* Fail every allocation of a duplication in turn, for several sources. */
static void dup_sweep(struct check_ctx *ctx, struct dup_stats *st)
{
	static const struct {
		unsigned int flags;
		enum layout layout;
		unsigned long nr;
	} sources[] = {
		{ 0, LAYOUT_GAPS, 3 },
		{ MT_FLAGS_ALLOC_RANGE, LAYOUT_GAPS, 3 },
		{ 0, LAYOUT_GAPS, 60 },
		{ MT_FLAGS_ALLOC_RANGE, LAYOUT_RANDOM, 400 },
		{ 0, LAYOUT_DENSE, 1500 },
		{ MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, LAYOUT_GAPS, 1000 },
	};
	unsigned long long rnd = 7;
	struct maple_tree src;
	char what[96];
	size_t i;
	long k;

	/* The very first node (the root's copy) failing, on its own. */
	mt_init_flags(&src, MT_FLAGS_ALLOC_RANGE);
	build(&src, LAYOUT_GAPS, 1000, NULL);
	CHECK(ctx, &src, dup_failing(ctx, &src, 0, "dup with its first "
				     "allocation failing", st),
	      "the first allocation of a dup of 1000 ranges never came");
	mtree_destroy(&src);

	for (i = 0; i < ARRAY_SIZE(sources); i++) {
		unsigned long from = st->points, nodes;

		mt_init_flags(&src, sources[i].flags);
		build(&src, sources[i].layout, sources[i].nr, &rnd);
		/*
		 * One allocation point per node; a subject that allocates
		 * through slab sheaves (7.x) also allocates each sheaf, a
		 * point of its own that can fail as well.
		 */
		nodes = count_nodes(&src) + clean_dup_sheaves(&src);
		snprintf(what, sizeof(what), "dup of %lu ranges (%lu nodes, "
			 "flags %#x)", sources[i].nr, nodes, sources[i].flags);
		for (k = 0; dup_failing(ctx, &src, k, what, st); k++)
			if (!CHECK(ctx, NULL, k < 100000, "%s: sweep does not "
				   "end", what))
				break;
		CHECK(ctx, &src, st->points - from == nodes, "%s: %lu "
		      "allocation points, want one per node", what,
		      st->points - from);
		CHECK(ctx, &src, holds(&src, sources[i].layout, sources[i].nr),
		      "%s: the source changed", what);
		if (ctx->verbose)
			printf("  %-48s %4lu allocation points\n", what,
			       st->points - from);
		mtree_destroy(&src);
	}
}

/* Random sources, one random allocation failing in each: fixed seed. */
static void dup_random_failures(struct check_ctx *ctx, unsigned long long *rnd,
				struct dup_stats *st)
{
	static const unsigned int flags[] = {
		0, MT_FLAGS_ALLOC_RANGE, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
	};
	unsigned long from = st->points, runs = 160, i;
	struct maple_tree src;
	char what[160];

	for (i = 0; i < runs; i++) {
		unsigned long nr = check_random(rnd) % 1200;
		enum layout layout = check_random(rnd) % 3;
		unsigned int f = flags[check_random(rnd) % ARRAY_SIZE(flags)];
		unsigned long nodes, k;

		mt_init_flags(&src, f);
		build(&src, layout, nr, rnd);
		nodes = count_nodes(&src);
		k = check_random(rnd) % (nodes + 1);
		snprintf(what, sizeof(what), "random dup %lu: %lu ranges, "
			 "flags %#x, allocation %lu of %lu failing", i, nr, f,
			 k, nodes);
		dup_failing(ctx, &src, k, what, st);
		CHECK(ctx, &src, holds(&src, layout, nr), "%s: the source "
		      "changed", what);
		mtree_destroy(&src);
	}
	CHECK(ctx, NULL, st->points > from, "%lu random runs met no failure",
	      runs);
	if (ctx->verbose)
		printf("  %lu random runs, %lu failed an allocation\n", runs,
		       st->points - from);
}

/* --------------------------------------------------- RCU readers */

#define READERS		2
#define READ_RANGES	2000UL

struct dup_reader {
	struct maple_tree *mt;
	bool *stop;			/* atomic: the duplications are done */
	unsigned long passes;		/* full iterations made */
	unsigned long bad;		/* iterations that saw a change */
};

/* Iterate the source over and over: it must always hold the same ranges. */
static void *dup_reader_fn(void *arg)
{
	struct dup_reader *r = arg;

	do {
		MA_STATE(mas, r->mt, 0, 0);
		unsigned long i = 0;
		void *entry;
		bool ok = true;

		rcu_read_lock();
		mas_for_each(&mas, entry, ULONG_MAX) {
			if (mas.index != i * STRIDE ||
			    mas.last != last_of(LAYOUT_GAPS, i) ||
			    entry != range_entry(mas.index, mas.last))
				ok = false;
			i++;
		}
		rcu_read_unlock();
		if (!ok || i != READ_RANGES)
			r->bad++;
		r->passes++;
		sched_yield();	/* under valgrind, let the duplicator run */
	} while (!__atomic_load_n(r->stop, __ATOMIC_ACQUIRE));
	return NULL;
}

static void dup_rcu_readers(struct check_ctx *ctx, struct dup_stats *st)
{
	const unsigned int flags = MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU;
	struct dup_reader readers[READERS];
	unsigned long threads[READERS];
	struct maple_tree src, dst;
	struct dup_pair p = { .src = &src, .dst = &dst, .how = DUP_MTREE };
	bool stop = false;
	int i, started = 0, round;

	mt_init_flags(&src, flags);
	mt_init_flags(&dst, flags);
	build(&src, LAYOUT_GAPS, READ_RANGES, NULL);
	for (i = 0; i < READERS; i++) {
		readers[i] = (struct dup_reader){ .mt = &src, .stop = &stop };
		if (harness_thread_start(&threads[i], dup_reader_fn,
					 &readers[i]) == 0)
			started++;
		else
			break;
	}
	CHECK(ctx, NULL, started == READERS, "started %d readers of %d",
	      started, READERS);
	for (round = 0; round < 12; round++)
		dup_judge(ctx, &p, "dup with RCU readers of the source", st);
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < started; i++) {
		harness_thread_join(threads[i]);
		CHECK(ctx, &src, readers[i].bad == 0, "reader %d saw the source "
		      "change in %lu of %lu passes", i, readers[i].bad,
		      readers[i].passes);
		st->reader_passes += readers[i].passes;
	}
	CHECK(ctx, &src, holds(&src, LAYOUT_GAPS, READ_RANGES),
	      "the source changed under its readers");
	mtree_destroy(&src);
}

static void check_mtree_dup(struct check_ctx *ctx)
{
	unsigned long long rnd = ctx->seed ? ctx->seed : 1;
	struct dup_stats st = { 0 };
	long base;

	rcu_barrier();
	base = nr_allocated;
	dup_small(ctx, &st);
	dup_full(ctx, &st);
	dup_sizes(ctx, &rnd, &st);
	dup_refused(ctx, &st);
	dup_locked(ctx, &st);
	dup_sweep(ctx, &st);
	dup_random_failures(ctx, &rnd, &st);
	dup_rcu_readers(ctx, &st);
	rcu_barrier();
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked overall",
	      nr_allocated - base);
	if (ctx->verbose)
		printf("  %lu copies judged (%lu node pairs compared), %lu "
		       "refusals, %lu allocation points tried, %lu RCU reader "
		       "passes, %ld objects leaked\n", st.copies, st.nodes,
		       st.refused, st.points, st.reader_passes,
		       nr_allocated - base);
}
#else
static void check_mtree_dup(struct check_ctx *ctx)
{
#ifndef HAVE_MTREE_DUP
	check_skip(ctx, "%s has no mtree_dup()", SUBJECT_NAME);
#else
	check_skip(ctx, "%s has no __mt_dup()", SUBJECT_NAME);
#endif
}
#endif /* HAVE_MTREE_DUP && HAVE___MT_DUP */
DEFINE_CHECK(check_mtree_dup,
	     "mtree_dup/__mt_dup: node-for-node copies, refusals, every "
	     "allocation failing, RCU readers of the source");

/* --------------------------------------------------- check_forking */

/*
 * The seed's check: duplicate a 135-range allocation tree with external
 * locks, as dup_mmap() does, then overwrite every entry in the copy; the
 * copy has every node already, so no store may allocate.
 */
#ifdef HAVE___MT_DUP
static void check_forking(struct check_ctx *ctx)
{
	struct rw_semaphore parent_mmap, child_mmap;
	struct maple_tree parent, child;
	const unsigned long ranges = 135;
	unsigned long vma, nodes_before;
	void *entry;
	int ret;

	init_rwsem_tree(&parent, &parent_mmap, MT_FLAGS_ALLOC_RANGE);
	init_rwsem_tree(&child, &child_mmap, MT_FLAGS_ALLOC_RANGE);

	/* The parent's "VMAs": [v * 10, v * 10 + 5] for v = 0 .. 134. */
	down_write(&parent_mmap);
	for (vma = 0; vma < ranges; vma++) {
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
	for (vma = 0; vma < ranges; vma++) {
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
#else
static void check_forking(struct check_ctx *ctx)
{
	/* fork()'s tree copy without it: check_fork_model's old strategy */
	check_skip(ctx, "%s has no __mt_dup()", SUBJECT_NAME);
}
#endif
DEFINE_CHECK(check_forking,
	     "__mt_dup of a 135-range tree, then every entry overwritten");
