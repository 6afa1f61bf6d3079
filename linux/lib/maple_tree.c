// SPDX-License-Identifier: GPL-2.0+
/*
 * maple_tree.c: the maple project's own maple tree.
 *
 * A B-tree that maps non-overlapping ranges [index, last] of unsigned long
 * to pointer-sized entries, readable under RCU while one writer (holding
 * the tree's lock) changes it.  The API follows Linux 6.12; the design
 * below is this file's own.
 *
 * ------------------------------------------------------------------ LAYOUT
 *
 * Every node is 256 bytes, 256-byte aligned, from maple_node_cache.  A
 * range node (leaf or internal) with n used slots (n = end + 1):
 *
 *   +--------+---------+---------+-----+-----------+-------+-----+---------+
 *   | parent | pivot 0 | pivot 1 | ... | pivot 14  | slot0 | ... | slot 15 |
 *   +--------+---------+---------+-----+-----------+-------+-----+---------+
 *                                                    slot 15 doubles as the
 *                                                    metadata while unused
 *
 *   slot i covers [pivot[i-1] + 1, pivot[i]]; slot 0 starts at the node's
 *   minimum and the last used slot ends at the node's maximum.  Neither
 *   bound is stored in the node: the parent's pivots give them (the root
 *   covers 0..ULONG_MAX).
 *
 *   pivot[end] == node max when end < 15; pivots after it are 0;
 *   meta.end == end whenever slot 15 is free.  So the end of a node
 *   whose maximum is known reads as:
 *       pivot[14] == 0    -> meta.end
 *       pivot[14] == max  -> 14
 *       otherwise         -> 15 (full; slot 15 holds an entry)
 *
 * An allocation tree (MT_FLAGS_ALLOC_RANGE) uses maple_arange_64 for its
 * internal nodes: 10 slots, 9 pivots, gap[i] = the largest run of NULL
 * indices below slot i, and a metadata word that is always there (end,
 * and the slot of the largest gap).  Its leaves are ordinary leaves.
 *
 * The sizes above are for 64-bit; a 32-bit build has twice the slots.
 *
 * Pointer tags.  A node pointer is never stored bare:
 *
 *   what                      bits 8+          bits 7..3        2   1   0
 *   ------------------------  ---------------  ---------------  --  --  --
 *   encoded node (enode)      node address     type [1]         0   1   0
 *   parent word, inner node   parent address   slot in parent   0   0   0
 *   parent word, root node    tree address     (tree bits)          ...  1
 *   parent word, dead node    the node's own address, untagged
 *   ma_root                   NULL, an enode, or a user entry at [0, 0]
 *   ma_state.alloc            spare list, or (request << 1) | 1
 *
 *   [1] enum maple_type in bits 6..3, bit 7 is 0 (a parent word needs
 *   all five for the slot); bit 1 makes every enode an internal
 *   entry above 4096, so xa_is_node() tells an enode from a user entry.
 *   A tree's root pointer holds a user entry only when that entry is not
 *   an internal entry (XA_ZERO_ENTRY at index 0 lives in a leaf).
 *
 * Invariants (mt_validate() checks each one):
 *   I1  pivots strictly increase and lie within the node's [min, max];
 *   I2  every child's parent word names its parent and its slot;
 *   I3  no node reachable from ma_root is dead;
 *   I4  every node but the root has at least mt_min_slots[type] slots used;
 *   I5  the leaves, read left to right, cover 0..ULONG_MAX with no two NULL
 *       ranges side by side (so an empty index walks to its maximal gap);
 *   I6  in allocation trees, gap[i] is the largest NULL run below slot i
 *       (during a bulk load outside RCU mode it may be larger, until
 *       mas_destroy() makes every gap exact: mt_fix_gaps());
 *   I7  the height in ma_flags is the number of levels of nodes;
 *   I8  a tree that holds only an entry at [0, 0] keeps it in ma_root,
 *       a tree that holds nothing has ma_root == NULL.
 *
 * ------------------------------------------------------------- THE WRITES
 *
 * Every store is planned first, then carried out.  The planner,
 * mas_wr_store_type(), walks to the leaf and sorts the store into one of
 * the kernel's store types.  A store whose window is one leaf (with at
 * most one sibling taken in) is planned there in full and carried out in
 * place by that type's executor ("The planner and its executors");
 * every other store is carried out by the engine, which rewrites the
 * levels as described here.  The planner and the engine decide with the
 * same policy functions (mt_parts(), mt_share_plan(), mt_cut(),
 * mt_items_leave_no_node()), so an executor leaves the tree node for node
 * as the engine would have.
 *
 * All memory is obtained before the tree changes, so -ENOMEM changes
 * nothing: either a dry run of the engine counts the nodes it will need
 * (mas_preallocate(), mas_store()), or, for a store that may wait for
 * memory (mas_store_gfp(), mas_erase()), a bound taken from the height
 * alone stands for the count (mw_bound()).  Then the real run.  Levels
 * are numbered from the leaves (0).
 *
 *  1. A NULL store grows to swallow NULL neighbours (I5).
 *  2. Walk to the leaf holding index (the left path) and the leaf holding
 *     last (the right path).  Between them lies the level's "window".
 *  3. At each level, build the level's items in a buffer: the left node's
 *     slots before the window, what the level below produced (at the
 *     leaves: the new entry), the right node's slots after the window.
 *  4. Too few items (I4)?  Take in all of a neighbouring node, widening
 *     the window.  Too many for one node of a one-node window?  Share
 *     with a sibling or split (mt_share_plan()).  Then cut the items into
 *     as few nodes as fit (mt_parts(), mt_cut()).
 *  5. One node from a window of one node: it replaces that node in its
 *     parent with one pointer store and the climb stops.  Outside RCU
 *     mode the node is rewritten where it is instead; in RCU mode, a
 *     leaf that changes in one slot and no pivot has that slot swapped.
 *     (Most stores within one leaf never reach the engine: the planner
 *     below hands them to an executor, which does the same.)
 *     Otherwise the new nodes are the level above's middle items; above
 *     the root they make a new root, and a root left with one child
 *     gives way to it.
 *
 *   before: storing X over [30, 70] across two leaves
 *
 *                  [ P: a | b | c ]
 *                   /      |      \
 *        [10 20 40 50] [60 80 90]  ...
 *
 *   leaf items: 10 20 (30..)  X=[30,70]  (71..)80 90  -> one or two leaves,
 *   which take the place of a and b in P's items: [ new | c ].
 *
 * The engine's working memory is per CPU (mw_get()), not on the
 * stack.
 *
 * In RCU mode nothing a reader can see is changed except by publishing a
 * finished node with one rcu_assign_pointer(); replaced nodes are marked
 * dead and freed after a grace period, and a reader that finds a dead
 * node walks again from the root.  The one exception is a store that
 * changes a single leaf slot and no pivot: that slot is swapped in place.
 * Readers also step up through parent words (mas_hop_leaf()), so two
 * more rules hold: a node already in the tree is pointed at a new parent
 * only once that parent is published (mt_adopt()), and a reader judges
 * a node (ma_dead()) only after it read every word it uses from it.  A
 * word that changes while the node is alive (a slot, a gap, the parent
 * word) is read once, into a local; a live node's pivots and end never
 * change in RCU mode, so those may be read twice (the descent counts the
 * pivots, then reads the two around its slot).
 *
 * ------------------------------------------------------------ CONVENTIONS
 *
 * In this file:
 *   mt       the struct maple_tree
 *   mas      the caller's struct ma_state
 *   w        a write in progress of the engine (struct mt_write)
 *   wp       the plan of a store (struct mt_wr_plan)
 *   gs       a free-space search (struct mt_gap_search)
 *   enode    an encoded node (struct maple_enode *), node a decoded one
 *   offset   a slot number within a node; end the last used slot
 *   h        a level, 0 at the leaves
 *   min/max  the inclusive bounds of what a node covers
 *
 * A function's prefix says what its first argument is:
 *   mt_*()   a struct maple_tree (and the API's mt_*() names)
 *   mas_*()  a struct ma_state; mas_wr_*() a store through one
 *   mte_*()  an encoded node; ma_*() a decoded node (or its parts)
 *   mw_*()   a struct mt_write, the engine's working state
 *   mg_*()   a struct mt_gap_search
 *   mt_buf_*(), mt_items_*()  a level's items; mt_dup_*() a struct
 *            mt_dup; mt_check_*() a struct mt_check; mt_batch_*() a
 *            struct mt_free_batch
 * A few helpers keep the kernel's own names (mt_mk_node(), mt_slot(),
 * mt_free_one()), and the policy functions of the cut (mt_parts(),
 * mt_share_plan(), mt_cut()) take only numbers and items.
 */
#include <linux/maple_tree.h>	/* our API and node layouts */
#include <linux/xarray.h>	/* entry encoding: xa_is_node() and friends */
#include <linux/types.h>	/* unsigned long, bool */
#include <linux/export.h>	/* EXPORT_SYMBOL */
#include <linux/slab.h>		/* the node cache */
#include <linux/limits.h>	/* ULONG_MAX */
#include <linux/cache.h>	/* L1_CACHE_BYTES */
#include <linux/percpu.h>	/* the engine's scratch, one per CPU */
#include <linux/preempt.h>	/* held with preemption off */
#include <asm/barrier.h>	/* smp_rmb/smp_wmb around dead marks */

/* Every exported symbol goes through these, GPL-only or not as in 6.12. */
#define MT_EXPORT(sym)		EXPORT_SYMBOL(sym)
#define MT_EXPORT_GPL(sym)	EXPORT_SYMBOL_GPL(sym)

/* ------------------------------------------------------------- constants */

#define MT_ENODE_TAG		2UL	/* makes an encoded node an internal value */
#define MT_PARENT_ROOT		1UL	/* parent word names the tree */
#define MT_PARENT_SLOT_SHIFT	3	/* slot number in a parent word */
#define MT_PARENT_SLOT_MASK	0xF8UL

/* ma_state.mas_flags */
#define MT_MAS_PREALLOC		0x01	/* spares come from mas_preallocate() */
#define MT_MAS_BULK		0x02	/* mas_expected_entries() mode */
#define MT_MAS_DISCARD		0x04	/* the caller drops @mas after the store */
#define MT_MAS_GAPS		0x08	/* gaps above left too large (bulk) */
#define MT_MAS_RETRY		0x10	/* mas_store_gfp() may wait for memory */
#define MT_MAS_COUNTED		0x20	/* the spares are the engine's count */

/* Spares obtained with one bulk allocation at most (on the stack). */
#define MT_GRAB_BATCH		32

/* A tagged allocation request in ma_state.alloc. */
#define MT_REQ_TAG		1UL

/* The largest level buffer: two full nodes, the level below's output. */
#define MT_BUF_ITEMS		(3 * MAPLE_RANGE64_SLOTS + 4)
/* Nodes a write may take apart: three a level, and the ancestors. */
#define MT_USED_MAX		(5 * (MAPLE_HEIGHT_MAX + 1))

static struct kmem_cache *maple_node_cache;	/* every node comes from here */

/* Slots per node type. */
static const unsigned char mt_slots[maple_arange_64 + 1] = {
	[maple_dense] = MAPLE_NODE_SLOTS,		/* unused type */
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS,		/* user entries */
	[maple_range_64] = MAPLE_RANGE64_SLOTS,		/* children */
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS,	/* children + gaps */
};

/* The fewest slots a node other than the top may use (I4). */
static const unsigned char mt_min_slots[maple_arange_64 + 1] = {
	[maple_dense]		= MAPLE_NODE_SLOTS / 3,
	[maple_leaf_64]		= MAPLE_RANGE64_SLOTS / 3,
	[maple_range_64]	= MAPLE_RANGE64_SLOTS / 3,
	[maple_arange_64]	= MAPLE_ARANGE64_SLOTS / 3,
};

#ifdef CONFIG_DEBUG_MAPLE_TREE	/* test counters, dumps, validation */
atomic_t maple_tree_tests_run;		/* MT_BUG_ON() evaluated */
atomic_t maple_tree_tests_passed;	/* MT_BUG_ON() that held */
#endif

/* ------------------------------------------------------ locks and flags */

/* Does the caller hold @mt's writer lock (or is lock tracking off)? */
static inline bool mt_locked(const struct maple_tree *mt)
{
	if (mt_external_lock(mt))
		return mt_lock_is_held(mt);
	return lockdep_is_held(&mt->ma_lock);
}

static inline bool mt_is_alloc(const struct maple_tree *mt)
{
	/* readers too: the writer changes the height bits beside it */
	return READ_ONCE(mt->ma_flags) & MT_FLAGS_ALLOC_RANGE;
}

/* The flags a tree keeps when it is emptied: everything but the height. */
static inline unsigned int mt_attr(const struct maple_tree *mt)
{
	return mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK;
}

static inline void mt_set_height(struct maple_tree *mt, unsigned int height)
{
	BUG_ON(height > MAPLE_HEIGHT_MAX);
	WRITE_ONCE(mt->ma_flags,
		   mt_attr(mt) | (height << MT_FLAGS_HEIGHT_OFFSET));
}

/* ma_root, for a reader (rcu_read_lock() or the lock held). */
static inline void *mt_root_get(const struct maple_tree *mt)
{
	return rcu_dereference_check(mt->ma_root, mt_locked(mt));
}

/* ------------------------------------------------------ encoded pointers */

static inline struct maple_enode *mt_mk_node(const struct maple_node *node,
					     enum maple_type ntype)
{
	return (struct maple_enode *)((unsigned long)node |
			((unsigned long)ntype << MAPLE_NODE_TYPE_SHIFT) |
			MT_ENODE_TAG);
}

static inline struct maple_node *mte_to_node(const struct maple_enode *enode)
{
	return (struct maple_node *)((unsigned long)enode & ~MAPLE_NODE_MASK);
}

static inline enum maple_type mte_node_type(const struct maple_enode *enode)
{
	return ((unsigned long)enode >> MAPLE_NODE_TYPE_SHIFT) &
		MAPLE_NODE_TYPE_MASK;
}

static inline bool ma_is_leaf(enum maple_type ntype)
{
	return ntype < maple_range_64;
}

static inline bool mte_is_leaf(const struct maple_enode *enode)
{
	return ma_is_leaf(mte_node_type(enode));
}

/* Is this word of ma_root or of an internal slot a node? */
static inline bool mt_is_enode(const void *val)
{
	return xa_is_node(val);
}

/* The ntype of the nodes at level @h of @mt. */
static inline enum maple_type mt_level_type(const struct maple_tree *mt,
					    unsigned int h)
{
	if (!h)
		return maple_leaf_64;
	return mt_is_alloc(mt) ? maple_arange_64 : maple_range_64;
}

static inline unsigned long *ma_pivots(struct maple_node *node,
				       enum maple_type ntype)
{
	if (ntype == maple_arange_64)
		return node->ma64.pivot;
	return node->mr64.pivot;
}

static inline void __rcu **ma_slots(struct maple_node *node,
				    enum maple_type ntype)
{
	if (ntype == maple_arange_64)
		return node->ma64.slot;
	return node->mr64.slot;
}

static inline unsigned long *ma_gaps(struct maple_node *node,
				     enum maple_type ntype)
{
	return ntype == maple_arange_64 ? node->ma64.gap : NULL;
}

/*
 * Pivots of a node of type @ntype: mt_slots[ntype] - 1, computed rather
 * than loaded, since the descent needs it before anything else.
 */
static inline unsigned char mt_pivot_count(enum maple_type ntype)
{
	return (ntype == maple_arange_64 ? MAPLE_ARANGE64_SLOTS :
					   MAPLE_RANGE64_SLOTS) - 1;
}

/* Read slot @off as a reader may (RCU or lock). */
static inline void *mt_slot(const struct maple_tree *mt, void __rcu **slots,
			    unsigned char off)
{
	return rcu_dereference_check(slots[off], mt_locked(mt));
}

/*
 * ma_data_end() - the last used slot of @node, whose maximum is @hi_lim.
 * See the layout block for why this needs the maximum.
 */
static inline unsigned char ma_data_end(struct maple_node *node,
					enum maple_type ntype,
					unsigned long hi_lim)
{
	unsigned char last_piv = MAPLE_RANGE64_SLOTS - 2, full, meta;
	unsigned long piv;

	if (ntype == maple_arange_64)
		return node->ma64.meta.end;
	/*
	 * Both answers are read and one is chosen, with no branch to
	 * mispredict: full and not full nodes mix in any tree.
	 */
	piv = node->mr64.pivot[last_piv];
	/* in a full node this byte is part of slot 15, swapped in place */
	meta = READ_ONCE(node->mr64.meta.end);
	full = last_piv + (piv != hi_lim);
	return piv ? full : meta;
}

/* How many of the four pivots from @pivs lie below @idx. */
static inline unsigned int ma_below4(const unsigned long *pivs,
				     unsigned long idx)
{
	return (pivs[0] < idx) + (pivs[1] < idx) + (pivs[2] < idx) +
	       (pivs[3] < idx);
}

/*
 * ma_below() - how many of the first @n pivots of @pivs lie below @idx:
 * four compares a round, with a bound the compiler knows for each node
 * type (a loop of one compare spends more on the loop than on the
 * compare), then one at a time.
 */
static __always_inline unsigned int ma_below(const unsigned long *pivs,
					     unsigned int n, unsigned long idx)
{
	unsigned int from, off = 0;

	for (from = 0; from + 4 <= n; from += 4)
		off += ma_below4(pivs + from, idx);
	for (; from < n; from++)
		off += pivs[from] < idx;
	return off;
}

/*
 * ma_slot_of() - the slot of @node (of type @ntype) whose range holds @idx,
 * where @idx lies within the node's bounds.
 *
 * The slot is the number of pivots below @idx.  Counting them all, rather
 * than scanning to the first one at or above @idx, leaves no branch to
 * mispredict where the scan would stop, and each pivot costs one compare
 * against memory (x86 folds the load into it) and one add.  The pivots
 * past the end are 0 (mt_validate() checks it), so the count takes them
 * in as well, and the end says how many they are:
 *   range node: none when pivot[last] is set (the node is full, or its
 *     last used slot is the one before slot 15), else (last - meta.end);
 *   allocation node: (last - meta.end), or none when the end is the last
 *     slot.
 * @idx 0 is always in slot 0 (a real pivot[0] may be 0 too).
 *
 * An RCU reader may run this on a node that a writer is replacing.  While
 * a node is alive its pivots and its end do not change (in RCU mode the
 * only writes into a live node are single slot stores, gaps and parent
 * words), so they agree.  In a dead node call_rcu() may have written over
 * the first pivots: the mask keeps the answer among the node's slots, and
 * the caller, which judges the node (ma_dead()) before it uses what it
 * read, throws it away.
 */
static inline unsigned char ma_slot_of(struct maple_node *node,
				       enum maple_type ntype,
				       unsigned long idx)
{
	unsigned int below, tail;
	unsigned long last;
	unsigned char end;

	if (!idx)
		return 0;
	if (ntype == maple_arange_64) {
		below = ma_below(node->ma64.pivot, MAPLE_ARANGE64_SLOTS - 1,
				 idx);
		end = READ_ONCE(node->ma64.meta.end);
		tail = MAPLE_ARANGE64_SLOTS - 2 - end +
		       (end == MAPLE_ARANGE64_SLOTS - 1);
	} else {
		/* the last pivot is read once: it is counted and tested */
		below = ma_below(node->mr64.pivot, MAPLE_RANGE64_SLOTS - 2,
				 idx);
		last = node->mr64.pivot[MAPLE_RANGE64_SLOTS - 2];
		below += last < idx;
		/* in a full node this byte is part of slot 15: not used then */
		end = READ_ONCE(node->mr64.meta.end);
		tail = (MAPLE_RANGE64_SLOTS - 2 - end) & (0U - !last);
	}
	return (below - tail) & (MAPLE_RANGE64_SLOTS - 1);
}

/* ------------------------------------------------------- parent words */

static inline struct maple_pnode *mt_mk_parent(struct maple_node *parent,
					       unsigned char off)
{
	return (struct maple_pnode *)((unsigned long)parent |
			((unsigned long)off << MT_PARENT_SLOT_SHIFT));
}

static inline void mte_set_parent(struct maple_enode *enode,
				  struct maple_node *parent,
				  unsigned char off)
{
	WRITE_ONCE(mte_to_node(enode)->parent, mt_mk_parent(parent, off));
}

static inline void mte_set_root_parent(struct maple_enode *enode,
				       struct maple_tree *mt)
{
	WRITE_ONCE(mte_to_node(enode)->parent,
		   (struct maple_pnode *)((unsigned long)mt | MT_PARENT_ROOT));
}

static inline bool ma_is_root(const struct maple_node *node)
{
	return (unsigned long)node->parent & MT_PARENT_ROOT;
}

static inline struct maple_node *ma_parent(const struct maple_node *node)
{
	return (struct maple_node *)((unsigned long)node->parent &
				     ~MAPLE_NODE_MASK);
}

static inline unsigned char ma_parent_slot(const struct maple_node *node)
{
	return ((unsigned long)node->parent & MT_PARENT_SLOT_MASK) >>
		MT_PARENT_SLOT_SHIFT;
}

/*
 * A node taken out of the tree points its parent word at itself.  Readers
 * that loaded anything from a node check this afterwards.
 */
static inline void ma_mark_dead(struct maple_node *node)
{
	smp_wmb(); /* the replacement is published before the node dies */
	WRITE_ONCE(node->parent, (struct maple_pnode *)node);
	smp_wmb(); /* dead before the rcu_head overwrites its words */
}

static inline bool ma_dead(const struct maple_node *node)
{
	smp_rmb(); /* the words read from the node come before this check */
	return READ_ONCE(node->parent) == (struct maple_pnode *)node;
}

/* ---------------------------------------------------- node memory */

/*
 * Start fetching every cache line of the node @node.  A hint only: @node may
 * be stale, so it is used as a number, never as a pointer to step.
 */
static inline void mt_prefetch_node(const struct maple_node *node)
{
	unsigned long line = (unsigned long)node;
	unsigned int off;

	/* the builtin: tools/testing, which builds this file too, has no
	 * <linux/prefetch.h> */
	for (off = 0; off < sizeof(*node); off += L1_CACHE_BYTES)
		__builtin_prefetch((const void *)(line + off));
}

/*
 * Start fetching the lines of @node's slots.  A descent reads the pivots
 * first, and only they say which slot to follow: without this, the slot's
 * line is asked for when they are in, a second memory latency at every
 * level the tree is not in the cache.  A hint, as above.
 */
static inline void mt_prefetch_slots(struct maple_node *node,
				     enum maple_type ntype)
{
	const char *first = (const char *)ma_slots(node, ntype);

	__builtin_prefetch(first);
	__builtin_prefetch(first + (mt_pivot_count(ntype) + 1) *
			   sizeof(void *) - 1);
}

static inline struct maple_node *mt_alloc_one(gfp_t gflags)
{
	return kmem_cache_alloc(maple_node_cache, gflags);
}

static inline void mt_free_one(struct maple_node *node)
{
	kmem_cache_free(maple_node_cache, node);
}

/*
 * mt_alloc_bulk() - @n nodes into @nodes, all of them or none.
 * Return: true when all @n were obtained; on false none is ours, and the
 * slots of @nodes may hold stale pointers that must not be followed.
 *
 * The bulk allocator's answer changed type between kernels: up to 6.x it
 * is how many objects it allocated (an int: 0, or all of them in SLUB's
 * practice, though the type lets a short count through), from 7.x whether
 * it allocated all of them (a bool, true being 1 whatever @n is).  Reading
 * a bool as a count takes every multi-node success for a failure and leaks
 * its nodes, so the answer is read by its type: a short count gives its
 * nodes back, a bool is the verdict itself.
 */
static bool mt_alloc_bulk(gfp_t gflags, size_t n, void **nodes)
{
	__auto_type got = kmem_cache_alloc_bulk(maple_node_cache, gflags, n,
						nodes);

	if (_Generic(got, bool: true, default: false))
		return got;
	if ((size_t)got == n)
		return true;
	if (got > 0)	/* a short count: those are ours to give back */
		kmem_cache_free_bulk(maple_node_cache, got, nodes);
	return false;
}

/* Nodes on their way back to the cache, given back a batch at a time. */
struct mt_free_batch {
	unsigned int nr;
	void *nodes[MT_GRAB_BATCH];
};

static void mt_batch_flush(struct mt_free_batch *fb)
{
	if (fb->nr)
		kmem_cache_free_bulk(maple_node_cache, fb->nr, fb->nodes);
	fb->nr = 0;
}

static void mt_batch_add(struct mt_free_batch *fb, void *node)
{
	fb->nodes[fb->nr++] = node;
	if (fb->nr == MT_GRAB_BATCH)
		mt_batch_flush(fb);
}

static void mt_free_rcu(struct rcu_head *rh)
{
	mt_free_one(container_of(rh, struct maple_node, rcu));
}

/*
 * mt_retire() - @enode has left @mt: free it now, or after a grace
 * period when RCU readers may still hold it.
 */
static void mt_retire(struct maple_tree *mt, struct maple_enode *enode)
{
	struct maple_node *node = mte_to_node(enode);

	if (mt_in_rcu(mt)) {
		ma_mark_dead(node);
		call_rcu(&node->rcu, mt_free_rcu);
	} else {
		mt_free_one(node);
	}
}

/* ------------------------------------------- spare nodes of a ma_state */

static inline bool mas_alloc_is_req(const struct ma_state *mas)
{
	return (unsigned long)mas->alloc & MT_REQ_TAG;
}

/* Spare nodes held by @mas. */
static inline unsigned long mas_spares(const struct ma_state *mas)
{
	if (!mas->alloc || mas_alloc_is_req(mas))
		return 0;
	return mas->alloc->total;
}

/* Nodes a failed write asked for, to be obtained by mas_nomem(). */
static inline unsigned long mas_alloc_req(const struct ma_state *mas)
{
	if (mas_alloc_is_req(mas))
		return (unsigned long)mas->alloc >> 1;
	if (mas->alloc)
		return mas->alloc->request_count;
	return 0;
}

static inline void mas_set_alloc_req(struct ma_state *mas, unsigned long cnt)
{
	if (mas->alloc && !mas_alloc_is_req(mas)) {
		mas->alloc->request_count = cnt;
		return;
	}
	mas->alloc = cnt ?
		(struct maple_alloc *)((cnt << 1) | MT_REQ_TAG) : NULL;
}

/*
 * The spares form a stack of chunks.  The top spare, mas->alloc, is a
 * chunk: slot[0] links the chunk below it, slot[1..node_count] name spares
 * that are not chunks, and total counts every spare from it down.  A spare
 * pushed when the top chunk is full (or there is none) becomes the new top
 * chunk; any other is only named in the top chunk.  So obtaining many
 * spares writes to one node in MAPLE_ALLOC_SLOTS - 1, not to each.
 */
static void mas_push_spare(struct ma_state *mas, struct maple_node *node)
{
	struct maple_alloc *top = mas_spares(mas) ? mas->alloc : NULL;

	if (top && top->node_count < MAPLE_ALLOC_SLOTS - 1) {
		top->slot[++top->node_count] = &node->alloc;
		top->total++;
		top->request_count = 0;
		return;
	}
	node->alloc.slot[0] = top;
	node->alloc.node_count = 0;
	node->alloc.total = top ? top->total + 1 : 1;
	node->alloc.request_count = 0;
	mas->alloc = &node->alloc;
}

/* Take the spare on top of the stack, as it is.  There must be one. */
static struct maple_alloc *mas_unlink_spare(struct ma_state *mas)
{
	struct maple_alloc *top = mas->alloc;

	if (top->node_count) {
		top->total--;
		return top->slot[top->node_count--];
	}
	mas->alloc = top->slot[0];	/* its total was kept while covered */
	return top;
}

/* Take a spare node, zeroed.  The caller made sure there is one. */
static struct maple_node *mas_pop_spare(struct ma_state *mas)
{
	struct maple_alloc *spare;

	BUG_ON(!mas_spares(mas));
	spare = mas_unlink_spare(mas);
	memset(spare, 0, sizeof(struct maple_node));
	return (struct maple_node *)spare;
}

/*
 * mas_grab() - add @cnt spares to @mas.
 * Return: true if all @cnt were obtained; those that were stay anyway.
 */
static bool mas_grab(struct ma_state *mas, unsigned long cnt, gfp_t gflags)
{
	void *batch[MT_GRAB_BATCH];
	unsigned int i, n;

	if (mas_alloc_is_req(mas))
		mas->alloc = NULL;
	if (cnt == 1) {
		/*
		 * One node, the most a store takes (an RCU node store): the
		 * allocator's single-object path costs a third less than a
		 * bulk call of one.
		 */
		batch[0] = mt_alloc_one(gflags);
		if (!batch[0])
			return false;
		mas_push_spare(mas, batch[0]);
		return true;
	}
	while (cnt) {
		n = min_t(unsigned long, cnt, MT_GRAB_BATCH);
		/* All of a batch or none of it, as the bulk allocator gives. */
		if (!mt_alloc_bulk(gflags, n, batch))
			return false;
		for (i = 0; i < n; i++)
			mas_push_spare(mas, batch[i]);
		cnt -= n;
	}
	return true;
}

static void mas_free_spares(struct ma_state *mas)
{
	struct mt_free_batch fb;

	if (!mas_spares(mas)) {	/* the common case after a store */
		mas->alloc = NULL;
		return;
	}
	/* Not zeroed as for a user, and given back a batch at a time. */
	fb.nr = 0;
	while (mas_spares(mas))
		mt_batch_add(&fb, mas_unlink_spare(mas));
	mt_batch_flush(&fb);
	mas->alloc = NULL;
}

static inline void mas_set_err(struct ma_state *mas, long err)
{
	mas->node = MA_ERROR(err);
	mas->status = ma_error;
}

static unsigned long ma_leaf_largest_gap(struct maple_node *node,
					 const struct maple_tree *mt,
					 unsigned int cnt, unsigned long lo,
					 unsigned long hi);

/*
 * mt_gaps_below() - make every gap below @enode, which covers [@lo_lim,
 * @hi_lim], exact again; return the largest.  The writer's own pass:
 * the lock is held.
 */
static unsigned long mt_gaps_below(struct maple_tree *mt,
				   struct maple_enode *enode,
				   unsigned long lo_lim, unsigned long hi_lim)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype), *gaps, lo = lo_lim, hi;
	unsigned char end = ma_data_end(node, ntype, hi_lim), i, best = 0;
	void __rcu **slots = ma_slots(node, ntype);

	if (ma_is_leaf(ntype))
		return ma_leaf_largest_gap(node, mt, end + 1U, lo_lim, hi_lim);
	gaps = ma_gaps(node, ntype);
	for (i = 0; i <= end; i++, lo = hi + 1) {
		hi = i < end ? pivs[i] : hi_lim;
		WRITE_ONCE(gaps[i], mt_gaps_below(mt,
				rcu_dereference_protected(slots[i], mt_locked(mt)),
				lo, hi));
		if (gaps[i] > gaps[best])
			best = i;
	}
	node->ma64.meta.gap = best;
	return gaps[best];
}

/* mt_fix_gaps() - mt_gaps_below() of the whole of @mt, after a bulk load. */
static void mt_fix_gaps(struct maple_tree *mt)
{
	void *top = rcu_dereference_protected(mt->ma_root, mt_locked(mt));

	if (mt_is_enode(top))
		mt_gaps_below(mt, top, 0, ULONG_MAX);
}

/**
 * mas_destroy() - release the spare nodes @mas still holds and leave the
 * preallocation and bulk modes.
 * @mas: the maple state
 *
 * Context: any context; frees memory.
 */
void mas_destroy(struct ma_state *mas)
{
	if (mas->mas_flags & MT_MAS_GAPS)
		mt_fix_gaps(mas->tree);
	mas->mas_flags &= ~(MT_MAS_PREALLOC | MT_MAS_BULK | MT_MAS_GAPS);
	mas_free_spares(mas);
}
MT_EXPORT_GPL(mas_destroy);

/*
 * mas_grab_wanted() - obtain the nodes a failed write asked for beyond the
 * spares it has (at least one), dropping the tree's own lock around an
 * allocation that may sleep.  With __GFP_NOFAIL it keeps asking until all
 * are in hand; what mas_grab() obtained stays with @mas either way, so
 * each try asks only for the rest.
 */
static void mas_grab_wanted(struct ma_state *mas, gfp_t gflags)
{
	unsigned long want = mas_alloc_req(mas), had = mas_spares(mas);
	bool drop;

	if (!want)
		want = 1;
	drop = gfpflags_allow_blocking(gflags) && !mt_external_lock(mas->tree);
	if (drop)
		mtree_unlock(mas->tree);
	while (!mas_grab(mas, want - (mas_spares(mas) - had), gflags) &&
	       (gflags & __GFP_NOFAIL))
		;
	if (drop)
		mtree_lock(mas->tree);
}

/**
 * mas_nomem() - after a write failed with -ENOMEM, get the nodes it asked
 * for and tell the caller to retry.
 * @mas: the maple state of the failed write
 * @gflags: how to allocate; when it may block and the tree has its own lock,
 *       the lock is dropped around the allocation
 *
 * Return: true if nodes were obtained (retry the write, which restarts
 * from the top); false if there was no -ENOMEM or no memory.
 */
bool mas_nomem(struct ma_state *mas, gfp_t gflags)
{
	if (!mas_is_err(mas) || mas->node != MA_ERROR(-ENOMEM))
		return false;
	mas_grab_wanted(mas, gflags);
	if (!mas_spares(mas))
		return false;
	mas_set_alloc_req(mas, 0);
	mas->node = NULL;
	mas->status = ma_start;
	return true;
}
MT_EXPORT_GPL(mas_nomem);

/* --------------------------------------------------------------- reads */

/*
 * __mas_descend() - walk from the top to the leaf range holding @idx and
 * point @mas at it (status, node, offset, min, max, end, index, last).
 * Restarts when it meets a dead node.  Each node's slot is read once; its
 * pivots are read by the count and again for the range's bounds, which
 * agree while the node lives (see ma_slot_of()), and the node is judged
 * after both.
 * With @prefetch, each node's slot lines are asked for with its pivots
 * (mt_prefetch_slots()): the writers' descent.
 * Return: the value of that range.
 *
 * Context: the lock or rcu_read_lock().
 */
static __always_inline void *__mas_descend(struct ma_state *mas,
					   unsigned long idx, bool prefetch)
{
	struct maple_tree *mt = mas->tree;
	struct maple_enode *enode;
	struct maple_node *node;
	enum maple_type ntype;
	unsigned long *pivs;
	unsigned long lo_lim, hi_lim, lo, hi;
	unsigned char off, depth, end;
	void *top, *next;

again:
	top = mt_root_get(mt);
	if (!mt_is_enode(top)) {
		mas->depth = 0;
		mas->node = NULL;
		mas->min = 0;
		mas->max = ULONG_MAX;
		mas->offset = MAPLE_NODE_SLOTS;
		mas->status = top ? ma_root : ma_none;
		return (top && !idx) ? top : NULL;
	}
	enode = top;
	lo_lim = 0;
	hi_lim = ULONG_MAX;
	depth = 0;	/* counted here, stored once: a char store may alias */
	for (;;) {
		node = mte_to_node(enode);
		ntype = mte_node_type(enode);
		if (prefetch)
			mt_prefetch_slots(node, ntype);
		pivs = ma_pivots(node, ntype);
		off = ma_slot_of(node, ntype, idx);
		lo = off ? pivs[off - 1] + 1 : lo_lim;
		/* pivot[end] is hi_lim, unless the node is full */
		hi = off < mt_pivot_count(ntype) ? pivs[off] : hi_lim;
		next = mt_slot(mt, ma_slots(node, ntype), off);
		depth++;
		if (ma_is_leaf(ntype)) {
			/* the end is read from the node too: before judging */
			end = ma_data_end(node, ntype, hi_lim);
			if (unlikely(ma_dead(node)))
				goto again;
			mas->depth = depth;
			mas->node = enode;
			mas->offset = off;
			mas->end = end;
			mas->min = lo_lim;
			mas->max = hi_lim;
			mas->index = lo;
			mas->last = hi;
			mas->status = ma_active;
			return next;
		}
		if (unlikely(ma_dead(node)))
			goto again;
		enode = next;
		lo_lim = lo;
		hi_lim = hi;
	}
}

/*
 * The descent, out of line (a store's has its own, below).  The two
 * hottest readers, mas_walk() and mtree_load(), have __mas_descend()
 * inlined instead: the same code, compiled into them.
 */
static void *mas_descend(struct ma_state *mas, unsigned long idx)
{
	return __mas_descend(mas, idx, false);
}

/*
 * The descent of a store's planner, with the slot lines fetched early.
 * Measured on random stores over a 100,000-entry tree (not in the cache):
 * 0.92-0.93 of the time without, faster in 62-64 of 100 paired rounds;
 * the readers (mtree_load(), mas_walk()) showed no gain, so they go
 * without.
 */
static noinline void *mas_wr_descend(struct ma_state *mas, unsigned long idx)
{
	return __mas_descend(mas, idx, true);
}

/*
 * mt_lookup() - the value holding @idx and its range, without a ma_state
 * of the caller's.  Context: the lock or rcu_read_lock().
 */
static void *mt_lookup(struct maple_tree *mt, unsigned long idx,
		       unsigned long *lo, unsigned long *hi)
{
	MA_STATE(mas, mt, idx, idx);
	void *val = mas_descend(&mas, idx);

	if (mas.status == ma_active) {
		*lo = mas.index;
		*hi = mas.last;
	} else if (mas.status == ma_root && !idx) {
		*lo = *hi = 0;
	} else if (mas.status == ma_root) {
		*lo = 1;
		*hi = ULONG_MAX;
	} else {
		*lo = 0;
		*hi = ULONG_MAX;
	}
	return val;
}

/**
 * mas_walk() - find the range holding mas->index, always from the top.
 * @mas: the maple state
 *
 * Sets index and last to the range found, also when it holds NULL.  An
 * empty tree leaves ma_none with [0, ULONG_MAX]; a lone top value gives
 * ma_root for index 0, else ma_none with [1, ULONG_MAX].
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value (XA_ZERO_ENTRY as is) or NULL.
 */
void *mas_walk(struct ma_state *mas)
{
	void *val = __mas_descend(mas, mas->index, false);

	switch (mas->status) {
	case ma_none:
		mas->index = 0;
		mas->last = ULONG_MAX;
		break;
	case ma_root:
		if (!mas->index) {
			mas->last = 0;
			break;
		}
		mas->index = 1;
		mas->last = ULONG_MAX;
		mas->status = ma_none;
		val = NULL;
		break;
	default:
		break;
	}
	return val;
}
MT_EXPORT_GPL(mas_walk);

/**
 * mtree_load() - the value at @idx of @mt.
 * @mt: the maple tree
 * @idx: the index
 *
 * Context: takes rcu_read_lock() itself; the value may be freed once the
 * caller's own protection (if any) ends.
 * Return: the val, or NULL (also for XA_ZERO_ENTRY).
 */
void *mtree_load(struct maple_tree *mt, unsigned long idx)
{
	MA_STATE(mas, mt, idx, idx);
	void *val;

	rcu_read_lock();
	/* inlined: what it writes into the local @mas the compiler drops */
	val = __mas_descend(&mas, idx, false);
	rcu_read_unlock();
	if (xa_is_zero(val))
		return NULL;
	return val;
}
MT_EXPORT(mtree_load);

/* The lone top value (ma_root status), as a reader may read it. */
static inline void *mas_root_entry(struct ma_state *mas)
{
	void *top = mt_root_get(mas->tree);

	return mt_is_enode(top) ? NULL : top;
}

/* Where the slot mas->offset ends, reading the leaf again. */
static bool mas_slot_bounds(struct ma_state *mas, unsigned long *lo,
			    unsigned long *hi)
{
	struct maple_node *node = mte_to_node(mas->node);
	enum maple_type ntype = mte_node_type(mas->node);
	unsigned long *pivs = ma_pivots(node, ntype);

	*lo = mas->offset ? pivs[mas->offset - 1] + 1 : mas->min;
	*hi = mas->offset < mas->end ? pivs[mas->offset] : mas->max;
	return !ma_dead(node);
}

/*
 * mas_hop_leaf() - move @mas from its leaf to the neighbouring leaf @dir
 * (1 or -1) under the same parent, without a walk from the top, and onto
 * that leaf's first (forward) or last (backward) range.
 *
 * Taken only when the parent's pivots on both sides of the neighbour are
 * real ones (strictly ascending) and they meet @mas's own bounds: the
 * parent then states the neighbour's bounds itself.  The neighbour after
 * that one is prefetched for the hop after this one.  Everything is read
 * before the two nodes are judged, as readers must under RCU.
 * Return: false, @mas untouched, when the caller must walk from the top.
 */
static bool mas_hop_leaf(struct ma_state *mas, int dir, void **val)
{
	struct maple_node *node = mte_to_node(mas->node), *parent, *leaf;
	enum maple_type ptype = mt_level_type(mas->tree, 1);
	unsigned long *ppivs, *pivs, lo, hi, first, last, pword;
	struct maple_enode *enode;
	void __rcu **pslots;
	unsigned char end, off;
	unsigned int poff;
	int step;
	void *v;

	/*
	 * One read of the parent word: a writer may root, re-parent or kill
	 * @node meanwhile, and the parent and the slot must come from the same
	 * word.  A dead node's word names the node itself.
	 */
	pword = (unsigned long)READ_ONCE(node->parent);
	parent = (struct maple_node *)(pword & ~MAPLE_NODE_MASK);
	if ((pword & MT_PARENT_ROOT) || parent == node)
		return false;
	poff = ((pword & MT_PARENT_SLOT_MASK) >> MT_PARENT_SLOT_SHIFT) + dir;
	if (!poff || poff >= mt_slots[ptype] - 1U)
		return false;	/* a bound would be the parent's own */
	ppivs = ma_pivots(parent, ptype);
	pslots = ma_slots(parent, ptype);
	lo = ppivs[poff - 1];
	hi = ppivs[poff];
	enode = rcu_dereference_check(pslots[poff], mt_locked(mas->tree));
	if (lo >= hi || !enode)
		return false;	/* past the parent's end */
	lo++;
	if (dir > 0 ? lo != mas->max + 1 : hi != mas->min - 1)
		return false;	/* not where @mas stands */
	/*
	 * The neighbour after this one, and the one after that: in a tree
	 * out of the cache each leaf may be on a page of its own, and a hop
	 * (eight entries or so) is too short to hide a TLB miss and a memory
	 * access; two hops are not.  Paired rounds at 100,000 entries:
	 * iterate 0.79-0.93, prev 0.81-0.91 of the time with one; at 1,000
	 * (in the cache) 1.00-1.08, the extra reads.
	 */
	for (step = 1; step <= 2; step++) {
		void *after;

		if (poff + step * dir >= mt_slots[ptype])
			break;
		after = READ_ONCE(pslots[poff + step * dir]);
		if (after)
			mt_prefetch_node(mte_to_node(after));
	}
	leaf = mte_to_node(enode);
	pivs = ma_pivots(leaf, maple_leaf_64);
	end = ma_data_end(leaf, maple_leaf_64, hi);
	off = dir > 0 ? 0 : end;
	first = off ? pivs[off - 1] + 1 : lo;
	last = off < end ? pivs[off] : hi;
	v = mt_slot(mas->tree, ma_slots(leaf, maple_leaf_64), off);
	if (unlikely(ma_dead(node) || ma_dead(parent) || ma_dead(leaf)))
		return false;
	mas->node = enode;
	mas->min = lo;
	mas->max = hi;
	mas->end = end;
	mas->offset = off;
	mas->index = first;
	mas->last = last;
	*val = v;
	return true;
}

/*
 * mas_stands_in_leaf() - after a re-walk from a dead leaf: is there still a
 * leaf to step in?  A writer may have emptied the tree, or shrunk it into
 * the root, while the reader stood in a leaf it retired: then the walk
 * leaves no node, and the iteration ends there (ma_none, NULL).
 */
static inline bool mas_stands_in_leaf(struct ma_state *mas)
{
	if (likely(mas->status == ma_active))
		return true;
	mas->status = ma_none;
	return false;
}

/*
 * mas_resume() - an iteration stopped at its limit (ma_overflow or
 * ma_underflow) goes on: from its node when it stands on one, else (the
 * tree was held in the root, or had none) from a fresh walk, which sets
 * the status.  True when @mas stands on its node again.
 */
static inline bool mas_resume(struct ma_state *mas)
{
	if (mas->node) {
		mas->status = ma_active;
		return true;
	}
	mas->status = ma_start;
	mas_walk(mas);
	return false;
}

/*
 * mas_step_next() - move to the range after the current one.
 * @empty: return NULL ranges too (else skip them)
 *
 * Stops with ma_overflow, returning NULL, when the current range already
 * reaches @hi_lim.  A dead leaf makes it walk again to where it was.
 */
static void *mas_step_next(struct ma_state *mas, unsigned long hi_lim, bool empty)
{
	struct maple_node *node;
	enum maple_type ntype;
	unsigned long lo, hi;
	void *val;

	for (;;) {
		if (!mas_slot_bounds(mas, &lo, &hi)) {
			mas_descend(mas, mas->last);
			if (unlikely(!mas_stands_in_leaf(mas)))
				return NULL;
			continue;
		}
		if (hi >= hi_lim) {
			mas->status = ma_overflow;
			return NULL;
		}
		if (mas->offset < mas->end) {
			node = mte_to_node(mas->node);
			ntype = mte_node_type(mas->node);
			mas->offset++;
			mas->index = hi + 1;
			mas->last = mas->offset < mas->end ?
				ma_pivots(node, ntype)[mas->offset] : mas->max;
			val = mt_slot(mas->tree, ma_slots(node, ntype),
					mas->offset);
			if (unlikely(ma_dead(node))) {
				mas_descend(mas, hi);
				continue;
			}
		} else {
			lo = mas->max + 1;
			if (!mas_hop_leaf(mas, 1, &val))
				val = mas_descend(mas, lo);
			/* A writer may have moved the boundary meanwhile. */
			if (mas->index < lo)
				mas->index = lo;
		}
		if (val || empty)
			return val;
	}
}

/*
 * mas_step_prev() - move to the range before the current one; ma_underflow
 * and NULL when the current range already starts at or below @lo_lim.
 */
static void *mas_step_prev(struct ma_state *mas, unsigned long lo_lim, bool empty)
{
	struct maple_node *node;
	enum maple_type ntype;
	unsigned long lo, hi;
	void *val;

	for (;;) {
		if (!mas_slot_bounds(mas, &lo, &hi)) {
			mas_descend(mas, mas->index);
			if (unlikely(!mas_stands_in_leaf(mas)))
				return NULL;
			continue;
		}
		if (lo <= lo_lim) {
			mas->status = ma_underflow;
			return NULL;
		}
		if (mas->offset) {
			node = mte_to_node(mas->node);
			ntype = mte_node_type(mas->node);
			mas->offset--;
			mas->last = lo - 1;
			mas->index = mas->offset ?
				ma_pivots(node, ntype)[mas->offset - 1] + 1 :
				mas->min;
			val = mt_slot(mas->tree, ma_slots(node, ntype),
					mas->offset);
			if (unlikely(ma_dead(node))) {
				mas_descend(mas, lo);
				continue;
			}
		} else {
			hi = mas->min - 1;
			if (!mas_hop_leaf(mas, -1, &val))
				val = mas_descend(mas, hi);
			if (mas->last > hi)
				mas->last = hi;
		}
		if (val || empty)
			return val;
	}
}

/*
 * mas_leaf_next() - the common step of a forward iteration, inside the
 * leaf: the next value is in the next slot or just past one empty range
 * (two empty ranges are never side by side), and starts within @hi_lim.
 * Return: that value with @mas moved to it, or NULL and @mas untouched when
 * anything else holds (the leaf's end, a dead leaf, the limit, a state
 * that no longer matches its node): the full path then decides.
 */
static __always_inline void *mas_leaf_next(struct ma_state *mas,
					   unsigned long hi_lim)
{
	struct maple_node *node;
	unsigned long *pivs, lo, hi;
	void __rcu **slots;
	unsigned char next;
	void *val;

	if (unlikely(mas->status != ma_active) || mas->offset >= mas->end ||
	    mas->last >= hi_lim || !mte_is_leaf(mas->node))
		return NULL;
	node = mte_to_node(mas->node);
	pivs = ma_pivots(node, maple_leaf_64);
	slots = ma_slots(node, maple_leaf_64);
	if (unlikely(pivs[mas->offset] != mas->last))
		return NULL;
	next = mas->offset + 1;
	lo = mas->last + 1;
	val = mt_slot(mas->tree, slots, next);
	if (!val && next < mas->end) {
		lo = pivs[next] + 1;
		next++;
		val = mt_slot(mas->tree, slots, next);
	}
	hi = next < mas->end ? pivs[next] : mas->max;
	/* Everything is read: only now may the node be judged. */
	if (unlikely(!val) || lo > hi_lim || unlikely(ma_dead(node)))
		return NULL;
	mas->offset = next;
	mas->index = lo;
	mas->last = hi;
	return val;
}

/*
 * mas_leaf_prev() - mas_leaf_next() backwards: the previous value is in
 * the slot before or just before one empty range, and the current range
 * starts above @lo_lim.  NULL, @mas untouched, when the full path decides.
 */
static __always_inline void *mas_leaf_prev(struct ma_state *mas,
					   unsigned long lo_lim)
{
	struct maple_node *node;
	unsigned long *pivs, lo, hi;
	void __rcu **slots;
	unsigned char prev;
	void *val;

	if (unlikely(mas->status != ma_active) || !mas->offset ||
	    mas->index <= lo_lim || !mte_is_leaf(mas->node))
		return NULL;
	node = mte_to_node(mas->node);
	pivs = ma_pivots(node, maple_leaf_64);
	slots = ma_slots(node, maple_leaf_64);
	prev = mas->offset - 1;
	hi = mas->index - 1;
	if (unlikely(pivs[prev] != hi))
		return NULL;
	lo = prev ? pivs[prev - 1] + 1 : mas->min;
	val = mt_slot(mas->tree, slots, prev);
	if (!val && prev && lo > lo_lim) {
		hi = lo - 1;
		prev--;
		lo = prev ? pivs[prev - 1] + 1 : mas->min;
		val = mt_slot(mas->tree, slots, prev);
	}
	/* Everything is read: only now may the node be judged. */
	if (unlikely(!val) || unlikely(ma_dead(node)))
		return NULL;
	mas->offset = prev;
	mas->index = lo;
	mas->last = hi;
	return val;
}

/*
 * The iterators share one shape: a setup that settles what the status of
 * @mas means here (and may answer alone), then a step.  Each returns true
 * from setup when *value is the answer.
 */
static bool mas_next_setup(struct ma_state *mas, unsigned long hi_lim,
			   void **val)
{
	bool was_none = mas->status == ma_none;

	if (unlikely(mas->last >= hi_lim)) {
		mas->status = ma_overflow;
		return true;
	}
	switch (mas->status) {
	case ma_active:
		return false;
	case ma_error:
		return true;
	case ma_overflow:
		if (mas_resume(mas))
			return false;
		break;
	case ma_underflow:
		mas->status = ma_active;
		*val = mas_walk(mas);
		if (*val)
			return true;
		break;
	case ma_root:
		break;
	case ma_none:
	case ma_pause:
	case ma_start:
		mas->status = ma_start;
		mas_walk(mas);
		break;
	}
	if (mas->status == ma_active)
		return false;
	if (mas->status == ma_root) {
		*val = NULL;
		if (was_none && !mas->index) {
			mas->last = 0;
			return true;
		}
		mas->index = 1;
		mas->last = ULONG_MAX;
		mas->status = ma_none;
		return true;
	}
	return true;
}

/**
 * mas_next() - the next value after the current range, up to @hi_lim.
 * @mas: the maple state
 * @hi_lim: the last index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value (XA_ZERO_ENTRY included) or NULL; ma_overflow when
 * @hi_lim was reached.
 */
void *mas_next(struct ma_state *mas, unsigned long hi_lim)
{
	void *val = mas_leaf_next(mas, hi_lim);

	if (likely(val))
		return val;
	if (mas_next_setup(mas, hi_lim, &val))
		return val;
	return mas_step_next(mas, hi_lim, false);
}
MT_EXPORT_GPL(mas_next);

/**
 * mas_next_range() - like mas_next(), but NULL ranges count as ranges.
 * @mas: the maple state
 * @hi_lim: the last index to look at
 *
 * Return: the value or NULL (also for a NULL range); ma_overflow when
 * @hi_lim was reached.
 */
void *mas_next_range(struct ma_state *mas, unsigned long hi_lim)
{
	void *val = NULL;

	if (mas_next_setup(mas, hi_lim, &val))
		return val;
	return mas_step_next(mas, hi_lim, true);
}
MT_EXPORT_GPL(mas_next_range);

/**
 * mt_next() - the first value after @idx, up to @hi_lim.  Takes
 * rcu_read_lock() itself.
 * @mt: the maple tree
 * @idx: the index to look after
 * @hi_lim: the last index to look at
 *
 * Return: the value, or NULL.
 */
void *mt_next(struct maple_tree *mt, unsigned long idx, unsigned long hi_lim)
{
	MA_STATE(mas, mt, idx, idx);
	void *val;

	rcu_read_lock();
	val = mas_next(&mas, hi_lim);
	rcu_read_unlock();
	return val;
}
MT_EXPORT_GPL(mt_next);

static bool mas_prev_setup(struct ma_state *mas, unsigned long lo_lim,
			   void **val)
{
	if (unlikely(mas->index <= lo_lim)) {
		mas->status = ma_underflow;
		return true;
	}
	switch (mas->status) {
	case ma_active:
		return false;
	case ma_error:
		return true;
	case ma_underflow:
		if (mas_resume(mas))
			return false;
		break;
	case ma_overflow:
		mas->status = ma_active;
		*val = mas_walk(mas);
		if (*val)
			return true;
		break;
	case ma_root:
		break;
	case ma_none:
	case ma_pause:
	case ma_start:
		mas->status = ma_start;
		mas_walk(mas);
		break;
	}
	if (mas->status == ma_active)
		return false;
	if (mas->status == ma_root) {
		if (!mas->index) {
			mas->status = ma_none;
			return true;
		}
		mas->index = mas->last = 0;
		*val = mas_root_entry(mas);
		return true;
	}
	/* ma_none: the only candidate below is the lone value at 0 */
	if (mas->index) {
		mas->index = mas->last = 0;
		if (lo_lim) {
			mas->status = ma_underflow;
			return true;
		}
		mas->status = ma_root;
		*val = mas_root_entry(mas);
	}
	return true;
}

/**
 * mas_prev() - the value before the current range, down to @lo_lim.
 * @mas: the maple state
 * @lo_lim: the first index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value or NULL; ma_underflow when @lo_lim was reached.
 */
void *mas_prev(struct ma_state *mas, unsigned long lo_lim)
{
	void *val = mas_leaf_prev(mas, lo_lim);

	if (likely(val))
		return val;
	if (mas_prev_setup(mas, lo_lim, &val))
		return val;
	return mas_step_prev(mas, lo_lim, false);
}
MT_EXPORT_GPL(mas_prev);

/**
 * mas_prev_range() - like mas_prev(), but NULL ranges count too.
 * @mas: the maple state
 * @lo_lim: the first index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value or NULL (also for a NULL range); ma_underflow when
 * @lo_lim was reached.
 */
void *mas_prev_range(struct ma_state *mas, unsigned long lo_lim)
{
	void *val = NULL;

	if (mas_prev_setup(mas, lo_lim, &val))
		return val;
	return mas_step_prev(mas, lo_lim, true);
}
MT_EXPORT_GPL(mas_prev_range);

/**
 * mt_prev() - the last value before @idx, down to @lo_lim.
 * @mt: the maple tree
 * @idx: the index to look before
 * @lo_lim: the first index to look at
 *
 * Context: takes rcu_read_lock() itself.
 * Return: the value, or NULL.
 */
void *mt_prev(struct maple_tree *mt, unsigned long idx, unsigned long lo_lim)
{
	MA_STATE(mas, mt, idx, idx);
	void *val;

	rcu_read_lock();
	val = mas_prev(&mas, lo_lim);
	rcu_read_unlock();
	return val;
}
MT_EXPORT_GPL(mt_prev);

/**
 * mas_pause() - make @mas safe to keep while the lock is dropped; the next
 * iteration walks again from where it stood.
 * @mas: the maple state
 */
void mas_pause(struct ma_state *mas)
{
	mas->node = NULL;
	mas->status = ma_pause;
}
MT_EXPORT_GPL(mas_pause);

static bool mas_find_setup(struct ma_state *mas, unsigned long hi_lim,
			   void **val)
{
	switch (mas->status) {
	case ma_active:
		return mas->last >= hi_lim;
	case ma_error:
		return true;
	case ma_start:
	case ma_root:
		break;
	case ma_pause:
		if (unlikely(mas->last >= hi_lim))
			return true;
		mas->last++;
		mas->index = mas->last;
		mas->status = ma_start;
		break;
	case ma_none:
		if (unlikely(mas->last >= hi_lim))
			return true;
		mas->index = mas->last;
		mas->status = ma_start;
		break;
	case ma_underflow:
		if (unlikely(mas->index >= hi_lim)) {
			mas->status = ma_overflow;
			return true;
		}
		mas->status = ma_active;
		*val = mas_walk(mas);
		if (*val)
			return true;
		break;
	case ma_overflow:
		if (unlikely(mas->last >= hi_lim))
			return true;
		mas->status = ma_active;
		*val = mas_walk(mas);
		if (*val)
			return true;
		break;
	}
	if (mas->status == ma_start) {
		if (mas->index > hi_lim)
			return true;
		*val = mas_walk(mas);
		if (*val)
			return true;
	}
	if (mas->status == ma_root) {
		mas->status = ma_none;
		mas->index = 1;
		mas->last = ULONG_MAX;
		return true;
	}
	if (mas->status == ma_none)
		return true;
	return mas->index == hi_lim;
}

/**
 * mas_find() - first call: the first value at or after mas->index up to
 * @hi_lim; later calls: the next val.
 * @mas: the maple state
 * @hi_lim: the last index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value (XA_ZERO_ENTRY included) or NULL.
 */
void *mas_find(struct ma_state *mas, unsigned long hi_lim)
{
	void *val = mas_leaf_next(mas, hi_lim);

	if (likely(val))
		return val;
	if (mas_find_setup(mas, hi_lim, &val))
		return val;
	val = mas_step_next(mas, hi_lim, false);
	mas->status = ma_active;	/* reaching @hi_lim is not reported */
	return val;
}
MT_EXPORT_GPL(mas_find);

/**
 * mas_find_range() - like mas_find(), stopping at NULL ranges too.
 * @mas: the maple state
 * @hi_lim: the last index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value or NULL (also for a NULL range).
 */
void *mas_find_range(struct ma_state *mas, unsigned long hi_lim)
{
	void *val = NULL;

	if (mas_find_setup(mas, hi_lim, &val))
		return val;
	return mas_step_next(mas, hi_lim, true);
}
MT_EXPORT_GPL(mas_find_range);

static bool mas_find_rev_setup(struct ma_state *mas, unsigned long lo_lim,
			       void **val)
{
	switch (mas->status) {
	case ma_active:
		return mas->index < lo_lim;
	case ma_error:
		return true;
	case ma_start:
	case ma_root:
		break;
	case ma_pause:
		if (unlikely(mas->index <= lo_lim)) {
			mas->status = ma_underflow;
			return true;
		}
		mas->index--;
		mas->last = mas->index;
		mas->status = ma_start;
		break;
	case ma_none:
		if (mas->index <= lo_lim) {
			mas->status = ma_none;
			return true;
		}
		mas->last = mas->index;
		mas->status = ma_start;
		break;
	case ma_overflow:
		if (unlikely(mas->index <= lo_lim)) {
			mas->status = ma_underflow;
			return true;
		}
		mas->status = mas->node ? ma_active : ma_start;
		break;
	case ma_underflow:
		if (unlikely(mas->index <= lo_lim))
			return true;
		mas->status = mas->node ? ma_active : ma_start;
		break;
	}
	if (mas->status == ma_start) {
		if (mas->index < lo_lim)
			return true;
		*val = mas_walk(mas);
		if (*val)
			return true;
	}
	if (mas->status == ma_root) {
		mas->status = ma_none;
		return true;
	}
	if (mas->status == ma_none) {
		/* Nothing at or above index: the only candidate is index 0. */
		mas->index = mas->last = 0;
		if (lo_lim) {
			mas->status = ma_underflow;
			return true;
		}
		mas->status = ma_root;
		*val = mas_root_entry(mas);
		return true;
	}
	return mas->index < lo_lim;
}

/**
 * mas_find_rev() - first call: the last value at or below mas->index down
 * to @lo_lim; later calls: the previous val.
 * @mas: the maple state
 * @lo_lim: the lowest index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value or NULL; ma_underflow when @lo_lim was reached.
 */
void *mas_find_rev(struct ma_state *mas, unsigned long lo_lim)
{
	void *val = mas_leaf_prev(mas, lo_lim);

	if (likely(val))
		return val;
	if (mas_find_rev_setup(mas, lo_lim, &val))
		return val;
	return mas_step_prev(mas, lo_lim, false);
}
MT_EXPORT_GPL(mas_find_rev);

/**
 * mas_find_range_rev() - like mas_find_rev(), NULL ranges included.
 * @mas: the maple state
 * @lo_lim: the lowest index to look at
 *
 * Context: the lock or rcu_read_lock().
 * Return: the value or NULL (also for a NULL range); ma_underflow when
 * @lo_lim was reached.
 */
void *mas_find_range_rev(struct ma_state *mas, unsigned long lo_lim)
{
	void *val = NULL;

	if (mas_find_rev_setup(mas, lo_lim, &val))
		return val;
	return mas_step_prev(mas, lo_lim, true);
}
MT_EXPORT_GPL(mas_find_range_rev);

/**
 * mt_find() - the first present value in [*@idx, @hi_lim]; *@idx moves just
 * past it (and wraps to 0 after ULONG_MAX).
 * @mt: the maple tree
 * @idx: where to start; updated on success
 * @hi_lim: the last index to look at
 *
 * Context: takes rcu_read_lock() itself.
 * Return: the val, or NULL.  XA_ZERO_ENTRY is skipped.
 */
void *mt_find(struct maple_tree *mt, unsigned long *idx, unsigned long hi_lim)
{
	MA_STATE(mas, mt, *idx, *idx);
	void *val;

	if (*idx > hi_lim)
		return NULL;
	rcu_read_lock();
	val = mas_descend(&mas, *idx);
	if (xa_is_zero(val))
		val = NULL;
	while (!val && mas.status == ma_active && mas.last < hi_lim) {
		val = mas_step_next(&mas, hi_lim, false);
		if (xa_is_zero(val))
			val = NULL;
	}
	rcu_read_unlock();
	if (val) {
		if (mas.status == ma_root)
			mas.last = 0;
		*idx = mas.last + 1;
	}
	return val;
}
MT_EXPORT(mt_find);

/**
 * mt_find_after() - mt_find() that gives up when *@idx has wrapped to 0.
 * @mt: the maple tree
 * @idx: where to start; moved past the value found
 * @hi_lim: the last index to look at
 *
 * Return: the value, or NULL.
 */
void *mt_find_after(struct maple_tree *mt, unsigned long *idx,
		    unsigned long hi_lim)
{
	if (!*idx)
		return NULL;
	return mt_find(mt, idx, hi_lim);
}
MT_EXPORT(mt_find_after);

/* --------------------------------------------------------------- writes */

/* One item of a level being rebuilt. */
struct mt_item {
	unsigned long last;	/* inclusive end of its range */
	void *ptr;		/* user entry (leaves) or child enode */
	unsigned long gap;	/* largest NULL run below (allocation trees) */
};

/* Items in index order, in an array of the user's (engine or fast path). */
struct mt_buf {
	unsigned long min;	/* first index the items cover */
	unsigned int nr;	/* items used */
	unsigned int cap;	/* items the array holds */
	struct mt_item *item;	/* the array */
};

static inline void mt_buf_init(struct mt_buf *buf, struct mt_item *items,
			       unsigned int cap)
{
	buf->min = 0;
	buf->nr = 0;
	buf->cap = cap;
	buf->item = items;
}

/* One node of a write's left or right path. */
struct mt_step {
	struct maple_enode *enode;	/* the node */
	unsigned long min;		/* first index it covers */
	unsigned long max;		/* last index it covers */
	unsigned char offset;		/* slot on the path */
	unsigned char end;		/* last used slot */
};

/* A node whose slots a write read into a level (commit run only). */
struct mt_used {
	struct maple_enode *enode;
	unsigned long max;	/* last index it covers */
	unsigned char lo, hi;	/* slots [lo, hi] were not carried over */
};

/* A store in progress. */
struct mt_write {
	struct ma_state *mas;
	struct maple_tree *tree;
	void *entry;			/* what to store */
	unsigned long index, last;	/* where, after NULL growth */
	unsigned int height;		/* levels before the write */
	bool commit;			/* false: only count nodes */
	bool rcu;			/* readers may be looking */
	unsigned int nodes;		/* nodes the run takes */
	unsigned int first;		/* items of the first node of a split */
	struct mt_step l[MAPLE_HEIGHT_MAX + 1];	/* left path, by level */
	struct mt_step r[MAPLE_HEIGHT_MAX + 1];	/* right path, by level */
	unsigned int nr_used;
	struct mt_used used[MT_USED_MAX];
	struct mt_buf level;		/* items of the level at work */
	struct mt_buf below;		/* what the level below produced */
	struct mt_item level_items[MT_BUF_ITEMS];	/* level's array */
	struct mt_item below_items[MT_BUF_ITEMS];	/* below's array */
	bool pcpu;			/* the CPU's scratch, not kmalloc()'s */
};

/* Append an item; at the leaves a NULL after a NULL widens the first. */
static void mt_buf_push(struct mt_buf *buf, unsigned long last, void *ptr,
			unsigned long gap, bool leaf)
{
	struct mt_item *prev = buf->nr ? &buf->item[buf->nr - 1] : NULL;

	if (leaf && prev && !prev->ptr && !ptr) {
		prev->last = last;
		return;
	}
	BUG_ON(buf->nr >= buf->cap);
	buf->item[buf->nr].last = last;
	buf->item[buf->nr].ptr = ptr;
	buf->item[buf->nr].gap = gap;
	buf->nr++;
}

/* The gaps of a node that keeps none. */
static const unsigned long mt_no_gaps[MAPLE_NODE_SLOTS];

/* Read the slots of @enode (covering [lo_lim, hi_lim]) as items. */
static unsigned int mt_node_items(struct maple_tree *mt,
				  struct maple_enode *enode,
				  unsigned long hi_lim, struct mt_item *items)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	unsigned long *gaps = ma_gaps(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char last_slot = ma_data_end(node, ntype, hi_lim);
	unsigned int i;

	/* A node without gaps reads zeroes: the loop asks nothing per slot. */
	if (!gaps)
		gaps = (unsigned long *)mt_no_gaps;
	for (i = 0; i < last_slot; i++) {
		items[i].last = pivs[i];
		items[i].ptr = mt_slot(mt, slots, i);
		items[i].gap = gaps[i];
	}
	items[i].last = hi_lim;
	items[i].ptr = mt_slot(mt, slots, i);
	items[i].gap = gaps[i];
	return last_slot + 1;
}

/* Fill @step as the child at slot @off of @parent. */
static void mw_step_down(struct mt_write *w, const struct mt_step *parent,
			 unsigned char off, struct mt_step *step)
{
	struct maple_node *node = mte_to_node(parent->enode);
	enum maple_type ntype = mte_node_type(parent->enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	struct maple_node *child;
	enum maple_type ctype;

	step->enode = mt_slot(w->tree, ma_slots(node, ntype), off);
	step->min = off ? pivs[off - 1] + 1 : parent->min;
	step->max = off < parent->end ? pivs[off] : parent->max;
	child = mte_to_node(step->enode);
	ctype = mte_node_type(step->enode);
	step->end = ma_data_end(child, ctype, step->max);
	step->offset = 0;
}

/* Walk the path to @idx, level by level, into @path. */
static void mw_path(struct mt_write *w, unsigned long idx,
		    struct mt_step *path)
{
	struct maple_node *node;
	unsigned long *pivs;
	int h = w->height - 1;
	struct mt_step *step = &path[h];

	step->enode = mt_root_get(w->tree);
	step->min = 0;
	step->max = ULONG_MAX;
	node = mte_to_node(step->enode);
	step->end = ma_data_end(node, mte_node_type(step->enode), ULONG_MAX);
	for (;;) {
		node = mte_to_node(step->enode);
		pivs = ma_pivots(node, mte_node_type(step->enode));
		step->offset = 0;
		while (step->offset < step->end && pivs[step->offset] < idx)
			step->offset++;
		if (!h)
			return;
		mw_step_down(w, step, step->offset, &path[h - 1]);
		h--;
		step = &path[h];
	}
}

static void mw_note_used(struct mt_write *w, const struct mt_step *step,
			 unsigned char lo, unsigned char hi)
{
	struct maple_enode *enode = step->enode;

	if (!w->commit)
		return;
	BUG_ON(w->nr_used >= MT_USED_MAX);
	w->used[w->nr_used].enode = enode;
	w->used[w->nr_used].max = step->max;
	w->used[w->nr_used].lo = lo;
	w->used[w->nr_used].hi = hi;
	w->nr_used++;
}

static bool mw_was_used(struct mt_write *w, struct maple_enode *enode)
{
	unsigned int i;

	for (i = 0; i < w->nr_used; i++)
		if (w->used[i].enode == enode)
			return true;
	return false;
}

/* Level 0: the leaf items with the new value in place. */
static void mw_leaf_level(struct mt_write *w)
{
	struct mt_item left[MAPLE_RANGE64_SLOTS], right[MAPLE_RANGE64_SLOTS];
	struct mt_buf *buf = &w->level;
	unsigned int nl, nr, loff, roff, i;
	unsigned long start;
	void *top;

	if (!w->height) {
		/* A virtual leaf made of ma_root. */
		top = mt_root_get(w->tree);
		nl = 0;
		if (top) {
			left[nl].last = 0;
			left[nl++].ptr = top;
		}
		left[nl].last = ULONG_MAX;
		left[nl++].ptr = NULL;
		memcpy(right, left, sizeof(left));
		nr = nl;
		for (loff = 0; left[loff].last < w->index; loff++)
			;
		for (roff = 0; right[roff].last < w->last; roff++)
			;
		buf->min = 0;
	} else {
		nl = mt_node_items(w->tree, w->l[0].enode, w->l[0].max, left);
		nr = mt_node_items(w->tree, w->r[0].enode, w->r[0].max, right);
		loff = w->l[0].offset;
		roff = w->r[0].offset;
		buf->min = w->l[0].min;
		if (w->l[0].enode == w->r[0].enode) {
			mw_note_used(w, &w->l[0], 0, 0);
		} else {
			mw_note_used(w, &w->l[0], 0, 0);
			mw_note_used(w, &w->r[0], 0, 0);
		}
	}
	buf->nr = 0;
	for (i = 0; i < loff; i++)
		mt_buf_push(buf, left[i].last, left[i].ptr, 0, true);
	start = loff ? left[loff - 1].last + 1 : buf->min;
	if (start < w->index)
		mt_buf_push(buf, w->index - 1, left[loff].ptr, 0, true);
	mt_buf_push(buf, w->last, w->entry, 0, true);
	if (right[roff].last > w->last)
		mt_buf_push(buf, right[roff].last, right[roff].ptr, 0, true);
	for (i = roff + 1; i < nr; i++)
		mt_buf_push(buf, right[i].last, right[i].ptr, 0, true);
}

/* Level @h >= 1: the window's outer slots around the level below's nodes. */
static void mw_inner_level(struct mt_write *w, unsigned int h)
{
	struct mt_item left[MAPLE_RANGE64_SLOTS], right[MAPLE_RANGE64_SLOTS];
	struct mt_buf *buf = &w->level, *below = &w->below;
	struct mt_step *l = &w->l[h], *r = &w->r[h];
	unsigned int nr, i;

	buf->nr = 0;
	if (h >= w->height) {
		buf->min = below->min;
		for (i = 0; i < below->nr; i++)
			buf->item[buf->nr++] = below->item[i];
		return;
	}
	buf->min = l->min;
	mt_node_items(w->tree, l->enode, l->max, left);
	nr = mt_node_items(w->tree, r->enode, r->max, right);
	for (i = 0; i < l->offset; i++)
		buf->item[buf->nr++] = left[i];
	for (i = 0; i < below->nr; i++)
		buf->item[buf->nr++] = below->item[i];
	for (i = r->offset + 1; i < nr; i++)
		buf->item[buf->nr++] = right[i];
	if (l->enode == r->enode) {
		mw_note_used(w, l, l->offset, r->offset);
	} else {
		mw_note_used(w, l, l->offset, l->end);
		mw_note_used(w, r, 0, r->offset);
	}
}

/* Is there a node left (right) of the window at level @h? */
static int mw_neighbour_level(struct mt_write *w, unsigned int h, bool right)
{
	unsigned int j;

	for (j = h + 1; j < w->height; j++) {
		if (right && w->r[j].offset < w->r[j].end)
			return j;
		if (!right && w->l[j].offset > 0)
			return j;
	}
	return -1;
}

/*
 * mw_widen() - level @h has too few items: take in every item of the next
 * node to the right (or, at the right edge, to the left) and move that
 * side of the window onto it.
 */
static void mw_widen(struct mt_write *w, unsigned int h, bool go_left)
{
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	struct mt_buf *buf = &w->level;
	bool leaf = !h;
	unsigned int n, i;
	int j, k;

	j = go_left ? -1 : mw_neighbour_level(w, h, true);
	if (j >= 0) {
		w->r[j].offset++;
		for (k = j - 1; k >= (int)h; k--)
			mw_step_down(w, &w->r[k + 1], w->r[k + 1].offset,
				     &w->r[k]);
		n = mt_node_items(w->tree, w->r[h].enode, w->r[h].max, items);
		for (i = 0; i < n; i++)
			mt_buf_push(buf, items[i].last, items[i].ptr,
				    items[i].gap, leaf);
		mw_note_used(w, &w->r[h], 1, 0);
		return;
	}
	j = mw_neighbour_level(w, h, false);
	BUG_ON(j < 0);
	w->l[j].offset--;
	for (k = j - 1; k >= (int)h; k--) {
		mw_step_down(w, &w->l[k + 1], w->l[k + 1].offset, &w->l[k]);
		w->l[k].offset = w->l[k].end;
	}
	n = mt_node_items(w->tree, w->l[h].enode, w->l[h].max, items);
	BUG_ON(buf->nr + n > buf->cap);
	memmove(&buf->item[n], &buf->item[0], buf->nr * sizeof(buf->item[0]));
	memcpy(&buf->item[0], items, n * sizeof(items[0]));
	buf->nr += n;
	buf->min = w->l[h].min;
	if (leaf && !buf->item[n - 1].ptr && !buf->item[n].ptr) {
		/* I5 says this cannot be; keep the buffer honest anyway. */
		buf->item[n - 1].last = buf->item[n].last;
		memmove(&buf->item[n], &buf->item[n + 1],
			(buf->nr - n - 1) * sizeof(buf->item[0]));
		buf->nr--;
	}
	mw_note_used(w, &w->l[h], 1, 0);
}

/*
 * The cut policy.  Every decision on where a level's items are cut, for
 * the engine and for the in-place stores alike, is made by the four
 * functions below: mt_parts() (how many nodes), mt_share_plan() (share
 * with a sibling, or split), mt_cut() (where the first node ends, off a
 * NULL) and mt_items_leave_no_node() (a tree that shrinks to ma_root).
 *
 * Splitting an overflowing node.  A store into one node adds at most two
 * items, so the node needs at most one more.  Before adding one to the
 * parent, the level tries to share the items with a sibling under the same
 * parent (the parent then keeps its number of children and the climb
 * stops); only when neither sibling has room does the node split.
 *
 *   share with the left sibling   the left node is filled to slots - 1
 *   share with the right sibling  the right node is filled to slots - 1
 *   split                         in halves, the larger half on the left
 *
 * "Room" leaves two free slots in the pair (three for leaves, one more at
 * the right edge of the tree), so that sharing never has to split in three.
 * No node but the leftmost ends on a NULL range: a cut that would is moved
 * one item right, or left when the right part would get too small.
 */
enum mt_share { MT_SHARE_NONE, MT_SHARE_LEFT, MT_SHARE_RIGHT };

/*
 * The items a node of @cap slots and its sibling may hold together, less
 * one, for the pair to share rather than split (see above): leaves keep
 * one more slot free, and so does the node at the right edge of the tree
 * (@max, its last index, is ULONG_MAX).
 */
static inline unsigned int mt_share_room(unsigned int cap, bool leaf,
					 unsigned long max)
{
	return 2 * cap - (leaf ? 1 : 0) - (max == ULONG_MAX ? 1 : 0);
}

/* How many items of a sibling at level @h would join the window. */
static unsigned int mw_sibling_items(struct mt_write *w, unsigned int h,
				     bool left)
{
	struct mt_step *parent = left ? &w->l[h + 1] : &w->r[h + 1];
	struct mt_step sibling;

	mw_step_down(w, parent, parent->offset + (left ? -1 : 1), &sibling);
	return sibling.end + 1U;
}

/*
 * mt_share_plan() - the policy for one node of @nr items that overflows
 * its @cap slots: take in the left sibling (@lsib items; 0 when there is
 * none under the same parent), else the right one (@rsib), else split.
 * @leaf and @max (the node's last index) give the room (mt_share_room()).
 * *@first gets the items of the first node of the cut: the left node
 * keeps slots - 1 after a share to the left, the right node after a share
 * to the right, a split cuts in halves.
 */
static enum mt_share mt_share_plan(unsigned int nr, unsigned int cap,
				   bool leaf, unsigned long max,
				   unsigned int lsib, unsigned int rsib,
				   unsigned int *first)
{
	unsigned int room = mt_share_room(cap, leaf, max);

	if (lsib && nr + lsib < room) {
		*first = cap - 1;
		return MT_SHARE_LEFT;
	}
	if (rsib && nr + rsib < room) {
		*first = nr + rsib - cap + 1;
		return MT_SHARE_RIGHT;
	}
	*first = (nr + 1) / 2;
	return MT_SHARE_NONE;
}

/* How many nodes of type @ntype the @nr items of a level fill. */
static inline unsigned int mt_parts(unsigned int nr, enum maple_type ntype)
{
	return DIV_ROUND_UP(nr, mt_slots[ntype]);
}

/*
 * mw_plan_overflow() - an overflowing single-node window at level @h:
 * decide whether it takes in a sibling, and where the first node ends
 * (w->first, the number of items it gets; 0 for an even cut).
 */
static enum mt_share mw_plan_overflow(struct mt_write *w, unsigned int h)
{
	enum maple_type ntype = mt_level_type(w->tree, h);
	unsigned int cap = mt_slots[ntype], nr = w->level.nr;
	unsigned int lsib = 0, rsib = 0;
	struct mt_step *parent;

	w->first = 0;
	if (h >= w->height || w->l[h].enode != w->r[h].enode || nr <= cap)
		return MT_SHARE_NONE;
	parent = &w->l[h + 1];	/* siblings only under the same parent */
	if (h + 1 < w->height && parent->offset > 0)
		lsib = mw_sibling_items(w, h, true);
	if (h + 1 < w->height && parent->offset < parent->end)
		rsib = mw_sibling_items(w, h, false);
	return mt_share_plan(nr, cap, !h, w->l[h].max, lsib, rsib, &w->first);
}

/* Move a cut of @cnt items off a NULL range (leaves only hold NULLs). */
static unsigned int mt_cut_off_null(const struct mt_buf *buf, unsigned int cnt,
				    enum maple_type ntype)
{
	unsigned int cap = mt_slots[ntype];

	if (buf->item[cnt - 1].ptr)
		return cnt;
	if (cnt < cap && buf->nr - cnt > mt_min_slots[ntype])
		return cnt + 1;
	if (cnt > 1 && buf->nr - cnt < cap)
		return cnt - 1;
	return cnt;	/* both parts full: the cut stays */
}

/*
 * mt_cut() - how many of the items @buf the first of two nodes of type
 * @ntype gets: @first, as mt_share_plan() planned it (0: half), moved
 * off a NULL range.
 */
static unsigned int mt_cut(const struct mt_buf *buf, unsigned int first,
			   enum maple_type ntype)
{
	return mt_cut_off_null(buf, first ? first : (buf->nr + 1) / 2, ntype);
}

/*
 * mt_items_leave_no_node() - would the leaf items @buf, as the whole
 * tree, leave no node (I8): nothing at all, or a lone entry at 0, which
 * ma_root holds itself?
 */
static bool mt_items_leave_no_node(const struct mt_buf *buf)
{
	const struct mt_item *it = buf->item;

	if (buf->nr == 1)
		return !it[0].ptr;
	return buf->nr == 2 && !it[0].last && it[0].ptr &&
	       !xa_is_internal(it[0].ptr) && !it[1].ptr;
}

/* Largest NULL run among leaf items [first, first + cnt). */
static unsigned long mt_items_null_run(const struct mt_item *items,
				       unsigned int cnt, unsigned long lo_lim)
{
	unsigned long gap = 0, start = lo_lim, len;
	unsigned int i;

	for (i = 0; i < cnt; i++) {
		if (!items[i].ptr) {
			len = items[i].last - start + 1;
			if (!len)	/* the whole index space */
				len = ULONG_MAX;
			if (len > gap)
				gap = len;
		}
		start = items[i].last + 1;
	}
	return gap;
}

static unsigned long mt_items_gap(const struct mt_item *items,
				  unsigned int cnt, unsigned long lo_lim,
				  bool leaf)
{
	unsigned long gap = 0;
	unsigned int i;

	if (leaf)
		return mt_items_null_run(items, cnt, lo_lim);
	for (i = 0; i < cnt; i++)
		if (items[i].gap > gap)
			gap = items[i].gap;
	return gap;
}

/*
 * mt_fill() - write @cnt items into @node (new, or being rewritten in
 * place outside RCU mode) and adopt its children.
 *
 * In RCU mode @node is new and not yet published, so only children that are
 * new too (a zeroed parent word: no reader can reach them) are adopted
 * here.  A child already in the tree keeps naming its old parent until
 * @node is published: mt_adopt() moves it afterwards.  Were it moved now, a
 * reader stepping up from it would find a node that is still being filled
 * and whose own parent word is not set yet.
 */
static void mt_fill(struct maple_tree *mt, struct maple_node *node,
		    enum maple_type ntype, const struct mt_item *items,
		    unsigned int cnt)
{
	unsigned long *pivs = ma_pivots(node, ntype);
	unsigned long *gaps = ma_gaps(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char cap = mt_slots[ntype];
	bool rcu = mt_in_rcu(mt);
	unsigned char best = 0;
	unsigned int i;

	BUG_ON(!cnt || cnt > cap);
	memset((char *)node + sizeof(node->parent), 0,
	       sizeof(*node) - sizeof(node->parent));
	for (i = 0; i < cnt; i++) {
		RCU_INIT_POINTER(slots[i], items[i].ptr);
		if (i < cap - 1U)
			pivs[i] = items[i].last;
		if (!ma_is_leaf(ntype) &&
		    (!rcu || !mte_to_node(items[i].ptr)->parent))
			mte_set_parent(items[i].ptr, node, i);
		if (gaps) {
			gaps[i] = items[i].gap;
			if (gaps[i] > gaps[best])
				best = i;
		}
	}
	if (ntype == maple_arange_64) {
		node->ma64.meta.end = cnt - 1;
		node->ma64.meta.gap = best;
	} else if (cnt < cap) {
		node->mr64.meta.end = cnt - 1;
		node->mr64.meta.gap = 0;
	}
}

/*
 * mt_adopt() - after the new node @enode (covering up to @max) was
 * published in RCU mode, point the children that were already in the tree
 * at their new parent, in this node and in the new nodes below it.  A
 * child whose parent word names @enode's slot already is one of this
 * write's new nodes (mt_fill() adopted it); only those are descended
 * into, so the walk is bounded by the write's new nodes.
 */
static void mt_adopt(struct maple_tree *mt, struct maple_enode *enode,
		     unsigned long max)
{
	struct maple_node *node = mte_to_node(enode), *child;
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char end = ma_data_end(node, ntype, max), i;
	struct maple_enode *cenode;
	struct maple_pnode *want;

	for (i = 0; i <= end; i++) {
		cenode = rcu_dereference_protected(slots[i], mt_locked(mt));
		child = mte_to_node(cenode);
		want = mt_mk_parent(node, i);
		if (child->parent != want)
			WRITE_ONCE(child->parent, want);
		else if (!mte_is_leaf(cenode))
			mt_adopt(mt, cenode, i < end ? pivs[i] : max);
	}
}

/*
 * mw_split_level() - cut the items of level @h into @parts nodes and make
 * them the items the level above receives.
 */
static void mw_split_level(struct mt_write *w, unsigned int h,
			   unsigned int parts)
{
	enum maple_type ntype = mt_level_type(w->tree, h);
	struct mt_buf *buf = &w->level, *out = &w->below;
	unsigned int i, first = 0, cnt;
	unsigned long lo_lim = buf->min;
	struct maple_node *node;
	void *enode = NULL;
	unsigned long gap;

	out->nr = 0;
	out->min = buf->min;
	for (i = 0; i < parts; i++) {
		cnt = buf->nr / parts + (i < buf->nr % parts);
		if (parts == 2)
			cnt = i ? buf->nr - first : mt_cut(buf, w->first, ntype);
		gap = 0;
		if (w->commit) {
			node = mas_pop_spare(w->mas);
			mt_fill(w->tree, node, ntype, &buf->item[first], cnt);
			enode = mt_mk_node(node, ntype);
			if (mt_is_alloc(w->tree))
				gap = mt_items_gap(&buf->item[first], cnt,
						   lo_lim, !h);
		}
		w->nodes++;
		mt_buf_push(out, buf->item[first + cnt - 1].last, enode,
			    gap, false);
		lo_lim = buf->item[first + cnt - 1].last + 1;
		first += cnt;
	}
}

/* Free the subtree below @enode that no other part of the write owns. */
static void mw_drop_tree(struct mt_write *w, struct maple_enode *enode,
			 unsigned long hi_lim)
{
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	unsigned int n, i;
	unsigned long lo;

	if (mw_was_used(w, enode))
		return;
	if (!mte_is_leaf(enode)) {
		n = mt_node_items(w->tree, enode, hi_lim, items);
		for (i = 0; i < n; i++) {
			lo = items[i].last;
			mw_drop_tree(w, items[i].ptr, lo);
		}
	}
	mt_retire(w->tree, enode);
}

/*
 * mw_release() - retire every node the write took apart, and below them
 * the subtrees it dropped; @keep was rewritten in place and stays.
 */
static void mw_release(struct mt_write *w, struct maple_enode *keep)
{
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	struct mt_used *u;
	unsigned int i, s;

	for (i = 0; i < w->nr_used; i++) {
		u = &w->used[i];
		if (!mte_is_leaf(u->enode) && u->lo <= u->hi) {
			mt_node_items(w->tree, u->enode, u->max, items);
			for (s = u->lo; s <= u->hi; s++)
				mw_drop_tree(w, items[s].ptr, items[s].last);
		}
	}
	for (i = 0; i < w->nr_used; i++)
		if (w->used[i].enode != keep)
			mt_retire(w->tree, w->used[i].enode);
}

/* Tell the ancestors of level @h's node on the left path its new gap. */
static void mw_update_gaps(struct mt_write *w, unsigned int h,
			   unsigned long gap)
{
	struct maple_node *node;
	unsigned char last_slot, i, best;
	unsigned long *gaps;
	unsigned int j;

	for (j = h + 1; j < w->height; j++) {
		node = mte_to_node(w->l[j].enode);
		gaps = node->ma64.gap;
		if (gaps[w->l[j].offset] == gap)
			return;
		WRITE_ONCE(gaps[w->l[j].offset], gap);	/* readers search */
		last_slot = node->ma64.meta.end;
		best = 0;
		for (i = 1; i <= last_slot; i++)
			if (gaps[i] > gaps[best])
				best = i;
		node->ma64.meta.gap = best;
		gap = gaps[best];
	}
}

/* Can the leaf items replace @step's leaf by swapping one slot in place? */
static int mw_slot_swap(struct mt_write *w, const struct mt_step *step)
{
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	struct mt_buf *buf = &w->level;
	unsigned int n, i;
	int which = -1;

	n = mt_node_items(w->tree, step->enode, step->max, items);
	if (n != buf->nr)
		return -1;
	for (i = 0; i < n; i++) {
		if (items[i].last != buf->item[i].last)
			return -1;
		if (items[i].ptr != buf->item[i].ptr) {
			if (which >= 0)
				return -1;
			which = i;
		}
	}
	return which < 0 ? 0 : which;	/* no change at all: a no-op swap */
}

/* The write's last level: @h produced one node's worth of items. */
static void mw_finish(struct mt_write *w, unsigned int h, bool whole)
{
	struct mt_buf *buf = &w->level;
	struct maple_tree *mt = w->tree;
	bool single = h < w->height && w->l[h].enode == w->r[h].enode;
	enum maple_type ntype = mt_level_type(mt, h);
	struct maple_enode *target = NULL, *keep = NULL;
	struct maple_node *node, *parent;
	void *top = NULL;
	unsigned int new_height = h + 1;
	unsigned int j;
	int swap = -1;
	unsigned long gap = 0;

	if (whole && h && buf->nr == 1) {
		/* A top with one child gives way to it. */
		top = buf->item[0].ptr;
		new_height = h;
	} else if (whole && !h && mt_items_leave_no_node(buf)) {
		/* nothing left, or a lone value at 0 */
		top = buf->nr == 2 ? buf->item[0].ptr : NULL;
		new_height = 0;
	} else if (single && !w->rcu) {
		/* one node, nobody is looking: rewrite it where it is */
		keep = target = w->l[h].enode;
	} else if (single && !h && (swap = mw_slot_swap(w, &w->l[h])) >= 0) {
		keep = target = w->l[h].enode;
	} else {
		w->nodes++;
		if (w->commit) {
			node = mas_pop_spare(w->mas);
			mt_fill(mt, node, ntype, buf->item, buf->nr);
			target = mt_mk_node(node, ntype);
		}
	}
	if (!w->commit)
		return;

	if (whole) {
		/* Every old node above level h goes too. */
		for (j = h + 1; j < w->height; j++) {
			if (w->l[j].enode == w->r[j].enode) {
				mw_note_used(w, &w->l[j], 0, w->l[j].end);
			} else {
				mw_note_used(w, &w->l[j], 0, w->l[j].end);
				mw_note_used(w, &w->r[j], 0, w->r[j].end);
			}
		}
	}
	if (mt_is_alloc(mt) && target)
		gap = mt_items_gap(buf->item, buf->nr, buf->min, !h);
	if (!w->rcu)
		mw_release(w, keep);

	if (keep && swap >= 0) {
		node = mte_to_node(keep);
		rcu_assign_pointer(ma_slots(node, ntype)[swap],
				   buf->item[swap].ptr);
	} else if (keep) {
		mt_fill(mt, mte_to_node(keep), ntype, buf->item, buf->nr);
	}

	if (whole) {
		if (target)
			top = target;
		if (top && mt_is_enode(top)) {
			/*
			 * The new top is this write's own node when its parent
			 * word was never set: target, or the one node a split
			 * of the level below made.  An old node keeps its
			 * children.
			 */
			if (!mte_to_node(top)->parent)
				target = top;
			mte_set_root_parent(top, mt);
		}
		mt_set_height(mt, new_height);
		rcu_assign_pointer(mt->ma_root, top);
	} else if (!keep) {
		parent = mte_to_node(w->l[h + 1].enode);
		mte_set_parent(target, parent, w->l[h + 1].offset);
		rcu_assign_pointer(ma_slots(parent,
			mte_node_type(w->l[h + 1].enode))[w->l[h + 1].offset],
			target);
	}
	/* Published: the old children may now name their new parents. */
	if (w->rcu && target && target != keep && !mte_is_leaf(target))
		mt_adopt(mt, target, whole ? ULONG_MAX :
			 buf->item[buf->nr - 1].last);
	if (mt_is_alloc(mt) && !whole)
		mw_update_gaps(w, h, gap);
	if (w->rcu)
		mw_release(w, keep);
}

/*
 * mw_run() - the write engine (see the top of the file).  With !w->commit
 * it only counts the nodes into w->nodes; the tree is not touched.
 */
static void mw_run(struct mt_write *w)
{
	struct mt_buf *buf = &w->level;
	enum maple_type ntype;
	unsigned int h, parts;
	bool whole, single;

	w->nodes = 0;
	w->nr_used = 0;
	if (w->height)
		mw_path(w, w->index, w->l);
	if (w->height)
		mw_path(w, w->last, w->r);
	mw_leaf_level(w);
	for (h = 0; ; h++) {
		if (h)
			mw_inner_level(w, h);
		ntype = mt_level_type(w->tree, h);
		whole = h >= w->height ||
			(mw_neighbour_level(w, h, false) < 0 &&
			 mw_neighbour_level(w, h, true) < 0);
		w->first = 0;
		if (!whole && buf->nr < mt_min_slots[ntype])
			mw_widen(w, h, false);
		else
			switch (mw_plan_overflow(w, h)) {
			case MT_SHARE_LEFT:
				mw_widen(w, h, true);
				break;
			case MT_SHARE_RIGHT:
				mw_widen(w, h, false);
				break;
			case MT_SHARE_NONE:
				break;
			}
		parts = mt_parts(buf->nr, ntype);
		single = h < w->height && w->l[h].enode == w->r[h].enode;
		if (parts == 1 && (whole || single)) {
			mw_finish(w, h, whole);
			return;
		}
		if (whole && h && buf->nr == 1) {
			mw_finish(w, h, whole);
			return;
		}
		mw_split_level(w, h, parts);
	}
}

/*
 * mas_wr_prepare() - set up @w for storing @val over mas->index..last.
 * A NULL store grows over NULL neighbours (I5).
 * Return: the value that was at mas->index.
 */
static void *mas_wr_prepare(struct ma_state *mas, struct mt_write *w,
			    void *val, void *old, bool old_known)
{
	unsigned long lo, hi;

	w->mas = mas;
	w->tree = mas->tree;
	w->entry = val;
	w->index = mas->index;
	w->last = mas->last;
	w->height = mt_height(mas->tree);
	w->rcu = mt_in_rcu(mas->tree);
	if (!old_known)
		old = mt_lookup(mas->tree, w->index, &lo, &hi);
	if (!val) {
		if (w->index && !mt_lookup(mas->tree, w->index - 1, &lo, &hi))
			w->index = lo;
		if (w->last < ULONG_MAX &&
		    !mt_lookup(mas->tree, w->last + 1, &lo, &hi))
			w->last = hi;
	}
	return old;
}

/*
 * mt_wr_bound() - the most nodes an engine store into @mt, of @height
 * levels, can take, without running it (mw_bound(): into @w's tree).
 * A level's items never pass MT_BUF_ITEMS
 * (mt_buf_push()), so each level below the old top splits into at most
 * that many over its node's slots; what a split of the old top gives,
 * one node over it holds.  The kernel's own write path asks for a bound
 * of this kind too (a few nodes a level).
 */
static unsigned int mt_wr_bound(const struct maple_tree *mt,
				unsigned int height)
{
	unsigned int inner = mt_is_alloc(mt) ?
		DIV_ROUND_UP(MT_BUF_ITEMS, MAPLE_ARANGE64_SLOTS) :
		DIV_ROUND_UP(MT_BUF_ITEMS, MAPLE_RANGE64_SLOTS);

	if (!height)
		return 1;
	/* the leaves (maple_leaf_64), the inner levels, the one on top */
	return DIV_ROUND_UP(MT_BUF_ITEMS, MAPLE_RANGE64_SLOTS) +
	       (height - 1) * inner + 1;
}

static unsigned int mw_bound(const struct mt_write *w)
{
	return mt_wr_bound(w->tree, w->height);
}

static unsigned int mw_count(struct mt_write *w)
{
	w->commit = false;
	mw_run(w);
	return w->nodes;
}

/*
 * The engine's working memory.  struct mt_write (about 9 KiB on 64-bit:
 * both paths to the root, the nodes taken apart, two level buffers) does
 * not belong on a kernel stack.  Each CPU has one, taken with preemption
 * off for one engine store, which never sleeps.  A store that finds its
 * CPU's copy taken (one in an interrupt that came in the middle of a
 * store, or, where per-CPU data is one global, as in a userspace
 * harness, another thread's) uses kmalloc() with the caller's @gflags:
 * only such a store can fail for want of it, with -ENOMEM.  So a store
 * through preallocated nodes (mas_store_prealloc()) allocates nothing.
 */
struct mt_write_scratch {
	struct mt_write w;
	int busy;		/* this_cpu_xchg(): taken */
};
static DEFINE_PER_CPU(struct mt_write_scratch, mt_write_pcpu);

static struct mt_write *mw_get(gfp_t gflags)
{
	struct mt_write_scratch *sc;
	struct mt_write *w;

	preempt_disable();
	sc = this_cpu_ptr(&mt_write_pcpu);
	if (likely(!this_cpu_xchg(mt_write_pcpu.busy, 1))) {
		w = &sc->w;
		w->pcpu = true;
	} else {
		preempt_enable();
		w = kmalloc(sizeof(*w), gflags | __GFP_NOWARN);
		if (!w)
			return NULL;
		w->pcpu = false;
	}
	mt_buf_init(&w->level, w->level_items, MT_BUF_ITEMS);
	mt_buf_init(&w->below, w->below_items, MT_BUF_ITEMS);
	return w;
}

static void mw_put(struct mt_write *w)
{
	if (likely(w->pcpu)) {
		this_cpu_xchg(mt_write_pcpu.busy, 0);
		preempt_enable();
	} else {
		kfree(w);
	}
}

#ifndef __KERNEL__
/*
 * A userspace harness may send every store to the engine
 * (mt_set_fast_writes(false)) to check that the executors cut and shape
 * the tree exactly as the engine does, and may have the stores counted by
 * store type into two arrays of its own, those an executor carried out
 * and those that went to the engine (mt_set_fast_writes_tally(), NULLs
 * to stop), to see that each executor was at work and that the planner
 * sent the engine nothing an executor takes.  Neither is built into a
 * kernel.
 */
static bool mt_fast_writes_off;
static unsigned long *mt_fast_tally[2];	/* in place, engine */
void mt_set_fast_writes(bool on);
void mt_set_fast_writes(bool on)
{
	mt_fast_writes_off = !on;
}
void mt_set_fast_writes_tally(unsigned long *in_place, unsigned long *engine);
void mt_set_fast_writes_tally(unsigned long *in_place, unsigned long *engine)
{
	mt_fast_tally[0] = in_place;
	mt_fast_tally[1] = engine;
}
#define mt_fast_writes()	(!mt_fast_writes_off)
#define mt_fast_writes_count(type, engine)				\
	do {								\
		if (unlikely(mt_fast_tally[engine]))			\
			mt_fast_tally[engine][type]++;			\
	} while (0)
#else
#define mt_fast_writes()	true
#define mt_fast_writes_count(type, engine)	do { } while (0)
#endif

/*
 * The planner and its executors.  mas_wr_store_type() walks to the leaf
 * once and plans the store before anything changes: it sorts the store
 * into one of the kernel's store types (kept in mas->store_type) and,
 * for a window of one leaf (with at most one sibling taken in), makes
 * the engine's own decisions with the engine's own policy functions
 * (mt_parts(), mt_share_plan(), mt_items_leave_no_node()), writing them
 * into a struct mt_wr_plan.  mas_wr_leaf_store() switches on the type and
 * hands the plan to its executor, which carries it out and decides
 * nothing.  Outside RCU mode the executors change the leaf (and at most
 * its parent's pivots, gaps and one slot) where it is; in RCU mode a
 * single slot store is done in place, and a store that stays within the
 * leaf is made on a copy of it, which takes its place in the parent
 * (mas_wr_node_copy(): one node, the kernel's RCU node store).  A split
 * that climbs past the parent, in either mode, and any split in RCU mode
 * take two fresh nodes a level and publish the top once
 * (mas_wr_split_climb()).  A share or a merge with a sibling in RCU mode
 * takes fresh leaves under a copy of the parent (mas_wr_share_leaf()).
 * A climb where some level above the leaf would share is the engine's.
 * A plan no executor can carry
 * out, and every store of a type below marked "engine", goes to
 * mas_wr_engine(), with the same result node for node: check_fast_writes
 * plays every sequence both ways.
 *
 *   wr_exact_fit      one slot's value changes, no pivot moves: swap it
 *   wr_append         into the leaf's last range, with room (mas_wr_tail())
 *   wr_slot_store     the up to three ranges around the store are written,
 *                     the tail slides; the leaf keeps a legal fill
 *   wr_node_store     the leaf is refilled from its items with the store;
 *                     in RCU mode a copy is (the slot store's way when
 *                     planned as one)
 *   wr_split_store    the leaf overflows: share with the planned sibling,
 *                     or split, cut where the plan says
 *   wr_rebalance      a new NULL edge meets a NULL in the sibling (I5):
 *                     the pair is cut evenly; a leaf under its minimum
 *                     fill (I4): the engine
 *   wr_spanning_store the store crosses leaves: the engine
 *   wr_new_root       the tree has no node yet: the engine
 *   wr_store_root     a store that changes what the root is: the engine
 */

/*
 * The most levels a split an executor carries out may cut in two, the
 * leaf's included (mas_wr_plan_climb()): a taller climb, into a tree of
 * millions of nodes a level, is the engine's.
 */
#define MT_CLIMB_MAX	8

/* The plan of a store, made by mas_wr_store_type(). */
struct mt_wr_plan {
	struct maple_node *node;	/* the leaf (mas->node, decoded) */
	void *val;			/* the value stored */
	unsigned long index, last;	/* where */
	bool rcu;			/* readers may be looking */
	bool in_place;			/* an executor carries it out */
	bool slot_swap;			/* wr_exact_fit of mas_wr_slot_plan() */
	unsigned char swap;		/* wr_exact_fit: the slot */
	unsigned char keep, roff;	/* wr_slot_store: slots before the */
	unsigned char nmid, at;		/* middle, its last old slot, its */
	struct mt_item mid[3];		/* ranges and the stored one's place */
	enum mt_share share;		/* split/rebalance: sibling taken in */
	unsigned char soff;		/* that sibling's slot in the parent */
	unsigned long smax;		/* and its last index */
	unsigned int first;		/* items of the left node (0: half) */
	unsigned char climb;		/* split: levels cut in two, leaf's */
	bool climb_root;		/* included; the root is one of them */
	bool merge;			/* wr_rebalance: the pair fits one leaf */
	unsigned long cmax[MT_CLIMB_MAX];	/* last index of each, by level */
	struct mt_buf buf;		/* the leaf's items with the store */
	struct mt_item buf_items[MAPLE_RANGE64_SLOTS + 2];
};

/*
 * The last used slot of @parent (of type @ptype), whose own maximum the
 * caller does not know: a full range node's last slot holds a child, not
 * the metadata.
 */
static unsigned char ma_parent_end(const struct maple_tree *mt,
				   struct maple_node *parent,
				   enum maple_type ptype)
{
	unsigned char pcap = mt_slots[ptype];
	void *last;

	if (ptype == maple_arange_64)
		return parent->ma64.meta.end;
	if (!parent->mr64.pivot[pcap - 2])
		return parent->mr64.meta.end;
	last = rcu_dereference_protected(parent->mr64.slot[pcap - 1],
					 mt_locked(mt));
	return mt_is_enode(last) ? pcap - 1 : pcap - 2;
}

/*
 * Tell the ancestors of @node its new largest gap @gap.  A level whose
 * largest gap stays what it was ends the climb.  Only a shrinking gap in
 * the slot that held a parent's largest one makes it look at all its
 * slots again: a growing gap is the new largest if it passes the old,
 * or equals it in a lower slot (meta.gap names the first of the largest,
 * as mt_fill() and the engine leave it), and any other change leaves the
 * largest where it was.
 */
static void ma_propagate_gap(struct maple_node *node, unsigned long gap)
{
	struct maple_node *parent;
	unsigned long *gaps, was;
	unsigned char off, i, best, end;

	while (!ma_is_root(node)) {
		parent = ma_parent(node);
		off = ma_parent_slot(node);
		gaps = parent->ma64.gap;
		was = gaps[off];
		if (was == gap)
			return;
		WRITE_ONCE(gaps[off], gap);	/* readers search the gaps */
		best = parent->ma64.meta.gap;
		if (off != best) {
			/* the first of the largest is named, as mt_fill() does */
			if (gap < gaps[best] || (gap == gaps[best] && off > best))
				return;		/* the largest stays */
			best = off;
		} else if (gap < was) {
			end = parent->ma64.meta.end;
			best = 0;
			for (i = 1; i <= end; i++)
				if (gaps[i] > gaps[best])
					best = i;
		}
		parent->ma64.meta.gap = best;
		gap = gaps[best];
		node = parent;
	}
}

/*
 * The largest gap of the leaf @node after a write that replaced its ranges
 * covering [@cut_lo, @cut_hi] with ranges whose largest NULL run is
 * @new_run, when that can be told without reading the leaf: its parent
 * holds the leaf's largest gap from before the write (I6), and a cut
 * shorter than that gap cannot have taken it.  0 when it cannot be told
 * (a root leaf, a cut as long as the gap, gaps left large by a bulk
 * load): the caller reads the leaf.
 */
static unsigned long ma_leaf_gap_after(const struct ma_state *mas,
				       struct maple_node *node,
				       unsigned long cut_lo,
				       unsigned long cut_hi,
				       unsigned long new_run)
{
	unsigned long largest;

	if (ma_is_root(node) || (mas->mas_flags & MT_MAS_GAPS))
		return 0;
	largest = ma_parent(node)->ma64.gap[ma_parent_slot(node)];
	if (cut_hi - cut_lo >= largest - 1)
		return 0;
	return max(largest, new_run);
}

/*
 * The largest NULL run (gap) of the leaf @node of @mt, read from the node:
 * @cnt slots, covering [@lo, @hi].
 */
static unsigned long ma_leaf_largest_gap(struct maple_node *node,
					 const struct maple_tree *mt,
					 unsigned int cnt, unsigned long lo,
					 unsigned long hi)
{
	unsigned long *pivs = node->mr64.pivot;
	void __rcu **slots = node->mr64.slot;
	unsigned long gap = 0, below = lo - 1, len;	/* below wraps at 0 */
	unsigned int i;

	/* a run is its last index less the last index below it */
	for (i = 0; i + 1 < cnt; below = pivs[i++]) {
		if (mt_slot(mt, slots, i))
			continue;
		len = pivs[i] - below;
		if (len > gap)
			gap = len;
	}
	if (!mt_slot(mt, slots, cnt - 1)) {
		len = hi - below;
		if (!len)	/* the whole index space */
			len = ULONG_MAX;
		gap = max(gap, len);
	}
	return gap;
}

/*
 * Can the leaf items @buf replace the leaf @node as one node: a legal
 * fill (I4), and, for the root leaf, no shrinking to ma_root (I8)?
 */
static bool ma_leaf_fill_ok(struct maple_node *node, const struct mt_buf *buf)
{
	if (buf->nr > mt_slots[maple_leaf_64])
		return false;
	if (!ma_is_root(node))
		return buf->nr >= mt_min_slots[maple_leaf_64];
	return !mt_items_leave_no_node(buf);
}

/* The last slot used after a wr_append of [@index, @last]. */
static inline unsigned char mas_wr_tail_end(const struct ma_state *mas,
					    unsigned long index,
					    unsigned long last)
{
	return mas->offset + (mas->index < index) + (last < mas->max);
}

/*
 * mas_wr_tail() - wr_append: outside RCU mode, store @val (not NULL) over
 * [index, last] inside the last range of the leaf where @mas stands, which
 * has room (mas_wr_tail_end() < slots): the slots before it stay, the
 * range is cut in up to three in place.
 */
static void mas_wr_tail(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_node *node = wp->node;
	unsigned long *pivs = node->mr64.pivot;
	void __rcu **slots = node->mr64.slot;
	unsigned char cap = mt_slots[maple_leaf_64];
	unsigned char off = mas->offset, end;
	unsigned long index = wp->index, last = wp->last, from = mas->index;
	void *was = mt_slot(mas->tree, slots, off), *val = wp->val;
	unsigned long gap;

	end = mas_wr_tail_end(mas, index, last);
	BUG_ON(end >= cap);
	if (mas->index < index) {
		/* slot off keeps what it held, now ending at index - 1 */
		pivs[off++] = index - 1;
	}
	RCU_INIT_POINTER(slots[off], val);
	if (off < cap - 1)
		pivs[off] = last;
	if (last < mas->max) {
		RCU_INIT_POINTER(slots[off + 1], was);
		if (off + 1 < cap - 1)
			pivs[off + 1] = mas->max;
	}
	if (end < cap - 1)
		node->mr64.meta.end = end;
	mas->offset = off;
	mas->end = end;
	mas->index = index;
	mas->last = last;
	if (!mt_is_alloc(mas->tree) || was)
		return;		/* no NULL run changed */
	/*
	 * An append only cuts a range: the leaf's largest gap cannot grow.
	 * In a bulk load, where every store is an append that shrinks the
	 * tree's last gap and would rescan each level above, the gaps above
	 * stay as they are, too large, until mas_destroy() makes them exact
	 * (mt_fix_gaps()).  Too large a gap misleads no search, which checks
	 * at the leaves; and no reader runs beside a tree outside RCU mode.
	 */
	if (mas->mas_flags & MT_MAS_BULK) {
		mas->mas_flags |= MT_MAS_GAPS;
		return;
	}
	gap = ma_leaf_gap_after(mas, node, from, mas->max,
				max(index - from, mas->max - last));
	if (!gap)
		gap = ma_leaf_largest_gap(node, mas->tree, end + 1U, mas->min,
					  mas->max);
	ma_propagate_gap(node, gap);
}

/*
 * Does the leaf @mas stands on (after a walk, a find or a store through
 * it) hold all of [@index, @last]?  Then a store needs no walk from the
 * root.  The writer holds the lock, so the leaf is still in the tree as
 * long as nothing was stored through another state meanwhile (the same
 * rule as for iterating: after that, mas_reset()).
 */
static inline bool mas_wr_on_leaf(const struct ma_state *mas,
				  unsigned long index, unsigned long last)
{
	return mas->status == ma_active && mas->node &&
	       index >= mas->min && last <= mas->max &&
	       !ma_dead(mte_to_node(mas->node));
}

/*
 * mas_leaf_seek() - point @mas at the range of its leaf holding @idx,
 * as mas_descend() would.
 * Return: the entry of that range.
 */
static void *mas_leaf_seek(struct ma_state *mas, unsigned long idx)
{
	struct maple_node *node = mte_to_node(mas->node);
	unsigned long *pivs = node->mr64.pivot;
	unsigned char off = mas->offset, end;

	end = ma_data_end(node, maple_leaf_64, mas->max);
	if (off > end || (off && pivs[off - 1] >= idx))
		off = 0;
	while (off < end && pivs[off] < idx)
		off++;
	mas->end = end;
	mas->offset = off;
	mas->index = off ? pivs[off - 1] + 1 : mas->min;
	mas->last = off < end ? pivs[off] : mas->max;
	return mt_slot(mas->tree, node->mr64.slot, off);
}

/*
 * mt_node_bound() - the first index (@last false) or the last one that
 * @node covers, read from its ancestors' pivots: the nearest ancestor
 * whose path does not run along that edge states it.
 */
static unsigned long mt_node_bound(struct maple_tree *mt,
				   struct maple_node *node, bool last)
{
	enum maple_type ptype = mt_level_type(mt, 1);
	unsigned char off;

	while (!ma_is_root(node)) {
		off = ma_parent_slot(node);
		node = ma_parent(node);
		if (!last && off)
			return ma_pivots(node, ptype)[off - 1] + 1;
		if (last && off < ma_parent_end(mt, node, ptype))
			return ma_pivots(node, ptype)[off];
	}
	return last ? ULONG_MAX : 0;
}

/*
 * Take the @cnt spares a split in place needs, as the engine would: on
 * failure the caller may retry after mas_nomem().
 */
static bool mas_wr_split_spares(struct ma_state *mas, unsigned int cnt,
				gfp_t gflags)
{
	if (mas_spares(mas) >= cnt ||
	    mas_grab(mas, cnt - mas_spares(mas), gflags))
		return true;
	mas_set_alloc_req(mas, cnt - mas_spares(mas));
	mas_set_err(mas, -ENOMEM);
	return false;
}

/*
 * mas_wr_publish_copy() - in RCU mode, the inner node @old (covering up
 * to @max) is replaced by a fresh copy filled with @items: the copy takes
 * @old's place in its parent (or at the root) with one pointer store,
 * then the children already in the tree are pointed at it (mt_adopt())
 * and @old dies.
 * Return: the copy.
 */
static struct maple_node *mas_wr_publish_copy(struct ma_state *mas,
					      struct maple_node *old,
					      const struct mt_item *items,
					      unsigned int n, unsigned long max)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type itype = mt_level_type(mt, 1);
	struct maple_node *copy = mas_pop_spare(mas);
	struct maple_enode *ecopy = mt_mk_node(copy, itype);

	/* adopts the write's fresh nodes; the old children wait */
	mt_fill(mt, copy, itype, items, n);
	WRITE_ONCE(copy->parent, old->parent);
	if (ma_is_root(old))
		rcu_assign_pointer(mt->ma_root, ecopy);
	else
		rcu_assign_pointer(ma_slots(ma_parent(old),
				   itype)[ma_parent_slot(old)], ecopy);
	mt_adopt(mt, ecopy, max);
	mt_retire(mt, mt_mk_node(old, itype));
	return copy;
}

/*
 * mas_wr_pair_parent() - the leaves at slots @loff and @loff + 1 of
 * @parent were made again: @lo holds the first @cnt of the pair's items
 * @pair (the first starting at @lmin), @hi the rest, or @hi is NULL when
 * @lo took them all (a merge, and the parent has one child less).  The
 * parent's items say so: in a copy that takes the parent's place in RCU
 * mode (a spare is in hand), else in the parent itself.  Then the gaps
 * above.
 */
static noinline void mas_wr_pair_parent(struct ma_state *mas,
					struct maple_node *parent,
					const struct mt_buf *pair,
					unsigned int cnt, unsigned char loff,
					unsigned long lmin,
					struct maple_node *lo,
					struct maple_node *hi)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	unsigned long pmax = mt_node_bound(mt, parent, true);
	unsigned int n;

	n = mt_node_items(mt, mt_mk_node(parent, ptype), pmax, items);
	items[loff].last = pair->item[cnt - 1].last;
	items[loff].ptr = mt_mk_node(lo, maple_leaf_64);
	if (hi) {
		items[loff + 1].ptr = mt_mk_node(hi, maple_leaf_64);
	} else {
		memmove(&items[loff + 1], &items[loff + 2],
			(n - loff - 2) * sizeof(items[0]));
		n--;
	}
	if (mt_is_alloc(mt)) {
		items[loff].gap = mt_items_null_run(pair->item, cnt, lmin);
		if (hi)
			items[loff + 1].gap = mt_items_null_run(&pair->item[cnt],
						pair->nr - cnt,
						pair->item[cnt - 1].last + 1);
	}
	if (mt_in_rcu(mt))
		parent = mas_wr_publish_copy(mas, parent, items, n, pmax);
	else
		mt_fill(mt, parent, ptype, items, n);
	if (mt_is_alloc(mt))
		ma_propagate_gap(parent,
				 parent->ma64.gap[parent->ma64.meta.gap]);
}

/*
 * mas_wr_share_leaf() - carry out a plan that takes the sibling at slot
 * wp->soff of the leaf's parent into the window (a share of
 * wr_split_store, or the even cut or the merge of wr_rebalance): the
 * pair's items, the leaf's being wp->buf, are cut where wp->first says
 * (mt_cut()) into two nodes, or all go to one (wp->merge).  Outside RCU
 * mode they are the same nodes, rewritten in place: a share only moves a
 * pivot in the parent, a merge takes the right node out of it.  In RCU
 * mode they are fresh leaves, under a copy of the parent that takes its
 * place (mas_wr_pair_parent()): three nodes for a share, two for a merge,
 * the engine's counts; the tree is unchanged when they cannot be had
 * (-ENOMEM in @mas).
 */
static noinline void mas_wr_share_leaf(struct ma_state *mas,
				       struct mt_wr_plan *wp, gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	const struct mt_buf *buf = &wp->buf;
	struct maple_node *node = wp->node, *parent = ma_parent(node);
	unsigned char poff = ma_parent_slot(node), soff = wp->soff;
	unsigned long smax = wp->smax;
	struct maple_node *sib = mte_to_node(mt_slot(mt,
					ma_slots(parent, ptype), soff));
	struct maple_node *lnode = soff < poff ? sib : node;
	struct maple_node *rnode = soff < poff ? node : sib;
	unsigned char loff = soff < poff ? soff : poff;
	/*
	 * Two leaves' items: a share holds fewer than 2 * cap (the room of
	 * mt_share_plan()), an even cut at most 2 * cap once the two NULLs
	 * at the junction are one, so 2 * cap + 1 before.
	 */
	struct mt_item pair_items[2 * MAPLE_RANGE64_SLOTS + 1];
	struct mt_buf pair;
	unsigned long lmin;
	unsigned int n, cnt;

	if (wp->rcu && !mas_wr_split_spares(mas, wp->merge ? 2 : 3, gflags))
		return;
	mt_buf_init(&pair, pair_items, ARRAY_SIZE(pair_items));

	/* The pair's items, in index order. */
	if (soff < poff) {
		lmin = soff ? ma_pivots(parent, ptype)[soff - 1] + 1 :
			      mt_node_bound(mt, parent, false);
		n = mt_node_items(mt, mt_mk_node(sib, maple_leaf_64), smax,
				  pair.item);
		memcpy(&pair.item[n], buf->item, buf->nr * sizeof(buf->item[0]));
		pair.nr = n + buf->nr;
		BUG_ON(pair.nr > pair.cap);
	} else {
		lmin = mas->min;
		memcpy(pair.item, buf->item, buf->nr * sizeof(buf->item[0]));
		n = mt_node_items(mt, mt_mk_node(sib, maple_leaf_64), smax,
				  &pair.item[buf->nr]);
		pair.nr = buf->nr + n;
		BUG_ON(pair.nr > pair.cap);
		n = buf->nr;
	}
	/* n is now the first item of the right node's part. */
	if (!pair.item[n - 1].ptr && !pair.item[n].ptr) {
		/* Two NULLs meet at the junction (I5): one range. */
		pair.item[n - 1].last = pair.item[n].last;
		memmove(&pair.item[n], &pair.item[n + 1],
			(pair.nr - n - 1) * sizeof(pair.item[0]));
		pair.nr--;
	}
	cnt = wp->merge ? pair.nr : mt_cut(&pair, wp->first, maple_leaf_64);
	if (wp->rcu) {
		struct maple_node *lo = mas_pop_spare(mas), *hi = NULL;

		mt_fill(mt, lo, maple_leaf_64, pair.item, cnt);
		if (!wp->merge) {
			hi = mas_pop_spare(mas);
			mt_fill(mt, hi, maple_leaf_64, &pair.item[cnt],
				pair.nr - cnt);
		}
		mas_wr_pair_parent(mas, parent, &pair, cnt, loff, lmin, lo, hi);
		mt_retire(mt, mt_mk_node(lnode, maple_leaf_64));
		mt_retire(mt, mt_mk_node(rnode, maple_leaf_64));
		lnode = lo;
		rnode = hi;
		goto point;
	}
	if (wp->merge) {
		mt_fill(mt, lnode, maple_leaf_64, pair.item, cnt);
		mas_wr_pair_parent(mas, parent, &pair, cnt, loff, lmin, lnode,
				   NULL);
		mt_retire(mt, mt_mk_node(rnode, maple_leaf_64));
		goto point;
	}
	mt_fill(mt, lnode, maple_leaf_64, pair.item, cnt);
	mt_fill(mt, rnode, maple_leaf_64, &pair.item[cnt], pair.nr - cnt);
	ma_pivots(parent, ptype)[loff] = pair.item[cnt - 1].last;
	if (mt_is_alloc(mt)) {
		unsigned long *gaps = parent->ma64.gap;
		unsigned char i, best = 0;

		WRITE_ONCE(gaps[loff], mt_items_null_run(pair.item, cnt, lmin));
		WRITE_ONCE(gaps[loff + 1],
			   mt_items_null_run(&pair.item[cnt], pair.nr - cnt,
					     pair.item[cnt - 1].last + 1));
		for (i = 1; i <= parent->ma64.meta.end; i++)
			if (gaps[i] > gaps[best])
				best = i;
		parent->ma64.meta.gap = best;
		ma_propagate_gap(parent, gaps[best]);
	}
point:
	/* Point @mas at the node holding the stored range. */
	mas->index = wp->index;
	if (mas->index > pair.item[cnt - 1].last) {
		mas->node = mt_mk_node(rnode, maple_leaf_64);
		mas->min = pair.item[cnt - 1].last + 1;
		mas->max = pair.item[pair.nr - 1].last;
		mas->end = pair.nr - cnt - 1;
	} else {
		mas->node = mt_mk_node(lnode, maple_leaf_64);
		mas->min = lmin;
		mas->max = pair.item[cnt - 1].last;
		mas->end = cnt - 1;
	}
	mas->offset = 0;
	mas_leaf_seek(mas, mas->index);
	mas->store_type = wr_invalid;
}

/*
 * mas_wr_cut_leaf() - the cut of mw_split_level(): of the items @buf of
 * the leaf @node under @mas (covering [mas->min, mas->max]), the first
 * mt_cut(@buf, @first) stay in @node and the rest go to the fresh leaf
 * @right.  @lr gets the two as their parent's items: last index, node,
 * largest NULL run.
 * Return: how many items @node keeps.
 */
static unsigned int mas_wr_cut_leaf(struct ma_state *mas,
				    const struct mt_buf *buf,
				    unsigned int first,
				    struct maple_node *node,
				    struct maple_node *right,
				    struct mt_item lr[2])
{
	struct maple_tree *mt = mas->tree;
	unsigned int nr = buf->nr, cnt;

	cnt = mt_cut(buf, first, maple_leaf_64);
	mt_fill(mt, right, maple_leaf_64, &buf->item[cnt], nr - cnt);
	mt_fill(mt, node, maple_leaf_64, buf->item, cnt);
	lr[0].last = buf->item[cnt - 1].last;
	lr[0].ptr = mt_mk_node(node, maple_leaf_64);
	lr[1].last = mas->max;
	lr[1].ptr = mt_mk_node(right, maple_leaf_64);
	lr[0].gap = lr[1].gap = 0;
	if (mt_is_alloc(mt)) {
		lr[0].gap = mt_items_null_run(buf->item, cnt, mas->min);
		lr[1].gap = mt_items_null_run(&buf->item[cnt], nr - cnt,
					      lr[0].last + 1);
	}
	return cnt;
}

/*
 * After mas_wr_cut_leaf() kept @cnt of the @nr items on the left of @lr,
 * point @mas at the leaf holding the stored range.
 */
static void mas_wr_cut_point(struct ma_state *mas, const struct mt_item lr[2],
			     unsigned int cnt, unsigned int nr)
{
	if (mas->index > lr[0].last) {
		mas->node = lr[1].ptr;
		mas->min = lr[0].last + 1;
		mas->end = nr - cnt - 1;
	} else {
		mas->node = lr[0].ptr;
		mas->max = lr[0].last;
		mas->end = cnt - 1;
	}
	mas_leaf_seek(mas, mas->index);
}

/*
 * mas_wr_split_root() - the split of the root leaf: the engine cuts the
 * items in two leaves as for any leaf, and over them puts a new root.
 * Here the old leaf keeps the left part, so two fresh nodes are taken
 * instead of the engine's three.  The tree is one level taller.
 */
static void mas_wr_split_root(struct ma_state *mas, struct mt_wr_plan *wp,
			      gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	struct maple_node *right, *top;
	struct maple_enode *etop;
	struct mt_item lr[2];
	unsigned int cnt;

	if (!mas_wr_split_spares(mas, 2, gflags))
		return;
	right = mas_pop_spare(mas);
	top = mas_pop_spare(mas);
	cnt = mas_wr_cut_leaf(mas, &wp->buf, wp->first, wp->node, right, lr);
	/* mt_fill() makes the two leaves its children */
	mt_fill(mt, top, ptype, lr, 2);
	etop = mt_mk_node(top, ptype);
	mte_set_root_parent(etop, mt);
	mt_set_height(mt, 2);
	rcu_assign_pointer(mt->ma_root, etop);
	mas->depth = 2;
	mas_wr_cut_point(mas, lr, cnt, wp->buf.nr);
}

/**
 * mas_wr_split_leaf() - outside RCU mode, carry out the split that
 * mas_wr_plan_split() planned: cut the leaf's items wp->buf in two leaves
 * where wp->first says (the old leaf keeps the left part) and give the
 * parent, which has a free slot, one more child in place; the root leaf
 * goes to mas_wr_split_root().
 * @mas: the maple state, on the leaf
 * @wp: the plan
 * @gflags: how to allocate the one new leaf
 *
 * The tree is unchanged when that allocation fails: @mas then holds
 * -ENOMEM and the number of nodes wanted, for mas_nomem().
 */
static noinline void mas_wr_split_leaf(struct ma_state *mas,
				       struct mt_wr_plan *wp, gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	struct mt_item pitems[MAPLE_RANGE64_SLOTS + 1];
	struct maple_node *node = wp->node, *parent, *right;
	unsigned int cnt, pn;
	struct mt_item lr[2];
	unsigned char poff, pend;

	mas->index = wp->index;
	if (ma_is_root(node)) {
		mas_wr_split_root(mas, wp, gflags);
		return;
	}
	parent = ma_parent(node);
	poff = ma_parent_slot(node);
	pend = ma_parent_end(mt, parent, ptype);
	if (!mas_wr_split_spares(mas, 1, gflags))
		return;
	right = mas_pop_spare(mas);
	cnt = mas_wr_cut_leaf(mas, &wp->buf, wp->first, node, right, lr);
	/*
	 * The parent's children, with the new one after the old leaf.  The
	 * parent has a free slot, so pivot[pend] is its last index.
	 */
	pn = mt_node_items(mt, mt_mk_node(parent, ptype),
			   ma_pivots(parent, ptype)[pend], pitems);
	memmove(&pitems[poff + 2], &pitems[poff + 1],
		(pn - poff - 1) * sizeof(pitems[0]));
	pitems[poff] = lr[0];
	pitems[poff + 1] = lr[1];
	mt_fill(mt, parent, ptype, pitems, pn + 1);
	if (mt_is_alloc(mt))
		ma_propagate_gap(parent, parent->ma64.gap[parent->ma64.meta.gap]);
	mas_wr_cut_point(mas, lr, cnt, wp->buf.nr);
}

/*
 * mas_wr_split_climb() - the split mas_wr_plan_climb() planned, in RCU
 * mode or out of it: wp->climb levels are cut in two, the leaf's first.
 *
 *   before:        [ T: .. | P | .. ]        T has a free slot
 *                        /   |    \
 *                  ..  [ leaf ]   ..         leaf and P full
 *
 *   after:         [ T': .. | P1 | P2 | .. ]
 *                         /  |     |  \
 *                   .. [l1] [l2] ..             (fresh nodes)
 *
 * The leaf's items wp->buf go to two fresh leaves cut where the plan
 * says.  At each level above, the full node's items, with the two new
 * nodes in the old one's place, go to two fresh nodes cut in halves (the
 * cut of mw_split_level(): an inner item is never NULL).  The node over
 * the last cut (T) takes the last two in place of one: outside RCU mode
 * it is rewritten where it is; in RCU mode a copy of it is filled and
 * takes its place with one pointer store, and only then are the old
 * children pointed at their new parents (mt_adopt()).  When the root is
 * cut, a new root holds the two halves and the tree grows a level.  The
 * old nodes of the climb die.  Nodes: two a level, and one more for the
 * copy or the new root; the tree is unchanged when they cannot be had
 * (-ENOMEM in @mas, for mas_nomem()).
 */
static noinline void mas_wr_split_climb(struct ma_state *mas,
					struct mt_wr_plan *wp, gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type itype = mt_level_type(mt, 1);
	struct mt_item items[MAPLE_RANGE64_SLOTS + 1];
	struct maple_enode *dead[MT_CLIMB_MAX + 1], *etop;
	struct maple_node *node = wp->node, *top = NULL, *lo, *hi;
	unsigned int h, n = 0, cnt, cut, ndead = 0, climb = wp->climb;
	struct mt_item lr[2], leaf_lr[2];
	unsigned long tmax = ULONG_MAX;
	unsigned char off;

	mas->index = wp->index;
	if (!mas_wr_split_spares(mas, 2 * climb + (wp->rcu || wp->climb_root),
				 gflags))
		return;
	lo = mas_pop_spare(mas);
	hi = mas_pop_spare(mas);
	cnt = mas_wr_cut_leaf(mas, &wp->buf, wp->first, lo, hi, leaf_lr);
	lr[0] = leaf_lr[0];
	lr[1] = leaf_lr[1];
	dead[ndead++] = mas->node;
	for (h = 1; h <= climb; h++) {
		top = ma_is_root(node) ? NULL : ma_parent(node);
		if (!top)
			break;
		off = ma_parent_slot(node);
		if (h == climb)	/* it has a free slot: pivot[end] is its max */
			tmax = ma_pivots(top, itype)[ma_parent_end(mt, top,
								   itype)];
		n = mt_node_items(mt, mt_mk_node(top, itype),
				  h < climb ? wp->cmax[h] : tmax, items);
		memmove(&items[off + 2], &items[off + 1],
			(n - off - 1) * sizeof(items[0]));
		items[off] = lr[0];
		items[off + 1] = lr[1];
		n++;
		if (h == climb)
			break;
		/* full before, one over now: halves, as mt_cut() cuts them */
		cut = (n + 1) / 2;
		lo = mas_pop_spare(mas);
		hi = mas_pop_spare(mas);
		mt_fill(mt, lo, itype, items, cut);
		mt_fill(mt, hi, itype, &items[cut], n - cut);
		lr[0].last = items[cut - 1].last;
		lr[0].ptr = mt_mk_node(lo, itype);
		lr[1].last = wp->cmax[h];
		lr[1].ptr = mt_mk_node(hi, itype);
		lr[0].gap = lr[1].gap = 0;
		if (mt_is_alloc(mt)) {
			lr[0].gap = mt_items_gap(items, cut, 0, false);
			lr[1].gap = mt_items_gap(&items[cut], n - cut, 0,
						 false);
		}
		dead[ndead++] = mt_mk_node(top, itype);
		node = top;
	}
	if (!top) {
		/* the root was cut: a new one over the two halves */
		top = mas_pop_spare(mas);
		mt_fill(mt, top, itype, lr, 2);
		etop = mt_mk_node(top, itype);
		mte_set_root_parent(etop, mt);
		mt_set_height(mt, mt_height(mt) + 1);
		rcu_assign_pointer(mt->ma_root, etop);
		/* published: the old children may name their new parents */
		if (wp->rcu)
			mt_adopt(mt, etop, ULONG_MAX);
	} else if (!wp->rcu) {
		mt_fill(mt, top, itype, items, n);
	} else {
		top = mas_wr_publish_copy(mas, top, items, n, tmax);
	}
	while (ndead)
		mt_retire(mt, dead[--ndead]);
	if (mt_is_alloc(mt))
		ma_propagate_gap(top, top->ma64.gap[top->ma64.meta.gap]);
	mas->depth = mt_height(mt);
	mas_wr_cut_point(mas, leaf_lr, cnt, wp->buf.nr);
}

/*
 * mas_wr_sibling() - the node at slot @soff of @parent, a node of level
 * @h + 1 whose last used slot is @pend: how many items it holds, and its
 * last index in *@smax.
 */
static unsigned int mas_wr_sibling(struct ma_state *mas,
				   struct maple_node *parent, unsigned int h,
				   unsigned char soff, unsigned char pend,
				   unsigned long *smax)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, h + 1);
	struct maple_node *sib;

	if (soff < pend)
		*smax = ma_pivots(parent, ptype)[soff];
	else	/* the parent's last child: the parent's own last index */
		*smax = mt_node_bound(mt, parent, true);
	sib = mte_to_node(mt_slot(mt, ma_slots(parent, ptype), soff));
	return ma_data_end(sib, mt_level_type(mt, h), *smax) + 1U;
}

/*
 * mas_wr_plan_climb() - the leaf splits in two (MT_SHARE_NONE): follow
 * the split up.  A full ancestor gets one child more than it has slots,
 * and the engine decides for it as for the leaf (mw_plan_overflow()):
 * a sibling with room under the same parent is taken in, else the node
 * is cut in halves and the one above gets a child more in turn.  The plan
 * is an executor's (mas_wr_split_climb()) when every full level splits,
 * up to an ancestor with a free slot or over the root: wp->climb levels
 * (the leaf's included), their last indices in wp->cmax[], and whether
 * the root is one of them.
 * Return: false when a level would share, or the climb is too tall.
 */
static bool mas_wr_plan_climb(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type itype = mt_level_type(mt, 1);
	unsigned char cap = mt_slots[itype], off, end;
	struct maple_node *node = wp->node, *parent, *gp;
	unsigned int lsib, rsib, first, h;
	unsigned long smax;

	wp->cmax[0] = mas->max;
	for (h = 1; ; h++) {
		wp->climb = h;
		wp->climb_root = ma_is_root(node);
		if (wp->climb_root)
			return true;	/* a new root over the two halves */
		parent = ma_parent(node);
		if (ma_parent_end(mt, parent, itype) + 1U < cap)
			return true;	/* a free slot: the climb ends here */
		if (h >= MT_CLIMB_MAX)
			return false;
		lsib = rsib = 0;
		wp->cmax[h] = ULONG_MAX;
		if (!ma_is_root(parent)) {
			gp = ma_parent(parent);
			off = ma_parent_slot(parent);
			end = ma_parent_end(mt, gp, itype);
			wp->cmax[h] = off < end ? ma_pivots(gp, itype)[off] :
				      mt_node_bound(mt, gp, true);
			if (off > 0)
				lsib = mas_wr_sibling(mas, gp, h, off - 1, end,
						      &smax);
			if (off < end)
				rsib = mas_wr_sibling(mas, gp, h, off + 1, end,
						      &smax);
		}
		if (mt_share_plan(cap + 1U, cap, false, wp->cmax[h], lsib,
				  rsib, &first) != MT_SHARE_NONE)
			return false;
		node = parent;
	}
}

/*
 * mas_wr_plan_split() - plan a wr_split_store: the leaf items wp->buf
 * overflow one leaf.  The engine's decision (mt_share_plan(), as its
 * mw_plan_overflow() makes it) says whether a sibling is taken in and
 * where the cut goes.  A share is carried out by mas_wr_share_leaf(); a
 * split into two leaves by mas_wr_split_leaf() outside RCU mode when it
 * stops at the parent, else by mas_wr_split_climb() as far as
 * mas_wr_plan_climb() follows it.  Anything else is the engine's.
 */
static void mas_wr_plan_split(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	struct maple_node *node = wp->node, *parent;
	unsigned int nr = wp->buf.nr, lsib = 0, rsib = 0;
	unsigned long lmax = 0, rmax = 0;
	unsigned char poff, pend;

	wp->in_place = false;
	if (ma_is_root(node)) {
		wp->share = mt_share_plan(nr, mt_slots[maple_leaf_64], true,
					  mas->max, 0, 0, &wp->first);
		wp->in_place = mt_parts(nr, maple_leaf_64) == 2 &&
			       mas_wr_plan_climb(mas, wp);
		return;
	}
	parent = ma_parent(node);
	poff = ma_parent_slot(node);
	pend = ma_parent_end(mt, parent, ptype);
	if (poff > 0)
		lsib = mas_wr_sibling(mas, parent, 0, poff - 1, pend, &lmax);
	if (poff < pend)
		rsib = mas_wr_sibling(mas, parent, 0, poff + 1, pend, &rmax);
	wp->share = mt_share_plan(nr, mt_slots[maple_leaf_64], true, mas->max,
				  lsib, rsib, &wp->first);
	if (wp->share == MT_SHARE_LEFT) {
		wp->soff = poff - 1;
		wp->smax = lmax;
		wp->in_place = true;
	} else if (wp->share == MT_SHARE_RIGHT) {
		wp->soff = poff + 1;
		wp->smax = rmax;
		wp->in_place = true;
	} else {
		wp->in_place = mt_parts(nr, maple_leaf_64) == 2 &&
			       mas_wr_plan_climb(mas, wp);
	}
}

/*
 * mas_wr_plan_edge() - the leaf items wp->buf start (@left) or end with
 * a NULL that was not there, next to the sibling under the same parent.
 * When that sibling's edge is NULL too, the NULL store grows into it
 * (mas_wr_prepare()) and the engine's window is the two leaves, with one
 * NULL merged: it cuts them in mt_parts() nodes, evenly.  Two nodes are
 * planned here as an even share (wp->first 0), one as a merge
 * (wp->merge), both carried out by mas_wr_share_leaf().
 * Return: false when the sibling's edge is not NULL: the window is the
 * leaf alone, to be planned as such.  True when planned (wp->in_place
 * says whether in place).
 */
static bool mas_wr_plan_edge(struct ma_state *mas, struct mt_wr_plan *wp,
			     bool left)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type ptype = mt_level_type(mt, 1);
	struct maple_node *node = wp->node, *parent, *sib;
	unsigned char poff, pend, soff;
	unsigned int sitems, nr;
	unsigned long smax;
	void *edge;

	wp->share = left ? MT_SHARE_LEFT : MT_SHARE_RIGHT;
	wp->first = 0;
	if (ma_is_root(node))
		goto engine;	/* the NULL reaches the tree's edge */
	parent = ma_parent(node);
	poff = ma_parent_slot(node);
	pend = ma_parent_end(mt, parent, ptype);
	if (left ? !poff : poff >= pend)
		goto engine;	/* the sibling is a cousin */
	soff = left ? poff - 1 : poff + 1;
	sitems = mas_wr_sibling(mas, parent, 0, soff, pend, &smax);
	sib = mte_to_node(mt_slot(mt, ma_slots(parent, ptype), soff));
	edge = mt_slot(mt, ma_slots(sib, maple_leaf_64),
		       left ? sitems - 1 : 0);
	if (edge)
		return false;	/* the plan is left as it was */
	wp->soff = soff;
	wp->smax = smax;
	/* the pair's items, the two NULLs merged */
	nr = wp->buf.nr + sitems - 1;
	wp->in_place = mt_parts(nr, maple_leaf_64) == 2;
	/*
	 * In one leaf, the engine's window of two gives one node, and the
	 * parent one child less: a merge, unless the leaf would be under its
	 * minimum, the parent under its own, or a root parent left with one
	 * child (the tree shrinks): those the engine's.
	 */
	if (mt_parts(nr, maple_leaf_64) == 1 &&
	    nr >= mt_min_slots[maple_leaf_64] &&
	    (ma_is_root(parent) ? pend >= 2 : pend >= mt_min_slots[ptype])) {
		wp->merge = true;
		wp->in_place = true;
	}
	return true;
engine:
	wp->in_place = false;
	return true;
}

/*
 * mas_wr_slot_plan() - can the store wp->val over [wp->index, wp->last],
 * in the non-root leaf where @mas stands (mas->offset holds the index), be
 * a wr_slot_store: the slots before and after the stored range stay where
 * they are or slide, only the up to three ranges in the middle are
 * written, and the leaf keeps I4 and I5?  The same result as mt_fill() of
 * the leaf's items with the range replaced.
 * Return: true, with the plan in @wp, or false (nothing planned).
 */
static bool mas_wr_slot_plan(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *node = wp->node;
	unsigned long *pivs = node->mr64.pivot;
	void __rcu **slots = node->mr64.slot;
	const unsigned char cap = mt_slots[maple_leaf_64];
	unsigned char end = mas->end, roff = mas->offset, keep = mas->offset;
	unsigned long max = mas->max, start = mas->index, rlast;
	unsigned long index = wp->index, last = wp->last;
	struct mt_item *mid = wp->mid;
	unsigned int nmid = 0, nn, tail, at;
	void *lptr = mt_slot(mt, slots, keep), *rptr, *val = wp->val;

	while (roff < end && pivs[roff] < last)
		roff++;
	rlast = roff < end ? pivs[roff] : max;
	rptr = mt_slot(mt, slots, roff);
	/* The middle: what is left of the first range, @val, the rest. */
	if (start < index && !(lptr == NULL && val == NULL)) {
		mid[nmid].last = index - 1;
		mid[nmid++].ptr = lptr;
	}
	at = nmid;
	mid[nmid].last = last;
	mid[nmid++].ptr = val;
	if (rlast > last) {
		if (!rptr && !val) {
			mid[nmid - 1].last = rlast;
		} else {
			mid[nmid].last = rlast;
			mid[nmid++].ptr = rptr;
		}
	}
	/* NULL meets NULL across the middle's edges (I5). */
	if (!mid[0].ptr && keep && !mt_slot(mt, slots, keep - 1))
		keep--;
	if (!mid[nmid - 1].ptr && roff < end &&
	    !mt_slot(mt, slots, roff + 1)) {
		roff++;
		mid[nmid - 1].last = roff < end ? pivs[roff] : max;
	}
	tail = end - roff;
	nn = keep + nmid + tail;
	if (nn > cap || nn < mt_min_slots[maple_leaf_64])
		return false;
	/* A NULL edge that was not NULL may meet a NULL next door (I5). */
	if (!keep && !mid[0].ptr && mt_slot(mt, slots, 0) && mas->min)
		return false;
	if (!tail && !mid[nmid - 1].ptr && mt_slot(mt, slots, end) &&
	    max != ULONG_MAX)
		return false;
	wp->keep = keep;
	wp->roff = roff;
	wp->nmid = nmid;
	wp->at = at;
	return true;
}

/* mas_wr_slot_store() - wr_slot_store: carry out mas_wr_slot_plan(). */
static void mas_wr_slot_store(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *node = wp->node;
	unsigned long *pivs = node->mr64.pivot;
	void __rcu **slots = node->mr64.slot;
	const unsigned char cap = mt_slots[maple_leaf_64];
	unsigned char end = mas->end, keep = wp->keep, roff = wp->roff;
	unsigned int nmid = wp->nmid, tail = end - roff;
	unsigned int nn = keep + nmid + tail, p, i;
	unsigned long max = mas->max;
	const struct mt_item *mid = wp->mid;

	/* Slide the tail to its place, then write the middle. */
	p = keep + nmid;
	if (tail && p != roff + 1U) {
		unsigned int np = tail;

		memmove(&slots[p], &slots[roff + 1], tail * sizeof(slots[0]));
		if (p < roff + 1U) {
			if (roff + 1U + np > cap - 1U)
				np = cap - 1U - (roff + 1U);
		} else if (p + np > cap - 1U) {
			np = cap - 1U - p;
		}
		memmove(&pivs[p], &pivs[roff + 1], np * sizeof(pivs[0]));
	}
	for (i = 0; i < nmid; i++) {
		RCU_INIT_POINTER(slots[keep + i], mid[i].ptr);
		if (keep + i < cap - 1U)
			pivs[keep + i] = mid[i].last;
	}
	if (nn - 1 < cap - 1U)
		pivs[nn - 1] = max;
	for (i = nn; i <= end; i++) {
		if (i < cap - 1U)
			pivs[i] = 0;
		RCU_INIT_POINTER(slots[i], NULL);
	}
	if (nn < cap) {
		node->mr64.meta.end = nn - 1;
		node->mr64.meta.gap = 0;
	}
	if (mt_is_alloc(mt)) {
		unsigned long lo = keep ? pivs[keep - 1] + 1 : mas->min, gap;

		gap = ma_leaf_gap_after(mas, node, lo, mid[nmid - 1].last,
					mt_items_null_run(mid, nmid, lo));
		if (!gap)
			gap = ma_leaf_largest_gap(node, mt, nn, mas->min, max);
		ma_propagate_gap(node, gap);
	}
	/* Point @mas at the stored range, as the engine leaves it. */
	mas->offset = keep + wp->at;
	mas->end = nn - 1;
	mas->index = mas->offset ? pivs[mas->offset - 1] + 1 : mas->min;
	mas->last = mid[wp->at].last;
}

/*
 * mas_wr_leaf_items() - wp->buf: the items of the leaf where @mas stands,
 * with [wp->index, wp->last] replaced by wp->val (NULLs merged).
 * Return: whether the store gives either edge of the leaf a NULL that was
 * not there (*@lnull: the left one, *@rnull: the right one), which may
 * meet a NULL next door (I5).
 */
static noinline void mas_wr_leaf_items(struct ma_state *mas,
				       struct mt_wr_plan *wp,
				       bool *lnull, bool *rnull)
{
	struct mt_item items[MAPLE_RANGE64_SLOTS];
	struct mt_buf *buf = &wp->buf;
	unsigned long index = wp->index, last = wp->last, start;
	unsigned int n, i, loff, roff;

	n = mt_node_items(mas->tree, mas->node, mas->max, items);
	loff = mas->offset;
	for (roff = loff; items[roff].last < last; roff++)
		;
	mt_buf_init(buf, wp->buf_items, ARRAY_SIZE(wp->buf_items));
	buf->min = mas->min;
	for (i = 0; i < loff; i++)
		mt_buf_push(buf, items[i].last, items[i].ptr, 0, true);
	start = loff ? items[loff - 1].last + 1 : mas->min;
	if (start < index)
		mt_buf_push(buf, index - 1, items[loff].ptr, 0, true);
	mt_buf_push(buf, last, wp->val, 0, true);
	if (items[roff].last > last)
		mt_buf_push(buf, items[roff].last, items[roff].ptr, 0, true);
	for (i = roff + 1; i < n; i++)
		mt_buf_push(buf, items[i].last, items[i].ptr, 0, true);
	*lnull = !buf->item[0].ptr && items[0].ptr && mas->min;
	*rnull = !buf->item[buf->nr - 1].ptr && items[n - 1].ptr &&
		 mas->max != ULONG_MAX;
	/* The one slot a store over unchanged pivots changes, if any. */
	wp->swap = MAPLE_NODE_SLOTS;
	if (buf->nr != n)
		return;
	for (i = 0; i < n; i++) {
		if (items[i].last != buf->item[i].last)
			return;
	}
	for (i = 0; i < n; i++) {
		if (items[i].ptr == buf->item[i].ptr)
			continue;
		if (wp->swap != MAPLE_NODE_SLOTS) {
			wp->swap = MAPLE_NODE_SLOTS + 1;	/* two or more */
			return;
		}
		wp->swap = i;
	}
	if (wp->swap == MAPLE_NODE_SLOTS)
		wp->swap = mas->offset;		/* nothing changes: a no-op */
}

/*
 * mas_wr_plan_items() - plan a store that changes the leaf's pivots, from
 * the leaf's items with the store applied (wp->buf): a NULL edge that
 * meets a NULL sibling, an overflow, an underflow, or a refill.
 * Return: the store type.
 */
static enum store_type mas_wr_plan_items(struct ma_state *mas,
					 struct mt_wr_plan *wp)
{
	struct maple_node *node = wp->node;
	bool lnull, rnull;

	mas_wr_leaf_items(mas, wp, &lnull, &rnull);
	if (lnull || rnull) {
		if (lnull && rnull) {
			wp->in_place = false;
			return wr_rebalance;
		}
		if (mas_wr_plan_edge(mas, wp, lnull))
			return wr_rebalance;
	}
	if (wp->buf.nr > mt_slots[maple_leaf_64]) {
		mas_wr_plan_split(mas, wp);
		return wr_split_store;
	}
	if (!ma_leaf_fill_ok(node, &wp->buf)) {
		wp->in_place = false;
		return ma_is_root(node) ? wr_store_root : wr_rebalance;
	}
	if (wp->rcu && wp->swap < MAPLE_NODE_SLOTS) {
		wp->in_place = true;
		return wr_exact_fit;	/* a NULL in or out, pivots kept */
	}
	wp->in_place = true;	/* in RCU mode: mas_wr_node_copy() */
	return wr_node_store;
}

/*
 * mas_wr_store_type() - the planner: walk to the leaf of [mas->index,
 * mas->last] and sort the store of @val there into a store type (see
 * above), with its plan in @wp.  Nothing is changed.  A state that
 * already stands on the leaf (an iteration replacing what it found, say)
 * is not walked again.  *@oldp gets the value at mas->index when the
 * walk read it.
 * Return: the type, also set in mas->store_type.
 */
static enum store_type mas_wr_store_type(struct ma_state *mas, void *val,
					 struct mt_wr_plan *wp, void **oldp)
{
	struct maple_tree *mt = mas->tree;
	unsigned long index = mas->index, last = mas->last;
	enum store_type type;
	struct maple_node *node;

	wp->val = val;
	wp->index = index;
	wp->last = last;
	wp->buf.nr = 0;		/* built only where a type needs it */
	wp->rcu = mt_in_rcu(mt);
	wp->in_place = !wp->rcu;
	wp->slot_swap = false;
	wp->merge = false;
	if (!mt_is_enode(mt_root_get(mt))) {
		type = mt_root_get(mt) || val ? wr_store_root : wr_new_root;
		goto out;
	}
	if (mas_wr_on_leaf(mas, index, last))
		*oldp = mas_leaf_seek(mas, index);
	else
		*oldp = mas_wr_descend(mas, index);
	if (mas->status != ma_active || last > mas->max) {
		type = wr_spanning_store;
		goto out;
	}
	node = mte_to_node(mas->node);
	wp->node = node;
	if (val && *oldp && mas->index == index && mas->last == last &&
	    (mas->end > 1 || !ma_is_root(node))) {
		/* entry over entry: no pivot or gap changes */
		wp->swap = mas->offset;
		wp->in_place = true;
		type = wr_exact_fit;
		goto out;
	}
	if (!wp->rcu && val && mas->offset == mas->end &&
	    mas_wr_tail_end(mas, index, last) < mt_slots[maple_leaf_64]) {
		type = wr_append;
		goto out;
	}
	if (!ma_is_root(node) && mas_wr_slot_plan(mas, wp)) {
		wp->in_place = true;
		type = wr_slot_store;
		if (!wp->rcu)
			goto out;
		/*
		 * In RCU mode a slot store is made on a copy of the leaf
		 * (mas_wr_node_copy()), unless one slot's value is all that
		 * changes (a NULL in or out), which readers may see swapped.
		 */
		if (wp->nmid == 1 && wp->keep == wp->roff) {
			wp->swap = wp->keep;
			wp->slot_swap = true;
			type = wr_exact_fit;
		} else {
			type = wr_node_store;
		}
		goto out;
	}
	type = mas_wr_plan_items(mas, wp);
out:
	mas->store_type = type;
	return type;
}

/*
 * After the leaf took the items wp->buf: its gap up the tree (allocation
 * trees), and @mas on the stored range, as the engine leaves it.
 */
static void mas_wr_leaf_done(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct mt_buf *buf = &wp->buf;
	unsigned int pos = 0;
	unsigned long lo = mas->min;

	if (mt_is_alloc(mas->tree))
		ma_propagate_gap(wp->node, mt_items_null_run(buf->item, buf->nr,
							     buf->min));
	while (buf->item[pos].last < wp->index) {
		lo = buf->item[pos].last + 1;
		pos++;
	}
	mas->offset = pos;
	mas->end = buf->nr - 1;
	mas->index = lo;
	mas->last = pos < buf->nr - 1U ? buf->item[pos].last : mas->max;
}

/*
 * After a swap that mas_wr_slot_plan() found (a NULL in or out of the
 * slot mas->offset, whose bounds are the store's): the leaf's gap up the
 * tree, and @mas on the stored range.
 */
static void mas_wr_swap_done(struct ma_state *mas, struct mt_wr_plan *wp)
{
	struct maple_node *node = wp->node;
	unsigned long gap;

	if (mt_is_alloc(mas->tree)) {
		gap = ma_leaf_gap_after(mas, node, wp->index, wp->last,
					wp->val ? 0 : wp->last - wp->index + 1);
		if (!gap)
			gap = ma_leaf_largest_gap(node, mas->tree, mas->end + 1U,
						  mas->min, mas->max);
		ma_propagate_gap(node, gap);
	}
	mas->index = wp->index;
	mas->last = wp->last;
}

/* wr_exact_fit: swap the one slot, for readers too. */
static void mas_wr_exact_fit(struct ma_state *mas, struct mt_wr_plan *wp)
{
	rcu_assign_pointer(ma_slots(wp->node, maple_leaf_64)[wp->swap],
			   wp->val);
	/* A NULL stored or replaced (wp->buf was built): gaps, position. */
	if (wp->buf.nr)
		mas_wr_leaf_done(mas, wp);
	else if (wp->slot_swap)
		mas_wr_swap_done(mas, wp);
}

/* wr_node_store, outside RCU mode: refill the leaf from wp->buf. */
static void mas_wr_node_store(struct ma_state *mas, struct mt_wr_plan *wp)
{
	mt_fill(mas->tree, wp->node, maple_leaf_64, wp->buf.item, wp->buf.nr);
	mas_wr_leaf_done(mas, wp);
}

/*
 * mas_wr_node_copy() - wr_node_store in RCU mode: readers may be in the
 * leaf, so its items wp->buf go into a fresh leaf, which takes the old
 * one's place in its parent (or at the root) with one pointer store; the
 * old leaf dies and is freed after a grace period.  A reader that was in
 * it sees it dead and walks again.  The fresh leaf comes from the spares
 * (mas_preallocate()) or is allocated with @gflags; when that fails the
 * tree is unchanged and @mas holds -ENOMEM with one node wanted.
 */
static noinline void mas_wr_node_copy(struct ma_state *mas,
				      struct mt_wr_plan *wp, gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *old = wp->node, *node, *parent;
	struct maple_enode *enode, *old_enode = mas->node;

	if (!mas_wr_split_spares(mas, 1, gflags))
		return;
	if (!wp->buf.nr) {
		/* every word is copied below: no need to zero it first */
		node = (struct maple_node *)mas_unlink_spare(mas);
		/*
		 * Planned as a wr_slot_store (mas_wr_slot_plan()): the old
		 * leaf's words, parent word included, then the slot store
		 * on the copy, which no reader can see yet.  It also tells
		 * the parent the new gap: a search is right with the old
		 * leaf and either gap.
		 */
		memcpy(node, old, sizeof(*node));
		wp->node = node;
		mas_wr_slot_store(mas, wp);
	} else {
		node = mas_pop_spare(mas);
		mt_fill(mt, node, maple_leaf_64, wp->buf.item, wp->buf.nr);
		/* the same parent word: same parent and slot, or the root's */
		WRITE_ONCE(node->parent, old->parent);
	}
	enode = mt_mk_node(node, maple_leaf_64);
	if (ma_is_root(old)) {
		rcu_assign_pointer(mt->ma_root, enode);
	} else {
		parent = ma_parent(old);
		rcu_assign_pointer(ma_slots(parent, mt_level_type(mt, 1))
				   [ma_parent_slot(old)], enode);
	}
	mt_retire(mt, old_enode);
	mas->node = enode;
	if (wp->buf.nr) {
		wp->node = node;
		mas_wr_leaf_done(mas, wp);
	}
}

/*
 * mas_wr_leaf_store() - carry out the store that mas_wr_store_type()
 * planned in @wp, when it is done in place.
 * Return: false when it is the engine's (nothing changed).
 */
static bool mas_wr_leaf_store(struct ma_state *mas, struct mt_wr_plan *wp,
			      enum store_type type, gfp_t gflags)
{
	if (!wp->in_place || !mt_fast_writes())
		return false;
	switch (type) {
	case wr_exact_fit:
		mas_wr_exact_fit(mas, wp);
		break;
	case wr_append:
		mas_wr_tail(mas, wp);
		break;
	case wr_slot_store:
		mas_wr_slot_store(mas, wp);
		break;
	case wr_node_store:
		if (wp->rcu)
			mas_wr_node_copy(mas, wp, gflags);
		else
			mas_wr_node_store(mas, wp);
		break;
	case wr_split_store:
		if (wp->share != MT_SHARE_NONE)
			mas_wr_share_leaf(mas, wp, gflags);
		else if (wp->rcu || wp->climb > 1)
			mas_wr_split_climb(mas, wp, gflags);
		else
			mas_wr_split_leaf(mas, wp, gflags);
		break;
	case wr_rebalance:	/* the even cut of mas_wr_plan_edge() */
		mas_wr_share_leaf(mas, wp, gflags);
		break;
	default:
		return false;
	}
	mt_fast_writes_count(type, 0);
	mas->store_type = wr_invalid;
	return true;
}

/*
 * No value a tree holds can be the address of this file's own object:
 * mas_wr_store_type() sorted the store out before its walk read the old
 * value.
 */
static const unsigned long mt_old_unknown;
#define MT_OLD_UNKNOWN		((void *)&mt_old_unknown)

/*
 * mas_wr_engine() - the general store (see THE WRITES at the top): count
 * the nodes, obtain them, rewrite the levels.  @old is the value at
 * mas->index when the caller's walk read it, else MT_OLD_UNKNOWN.
 * @gflags never sleeps: the engine holds its CPU's scratch meanwhile.
 * Return: the value that was at mas->index.
 */
static noinline void *mas_wr_engine(struct ma_state *mas, void *val,
				    void *old, gfp_t gflags)
{
	struct mt_write *w = mw_get(gflags);
	unsigned long index, last;
	unsigned int need, bound;

	if (unlikely(!w)) {
		mas_set_alloc_req(mas, 1);
		mas_set_err(mas, -ENOMEM);
		return NULL;
	}
	old = mas_wr_prepare(mas, w, val, old, old != MT_OLD_UNKNOWN);
	bound = mw_bound(w);
	/*
	 * With the bound in hand the store needs no count.  Without it, a
	 * store that may wait for memory (mas_store_gfp() retries after
	 * mas_nomem()) takes the bound: one run of the engine instead of
	 * two, and the retry after a failure has all it needs.  Any other
	 * store counts what it takes, and a store that takes none cannot
	 * fail.
	 */
	if (mas_spares(mas) < bound && !(mas->mas_flags & MT_MAS_COUNTED)) {
		if ((mas->mas_flags & (MT_MAS_RETRY | MT_MAS_PREALLOC)) ==
		    MT_MAS_RETRY)
			need = bound;
		else
			need = mw_count(w);
		if (need > mas_spares(mas) &&
		    !mas_grab(mas, need - mas_spares(mas), gflags)) {
			mw_put(w);
			mas_set_alloc_req(mas, need - mas_spares(mas));
			mas_set_err(mas, -ENOMEM);
			return NULL;
		}
	}
	w->commit = true;
	mw_run(w);
	if (unlikely(w->nodes > bound))
		MAS_WARN_ON(mas, true);	/* tallied only when it fires */
	index = w->index;
	last = w->last;
	mw_put(w);
	if (mas->mas_flags & MT_MAS_DISCARD) {
		/* Nobody looks at @mas again: no walk to the stored range. */
		mas->node = NULL;
		mas->status = ma_start;
		return old;
	}
	mas_descend(mas, index);
	if (mas->status == ma_root || mas->status == ma_none) {
		mas->index = index;
		mas->last = last;
	}
	return old;
}

/*
 * mas_wr_replace() - the store an iteration makes most: a value over
 * exactly the range of the value @mas stands on, in the leaf it stands
 * on (dup_mmap() puts each VMA's copy where the VMA was).  Only that slot
 * changes: no pivot, no gap, no node, and a reader sees the old value or
 * the new.  The planner would come to the same wr_exact_fit; this is the
 * part of it such a store needs, before any plan is set up.  The state is
 * trusted as mas_leaf_next() trusts it (the writer holds the lock, and
 * nothing was stored through another state meanwhile); its offset and the
 * leaf's own pivots must still name [mas->index, mas->last].
 * Return: the value replaced, or NULL when the store is not of this kind
 * (nothing changed, the planner decides).
 */
static __always_inline void *mas_wr_replace(struct ma_state *mas, void *val)
{
	unsigned char off = mas->offset, end;
	struct maple_node *node;
	unsigned long *pivs;
	void __rcu **slots;
	void *old;

	if (unlikely(!val) || mas->status != ma_active || !mas->node ||
	    !mte_is_leaf(mas->node) || !mt_fast_writes())
		return NULL;
	node = mte_to_node(mas->node);
	pivs = ma_pivots(node, maple_leaf_64);
	end = ma_data_end(node, maple_leaf_64, mas->max);
	if (off > end || (off < end ? pivs[off] : mas->max) != mas->last ||
	    (off ? pivs[off - 1] + 1 : mas->min) != mas->index)
		return NULL;
	/* A root leaf of one or two ranges may fold into the root pointer. */
	if (end <= 1 && ma_is_root(node))
		return NULL;
	slots = ma_slots(node, maple_leaf_64);
	old = mt_slot(mas->tree, slots, off);
	/* Everything is read: only now may the leaf be judged. */
	if (!old || unlikely(ma_dead(node)))
		return NULL;
	rcu_assign_pointer(slots[off], val);
	mas->end = end;
	mas->store_type = wr_invalid;
	mt_fast_writes_count(wr_exact_fit, 0);
	return old;
}

/*
 * __mas_wr_run() - store @val over [mas->index, mas->last] with nodes
 * from @mas's spares, allocating what is missing with @gflags: plan, then
 * an executor or the engine.  The entry points have checked that index <=
 * last.  On -ENOMEM the tree is untouched, @mas holds the error and the
 * number of nodes still wanted.  On success @mas points at the stored
 * range.
 * Return: the value that was at mas->index.
 */
static noinline void *__mas_wr_run(struct ma_state *mas, void *val,
				    gfp_t gflags)
{
	unsigned long index = mas->index, last = mas->last;
	void *old = MT_OLD_UNKNOWN;
	enum store_type type;
	struct mt_wr_plan wp;

	type = mas_wr_store_type(mas, val, &wp, &old);
	if (mas_wr_leaf_store(mas, &wp, type, gflags))
		return old;
	mt_fast_writes_count(type, 1);
	mas->index = index;	/* the walk moved them */
	mas->last = last;
	mas->store_type = wr_invalid;
	return mas_wr_engine(mas, val, old, gflags);
}

/*
 * mas_wr_run() - __mas_wr_run(), after mas_wr_replace() had its try: the
 * replacement takes a few dozen instructions inline, where the planner's
 * frame alone (its plan holds a leaf's items) costs a third of that.
 */
static __always_inline void *mas_wr_run(struct ma_state *mas, void *val,
					gfp_t gflags)
{
	void *old = mas_wr_replace(mas, val);

	return old ? old : __mas_wr_run(mas, val, gflags);
}

/* The gflags of a write that must not sleep (the lock is held). */
#define MT_GFP_NOSLEEP	(GFP_NOWAIT | __GFP_NOWARN)

/**
 * mas_store() - store @val over [mas->index, mas->last].
 * @mas: the maple state
 * @val: the value (NULL erases)
 *
 * Uses the nodes of mas_preallocate()/mas_expected_entries() when there
 * are some, else allocates without sleeping; on failure mas_is_err() is
 * true (-ENOMEM: see mas_nomem()) and the tree is unchanged.
 *
 * Context: the write lock.
 * Return: the value that was at mas->index.
 */
void *mas_store(struct ma_state *mas, void *val)
{
	void *old;

	/*
	 * The warning's tally is two atomic increments in a debug build: it
	 * is taken when the range is bad, not on every store.
	 */
	if (unlikely(mas->index > mas->last)) {
		MAS_WARN_ON(mas, true);
		mas_set_err(mas, -EINVAL);
		return NULL;
	}
	old = mas_wr_run(mas, val, MT_GFP_NOSLEEP);
	if (mas_is_err(mas))
		return NULL;
	/*
	 * Outside the preallocation and bulk modes the spares go back;
	 * with none and no gaps to fix, mas_destroy() has nothing to do,
	 * and a store that used no node (most) need not call it.
	 */
	if (!(mas->mas_flags & (MT_MAS_PREALLOC | MT_MAS_BULK)) &&
	    (mas->alloc || (mas->mas_flags & MT_MAS_GAPS)))
		mas_destroy(mas);
	return old;
}
MT_EXPORT_GPL(mas_store);

/*
 * mas_wr_retry() - the store of mas_store_gfp() and of the other entry
 * points that may wait for memory, once they checked the range.
 * Return: 0 or -ENOMEM (tree unchanged).
 */
static int mas_wr_retry(struct ma_state *mas, void *val, gfp_t gflags)
{
	unsigned long index = mas->index, last = mas->last;
	int ret = 0;

	if (gfpflags_allow_blocking(gflags))
		mas->mas_flags |= MT_MAS_RETRY;
	for (;;) {
		mas_wr_run(mas, val, MT_GFP_NOSLEEP);
		if (likely(!mas_is_err(mas)) || !mas_nomem(mas, gflags))
			break;
		mas->index = index;
		mas->last = last;
	}
	mas->mas_flags &= ~MT_MAS_RETRY;
	if (mas_is_err(mas))
		ret = xa_err(mas->node);
	/* as in mas_store(): nothing to give back, nothing to call */
	if (mas->alloc || (mas->mas_flags &
			   (MT_MAS_PREALLOC | MT_MAS_BULK | MT_MAS_GAPS)))
		mas_destroy(mas);
	return ret;
}

/**
 * mas_store_gfp() - mas_store() that allocates with @gflags, dropping the lock
 * for it when @gflags may sleep (see mas_nomem()).
 * @mas: the maple state; index and last give the range
 * @val: the value to store
 * @gflags: how to allocate
 *
 * Context: the write lock.
 * Return: 0, -EINVAL for index > last, or -ENOMEM (tree unchanged).
 */
int mas_store_gfp(struct ma_state *mas, void *val, gfp_t gflags)
{
	if (mas->index > mas->last)
		return -EINVAL;
	return mas_wr_retry(mas, val, gflags);
}
MT_EXPORT_GPL(mas_store_gfp);

/*
 * The plan mas_preallocate() made, kept for the mas_store_prealloc() that
 * follows under the same lock, so that the store is not planned again (a
 * plan of a split reads the leaf, its siblings and the ancestors, twice
 * the work of a store's own).  One per CPU, as the engine's scratch, and
 * taken the same way (this_cpu_xchg() of @busy, preemption off), only
 * while it is written or read; the time between, when the caller may
 * sleep for memory, it holds no CPU.  So a plan is used only when the key
 * shows it is this store's: the same state, tree, range and value, the
 * state still on the planned leaf and the leaf alive.  Anything else
 * (another CPU, a plan written over by another store, a state moved or
 * given another range, as vma_iter_store() may do) plans again, as a
 * plain store does.  The rule is the one for a state that stands on a
 * leaf (mas_wr_on_leaf()): nothing stored through another state between
 * the two calls.
 */
struct mt_plan_cache {
	struct mt_wr_plan wp;
	enum store_type type;
	const struct ma_state *mas;	/* the key: NULL when there is none */
	struct maple_tree *tree;
	struct maple_enode *leaf;	/* mas->node after the walk */
	unsigned long index, last;	/* the range stored */
	unsigned long wr_index, wr_last;	/* @mas's, as the walk left them */
	void *old;			/* the value at index, or unknown */
	int busy;			/* this_cpu_xchg(): taken */
};
static DEFINE_PER_CPU(struct mt_plan_cache, mt_plan_pcpu);

/* This CPU's plan cache, or NULL when it is taken (preemption is off). */
static struct mt_plan_cache *mt_plan_get(void)
{
	preempt_disable();
	if (likely(!this_cpu_xchg(mt_plan_pcpu.busy, 1)))
		return this_cpu_ptr(&mt_plan_pcpu);
	preempt_enable();
	return NULL;
}

static void mt_plan_put(void)
{
	this_cpu_xchg(mt_plan_pcpu.busy, 0);
	preempt_enable();
}

/*
 * mas_wr_engine_nodes() - the nodes the engine's store of @val over
 * [mas->index, mas->last] takes, counted by a dry run (@old: the value at
 * mas->index, or MT_OLD_UNKNOWN).  Its bound from the height alone
 * (mt_wr_bound()) would spare the run, but is some thirty nodes at five
 * levels, each obtained, linked through its own memory and given back
 * for a store that takes a handful.  The bound when the engine's scratch
 * cannot be had without sleeping.
 */
static unsigned int mas_wr_engine_nodes(struct ma_state *mas, void *val,
					void *old)
{
	struct mt_write *w = mw_get(GFP_NOWAIT | __GFP_NOWARN);
	unsigned int need;

	if (!w)
		return mt_wr_bound(mas->tree, mt_height(mas->tree));
	mas_wr_prepare(mas, w, val, old, old != MT_OLD_UNKNOWN);
	need = mw_count(w);
	mw_put(w);
	return need;
}

/*
 * mas_wr_plan_nodes() - plan the store of @val over [mas->index,
 * mas->last] (into this CPU's plan cache when it is free) and tell how
 * many new nodes it takes when the planner hands it to an executor: none
 * in place, the fresh leaf of an RCU node store, two a level of a split
 * and one more for a copy or a new root, three for a share and two for a
 * merge in RCU mode; a store that is the engine's is counted by a dry run
 * (mas_wr_engine_nodes()).  The walk leaves @mas on the leaf, so the
 * store that follows under the same lock starts there.
 */
static unsigned int mas_wr_plan_nodes(struct ma_state *mas, void *val)
{
	unsigned long index = mas->index, last = mas->last;
	struct mt_plan_cache *pc = mt_plan_get();
	struct mt_wr_plan stack_wp, *wp = pc ? &pc->wp : &stack_wp;
	void *old = MT_OLD_UNKNOWN;
	enum store_type type;
	unsigned int need = UINT_MAX;

	type = mas_wr_store_type(mas, val, wp, &old);
	if (pc) {
		pc->type = type;
		pc->mas = mas;
		pc->tree = mas->tree;
		pc->leaf = mas->node;
		pc->index = index;
		pc->last = last;
		pc->wr_index = mas->index;
		pc->wr_last = mas->last;
		pc->old = old;
	}
	mas->index = index;
	mas->last = last;
	mas->store_type = wr_invalid;
	if (!wp->in_place || !mt_fast_writes()) {
		need = mas_wr_engine_nodes(mas, val, old);
		goto out;
	}
	switch (type) {
	case wr_exact_fit:
	case wr_append:
	case wr_slot_store:
		need = 0;
		break;
	case wr_rebalance:	/* an even cut or a merge with a sibling */
		need = wp->rcu ? 3 - wp->merge : 0;
		break;
	case wr_node_store:
		need = wp->rcu;
		break;
	case wr_split_store:
		if (wp->share != MT_SHARE_NONE)	/* mas_wr_share_leaf() */
			need = wp->rcu ? 3 : 0;
		else if (!wp->rcu && wp->climb == 1)	/* mas_wr_split_leaf() */
			need = wp->climb_root ? 2 : 1;
		else	/* mas_wr_split_climb() */
			need = 2 * wp->climb + (wp->rcu || wp->climb_root);
		break;
	default:
		break;
	}
out:
	if (pc)
		mt_plan_put();
	return need;
}

/*
 * mas_wr_planned() - the store of mas_store_prealloc(), with the plan of
 * mas_preallocate() when this CPU still holds it for this store (see
 * struct mt_plan_cache), else planned again.
 */
static void mas_wr_planned(struct ma_state *mas, void *val)
{
	struct mt_plan_cache *pc = mt_plan_get();
	unsigned long index = mas->index, last = mas->last;

	if (!pc || pc->mas != mas || !(mas->mas_flags & MT_MAS_PREALLOC) ||
	    pc->tree != mas->tree ||
	    pc->index != index || pc->last != last || pc->wp.val != val ||
	    pc->leaf != mas->node ||
	    (mas->node && (mas->status != ma_active ||
			   ma_dead(mte_to_node(mas->node))))) {
		if (pc) {
			pc->mas = NULL;
			mt_plan_put();
		}
		mas_wr_run(mas, val, MT_GFP_NOSLEEP);
		return;
	}
	pc->mas = NULL;		/* one store per plan */
	mas->index = pc->wr_index;
	mas->last = pc->wr_last;
	if (!mas_wr_leaf_store(mas, &pc->wp, pc->type, MT_GFP_NOSLEEP)) {
		mt_fast_writes_count(pc->type, 1);
		mas->index = index;
		mas->last = last;
		mas->store_type = wr_invalid;
		/* mas_wr_engine_nodes() counted for this very store */
		mas->mas_flags |= MT_MAS_COUNTED;
		mas_wr_engine(mas, val, pc->old, MT_GFP_NOSLEEP);
		mas->mas_flags &= ~MT_MAS_COUNTED;
	}
	mt_plan_put();
}

/**
 * mas_preallocate() - get every node storing @val over mas->index..last
 * can need, so that mas_store_prealloc() cannot fail.
 * @mas: the maple state
 * @val: the value that will be stored
 * @gflags: how to allocate (the lock is not dropped)
 *
 * The planner tells how many a store an executor carries out takes
 * (mas_wr_plan_nodes()), and leaves @mas on the leaf for the store; a
 * store that is the engine's is counted by a dry run of the engine
 * (mas_wr_engine_nodes()).  The plan is kept for mas_store_prealloc(),
 * which then neither plans nor counts again.
 *
 * Context: the write lock, held until the store.
 * Return: 0 or -ENOMEM (nothing kept).
 */
int mas_preallocate(struct ma_state *mas, void *val, gfp_t gflags)
{
	unsigned int need;

	if (mas->index > mas->last)
		return -EINVAL;
	need = mas_wr_plan_nodes(mas, val);
	if (need == UINT_MAX)	/* the engine's, which then needs no count */
		need = mt_wr_bound(mas->tree, mt_height(mas->tree));
	mas->mas_flags &= ~MT_MAS_PREALLOC;
	if (need > mas_spares(mas) &&
	    !mas_grab(mas, need - mas_spares(mas), gflags)) {
		mas_destroy(mas);
		mas_reset(mas);
		return -ENOMEM;
	}
	mas->mas_flags |= MT_MAS_PREALLOC;
	return 0;
}
MT_EXPORT_GPL(mas_preallocate);

/**
 * mas_store_prealloc() - store @val with the nodes of mas_preallocate(),
 * then release the ones left over.
 * @mas: the maple state of mas_preallocate()
 * @val: the value given to mas_preallocate()
 *
 * Context: the write lock, held since mas_preallocate().
 */
void mas_store_prealloc(struct ma_state *mas, void *val)
{
	if (unlikely(mas->index > mas->last)) {
		/* mas_preallocate() refused this range: a caller's bug */
		MAS_WARN_ON(mas, true);
		mas_set_err(mas, -EINVAL);
		mas_destroy(mas);
		return;
	}
	mas_wr_planned(mas, val);
	/* The preallocation was for this store: falling short is a bug. */
	if (unlikely(mas_is_err(mas)))
		MAS_WARN_ON(mas, true);
	mas_destroy(mas);
}
MT_EXPORT_GPL(mas_store_prealloc);

/**
 * mas_expected_entries() - get ready to store about @cnt entries in
 * order into an empty tree: obtain their nodes now, in bulk.  Call
 * mas_destroy() at the end to release what was not used.
 * @mas: the maple state of an empty tree
 * @cnt: how many entries will be stored
 *
 * Context: the write lock; may sleep (GFP_KERNEL).
 * Return: 0 or -ENOMEM.
 */
int mas_expected_entries(struct ma_state *mas, unsigned long cnt)
{
	unsigned long per_leaf = MAPLE_RANGE64_SLOTS -
				 mt_min_slots[maple_leaf_64];
	unsigned long per_inner = mt_slots[mt_level_type(mas->tree, 1)] / 2;
	unsigned long nodes, level;

	/*
	 * Each value may come with a gap.  Loading in order, a leaf that
	 * overflows gives its left neighbour what fits there or else splits
	 * in place, leaving the left node nearly full: one fresh node per
	 * leaf.  An inner node is made by a rewrite of the levels around it,
	 * which takes three fresh nodes (two halves and a parent).
	 */
	level = DIV_ROUND_UP(cnt * 2 + 1, per_leaf);
	nodes = level;
	while (level > 1) {
		level = DIV_ROUND_UP(level, per_inner);
		nodes += 3 * level;
	}
	nodes += 3;
	mas->mas_flags |= MT_MAS_BULK | MT_MAS_PREALLOC;
	if (!mas_grab(mas, nodes, GFP_KERNEL)) {
		mas_destroy(mas);
		return -ENOMEM;
	}
	return 0;
}
MT_EXPORT_GPL(mas_expected_entries);

/**
 * mas_nomem_nofail() - after a write failed with -ENOMEM, get the nodes it
 * asked for with an allocation that cannot fail, and set @mas up to retry.
 * @mas: the maple state of the failed write
 * @index: the first index of the write, for the retry
 * @last: the last index of the write
 *
 * The tree's own lock is dropped around the allocation; an external lock
 * is kept, so the caller's context must allow sleeping.
 *
 * Context: the write lock; sleeps.
 * Return: false when @mas holds no -ENOMEM (nothing done); true when the
 * nodes are in hand and @mas restarts from the top of [@index, @last].
 */
bool mas_nomem_nofail(struct ma_state *mas, unsigned long index,
		      unsigned long last)
{
	if (!mas_is_err(mas) || mas->node != MA_ERROR(-ENOMEM))
		return false;
	/* __GFP_NOFAIL: the allocator waits for memory rather than fail */
	mas_grab_wanted(mas, GFP_KERNEL | __GFP_NOFAIL);
	mas_set_alloc_req(mas, 0);
	mas_set_range(mas, index, last);
	mas->node = NULL;
	mas->status = ma_start;
	return true;
}
MT_EXPORT_GPL(mas_nomem_nofail);

/**
 * mas_erase() - erase the whole range holding mas->index.
 * @mas: the maple state; mas->index names the range
 *
 * An erase cannot report -ENOMEM, and it must not answer as if nothing had
 * been there while the entry stays (a caller would free what the tree
 * still holds).  So when its nodes cannot be had without sleeping, it
 * waits for them (mas_nomem_nofail(): GFP_KERNEL | __GFP_NOFAIL) and the
 * erase always happens.
 *
 * Context: the write lock; may drop the tree's own lock and sleep.  With
 * an external lock the caller must be able to sleep under it.
 * Return: the value erased, or NULL if the range held none; index and
 * last bound its range.
 */
void *mas_erase(struct ma_state *mas)
{
	unsigned long index = mas->index;
	void *val;

	if (mt_external_lock(mas->tree))
		might_alloc(GFP_KERNEL);
	mas->mas_flags |= MT_MAS_RETRY;	/* the retry has what it needs */
	for (;;) {
		mas->index = mas->last = index;
		mas->status = ma_start;
		val = mas_walk(mas);
		if (!val)
			break;
		mas_wr_run(mas, NULL, MT_GFP_NOSLEEP);
		if (!mas_nomem_nofail(mas, index, index))
			break;
	}
	mas->mas_flags &= ~MT_MAS_RETRY;
	BUG_ON(mas_is_err(mas));	/* only -ENOMEM, and that was waited out */
	mas_destroy(mas);
	return val;
}
MT_EXPORT_GPL(mas_erase);

/* Entries the simple API refuses. */
static inline bool mt_entry_refused(const void *val)
{
	return xa_is_advanced(val);
}

/**
 * mtree_store_range() - store @val over [@index, @last].
 * @mt: the maple tree
 * @index: the first index
 * @last: the last index
 * @val: the value to store; NULL erases
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, -EINVAL (index > last, or a reserved val), -ENOMEM.
 */
int mtree_store_range(struct maple_tree *mt, unsigned long index,
		      unsigned long last, void *val, gfp_t gflags)
{
	MA_STATE(mas, mt, index, last);
	int ret;

	if (WARN_ON_ONCE(mt_entry_refused(val)))
		return -EINVAL;
	/* index > last: mas_store_gfp() says -EINVAL */
	mas.mas_flags |= MT_MAS_DISCARD;
	mtree_lock(mt);
	ret = mas_store_gfp(&mas, val, gflags);
	mtree_unlock(mt);
	return ret;
}
MT_EXPORT(mtree_store_range);

/**
 * mtree_store() - store @val at @index alone.  See mtree_store_range().
 * @mt: the maple tree
 * @index: the index
 * @val: the value to store; NULL erases
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, -EINVAL (a reserved value), -ENOMEM.
 */
int mtree_store(struct maple_tree *mt, unsigned long index, void *val,
		gfp_t gflags)
{
	return mtree_store_range(mt, index, index, val, gflags);
}
MT_EXPORT(mtree_store);

/* Is any index of [index, last] occupied?  Context: the lock. */
static bool mt_range_busy(struct maple_tree *mt, unsigned long index,
			  unsigned long last)
{
	unsigned long lo, hi;

	for (;;) {
		if (mt_lookup(mt, index, &lo, &hi))
			return true;
		if (hi >= last)
			return false;
		index = hi + 1;
	}
}

/* Insert under the lock: the write of mtree_insert_range() and friends. */
static int mas_insert_gfp(struct ma_state *mas, void *val, gfp_t gflags)
{
	unsigned long index = mas->index, last = mas->last;

	/* The walk leaves @mas on the leaf the store then starts from. */
	if (mas_walk(mas))
		return -EEXIST;
	if (mas->last < last && mt_range_busy(mas->tree, mas->last + 1, last))
		return -EEXIST;
	mas->index = index;
	mas->last = last;
	return mas_wr_retry(mas, val, gflags);
}

/**
 * mtree_insert_range() - store @val over [@index, @last] if every index
 * there is empty.
 * @mt: the maple tree
 * @index: the first index
 * @last: the last index
 * @val: the value to store (not NULL)
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, -EEXIST (nothing changed), -EINVAL, -ENOMEM.
 */
int mtree_insert_range(struct maple_tree *mt, unsigned long index,
		       unsigned long last, void *val, gfp_t gflags)
{
	MA_STATE(mas, mt, index, last);
	int ret;

	if (WARN_ON_ONCE(mt_entry_refused(val)))
		return -EINVAL;
	if (index > last)
		return -EINVAL;
	mtree_lock(mt);
	ret = mas_insert_gfp(&mas, val, gflags);
	mtree_unlock(mt);
	return ret;
}
MT_EXPORT(mtree_insert_range);

/**
 * mtree_insert() - mtree_insert_range() of the single index @index.
 * @mt: the maple tree
 * @index: the index
 * @val: the value to store (not NULL)
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, -EEXIST (nothing changed), -EINVAL, -ENOMEM.
 */
int mtree_insert(struct maple_tree *mt, unsigned long index, void *val,
		 gfp_t gflags)
{
	return mtree_insert_range(mt, index, index, val, gflags);
}
MT_EXPORT(mtree_insert);

/**
 * mtree_erase() - erase the range holding @index.
 * @mt: the maple tree
 * @index: an index of the range to erase
 *
 * Context: takes the tree's lock.
 * Return: the value that was there, or NULL.
 */
void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *val;

	mtree_lock(mt);
	val = mas_erase(&mas);
	mtree_unlock(mt);
	return val;
}
MT_EXPORT(mtree_erase);

/* ------------------------------------------------------------- gaps */

/*
 * The free-space search of an allocation tree.  By I5 every maximal run
 * of NULL indices is one leaf slot, and by I6 gap[i] is the longest such
 * slot below child i; so the search descends only into children whose gap
 * is long enough and that meet the window, in index order (or backwards).
 * A child inside the window with a long enough gap always holds an
 * answer; only the children cut by the window's edges can send the search
 * back up, so it visits O(height) nodes more than one descent.  Before
 * that, mg_near() looks in the leaf at the window's near edge and in
 * its parent, where most answers lie.  In a bulk load the gaps may be too
 * large for a while (see I6); a too large gap only costs a vain descent.
 */
struct mt_gap_search {
	unsigned long lo, hi;		/* the window */
	unsigned long span;		/* NULL indices wanted */
	bool rev;			/* highest run instead of lowest */
	struct ma_state *mas;		/* set to the leaf of the answer */
};

enum {
	MT_GAP_NONE,		/* no run fits anywhere in the window */
	MT_GAP_FOUND,		/* mas points at the answer */
	MT_GAP_RETRY,		/* search (again) from the root */
	MT_GAP_BEYOND,		/* not in the leaf scanned: look past it */
	MT_GAP_ROOT,		/* the tree has no node (any more) */
};

/*
 * Does the NULL range [@a, @b] hold @gs->span indices inside the window?
 * Then point the ma_state's index and last at the run it gives.
 */
static bool mg_fits(struct mt_gap_search *gs, unsigned long a,
		    unsigned long b)
{
	unsigned long from = max(a, gs->lo), to = min(b, gs->hi);

	if (to < from || to - from < gs->span - 1)
		return false;
	gs->mas->index = gs->rev ? to - gs->span + 1 : from;
	gs->mas->last = gs->mas->index + gs->span - 1;
	return true;
}

/*
 * The reads of the gap search take nothing from a node's metadata: a scan
 * up from slot 0 for an index within the node stops at the first pivot at
 * or above it, at the latest at pivot[end], which is the node's maximum
 * (or at slot end of a full node, which has no pivot); a step right stops
 * after the slot that ends at the maximum.  Slot @i of a node covering [@lo_lim, @hi_lim]
 * holds [mt_slot_lo(), mt_slot_hi()].
 */
static inline unsigned char mt_scan_slot(const unsigned long *pivs,
					 unsigned char npiv, unsigned long idx)
{
	unsigned char i;

	for (i = 0; i < npiv && pivs[i] < idx; i++)
		;
	return i;
}

static inline unsigned long mt_slot_lo(const unsigned long *pivs, int i,
				       unsigned long lo_lim)
{
	return i ? pivs[i - 1] + 1 : lo_lim;
}

static inline unsigned long mt_slot_hi(const unsigned long *pivs, int i,
				       unsigned char npiv, unsigned long hi_lim)
{
	return i < npiv ? pivs[i] : hi_lim;
}

/*
 * mg_answer() - point the ma_state at slot @i of the leaf @enode, whose
 * last used slot is @end and which covers [@lo_lim, @hi_lim] @depth levels
 * down; its index and last are already set (mg_fits()).  The caller
 * reads @end before it judges the leaf.
 */
static void mg_answer(struct mt_gap_search *gs, struct maple_enode *enode,
		      int i, unsigned char end, unsigned long lo_lim,
		      unsigned long hi_lim, unsigned char depth)
{
	struct ma_state *mas = gs->mas;

	mas->node = enode;
	mas->offset = i;
	mas->end = end;
	mas->min = lo_lim;
	mas->max = hi_lim;
	mas->depth = depth;
	mas->status = ma_active;
}

/*
 * mg_step() - move slot @*i of a node (range [@*a, @*b]) one step
 * towards the window's far edge.  Return: false past the node's end.
 */
static inline bool mg_step(const struct mt_gap_search *gs,
			   const unsigned long *pivs, unsigned char npiv,
			   unsigned long lo_lim, unsigned long hi_lim,
			   int *i, unsigned long *a, unsigned long *b)
{
	if (gs->rev) {
		if (!*i)
			return false;
		--*i;
		*b = *a - 1;
		*a = mt_slot_lo(pivs, *i, lo_lim);
	} else {
		if (*b >= hi_lim)
			return false;
		++*i;
		*a = *b + 1;
		*b = mt_slot_hi(pivs, *i, npiv, hi_lim);
	}
	return true;
}

/*
 * mg_leaf_up() - the forward search's scan of a leaf (covering up to
 * @hi_lim) from slot @i, which starts at @a: the first NULL range that
 * fits (mg_fits()), in one pass over the pivots with one slot read per
 * range.  Return: its slot, MT_LEAF_PAST when the window ends first,
 * MT_LEAF_END at the leaf's end.  Nothing read is trusted until the
 * caller has judged the leaf (ma_dead()).
 */
#define MT_LEAF_PAST	(-1)
#define MT_LEAF_END	(-2)

static __always_inline int mg_leaf_up(struct mt_gap_search *gs,
				      struct maple_tree *mt,
				      const unsigned long *pivs,
				      void __rcu **slots, int i,
				      unsigned long a, unsigned long hi_lim)
{
	const int npiv = MAPLE_RANGE64_SLOTS - 1;
	unsigned long b;

	for (;; i++, a = b + 1) {
		if (a > gs->hi)
			return MT_LEAF_PAST;
		b = i < npiv ? pivs[i] : hi_lim;
		if (!mt_slot(mt, slots, i) && mg_fits(gs, a, b))
			return i;
		if (b >= hi_lim)
			return MT_LEAF_END;
	}
}

/* Search below @enode, which covers [@lo_lim, @hi_lim], @depth levels down. */
static int mg_descend(struct mt_gap_search *gs, struct maple_enode *enode,
		      unsigned long lo_lim, unsigned long hi_lim,
		      unsigned char depth)
{
	struct maple_tree *mt = gs->mas->tree;
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	unsigned long *gaps = ma_gaps(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char npiv = mt_pivot_count(ntype), end;
	unsigned long a, b;
	int i, ret;
	void *val;

	/*
	 * Start at the slot holding the window's near edge.  What a slot
	 * tells is trusted only once the node is seen alive after reading
	 * it: before acting on it, and before giving up on the node.
	 */
	i = mt_scan_slot(pivs, npiv, gs->rev ? min(gs->hi, hi_lim) : gs->lo);
	a = mt_slot_lo(pivs, i, lo_lim);
	b = mt_slot_hi(pivs, i, npiv, hi_lim);
	if (ma_is_leaf(ntype) && !gs->rev) {
		i = mg_leaf_up(gs, mt, pivs, slots, i, a, hi_lim);
		if (i < 0)
			goto none;
		goto found;
	}
	do {
		if (b < gs->lo || a > gs->hi)
			break;	/* past the window's far edge */
		if (ma_is_leaf(ntype)) {
			if (mt_slot(mt, slots, i) || !mg_fits(gs, a, b))
				continue;
found:
			end = ma_data_end(node, ntype, hi_lim);
			if (unlikely(ma_dead(node)))
				return MT_GAP_RETRY;
			mg_answer(gs, enode, i, end, lo_lim, hi_lim, depth);
			return MT_GAP_FOUND;
		}
		/*
		 * The writer updates gaps in place: the old value or the new
		 * one, and the search is right with either (what it passes
		 * over was not free before the write; a child it enters in
		 * vain sends it on to the next).
		 */
		if (READ_ONCE(gaps[i]) < gs->span)
			continue;
		val = mt_slot(mt, slots, i);
		if (unlikely(ma_dead(node)))
			return MT_GAP_RETRY;
		ret = mg_descend(gs, val, a, b, depth + 1);
		if (ret != MT_GAP_NONE)
			return ret;
	} while (mg_step(gs, pivs, npiv, lo_lim, hi_lim, &i, &a, &b));
none:
	if (unlikely(ma_dead(node)))
		return MT_GAP_RETRY;
	return MT_GAP_NONE;
}

/*
 * mg_past() - narrow the window to what lies beyond [@lo_lim, @hi_lim],
 * searched in vain.  Return: false when no run can fit in what is left.
 */
static bool mg_past(struct mt_gap_search *gs, unsigned long lo_lim,
		    unsigned long hi_lim)
{
	if (gs->rev ? lo_lim <= gs->lo : hi_lim >= gs->hi)
		return false;
	if (gs->rev)
		gs->hi = lo_lim - 1;
	else
		gs->lo = hi_lim + 1;
	return gs->hi - gs->lo >= gs->span - 1;
}

/*
 * mg_near() - look for the answer in the leaf that holds the window's
 * near edge (its low end, or its high end for @gs->rev) before anything
 * else, then in that leaf's parent.  Most searches end in the leaf.  The
 * way down reads the pivots and one slot of each node above the leaf,
 * where the gap search also reads the gaps: a cache line more at every
 * level.  The leaf's NULL runs are maximal (I5), so a run it does not
 * hold lies wholly beyond it; the parent's gaps then tell which of the
 * leaf's siblings beyond it holds one, and that sibling was fetched
 * alongside the leaf.
 *
 * The way down scans the pivots (mt_scan_slot()) where a lookup counts
 * them (ma_slot_of()).  A search goes down to a random leaf, so in a
 * large tree its lowest levels come from memory: the scan can use the
 * first line of pivots before the second and the metadata arrive, and
 * at 1,000,000 entries it takes a tenth off the search.  In a tree that
 * fits in the cache the count, which has no branch to mispredict, is
 * faster, but by a few per cent only (docs/results.md).
 *
 * Return: MT_GAP_FOUND; MT_GAP_NONE when no run fits; MT_GAP_RETRY with
 * the window narrowed to what lies beyond the leaf or its parent, for a
 * search from the root; MT_GAP_ROOT when the root is not a node.
 */
static int mg_near(struct mt_gap_search *gs)
{
	struct maple_tree *mt = gs->mas->tree;
	unsigned long idx = gs->rev ? gs->hi : gs->lo;
	unsigned long lo_lim, hi_lim, a, b, *pivs;
	unsigned long plo = 0, phi = ULONG_MAX;	/* the parent's range */
	unsigned long cgap;	/* the parent's gap for the node below */
	struct maple_enode *enode, *penode = NULL;
	struct maple_node *node;
	enum maple_type ntype;
	unsigned char npiv, depth, height, end;
	void __rcu **slots;
	int i, ret;
	void *next;

again:
	next = mt_root_get(mt);
	if (!mt_is_enode(next))
		return MT_GAP_ROOT;
	/* a hint only, for the prefetch: the writer may change it */
	height = (READ_ONCE(mt->ma_flags) & MT_FLAGS_HEIGHT_MASK) >>
		 MT_FLAGS_HEIGHT_OFFSET;
	lo_lim = 0;
	hi_lim = ULONG_MAX;
	depth = 0;
	for (;;) {
		enode = next;
		node = mte_to_node(enode);
		ntype = mte_node_type(enode);
		pivs = ma_pivots(node, ntype);
		slots = ma_slots(node, ntype);
		npiv = mt_pivot_count(ntype);
		depth++;
		i = mt_scan_slot(pivs, npiv, idx);
		a = mt_slot_lo(pivs, i, lo_lim);
		b = mt_slot_hi(pivs, i, npiv, hi_lim);
		if (ma_is_leaf(ntype))
			break;
		next = mt_slot(mt, slots, i);
		/* over a leaf only: higher up, a skip seldom pays its load */
		cgap = depth + 1 == height ?
		       READ_ONCE(ma_gaps(node, ntype)[i]) : ULONG_MAX;
		/* the child's slots lie a line or two past its pivots */
		mt_prefetch_node(mte_to_node(next));
		/* and above a leaf, the leaf's neighbour beyond it too */
		if (depth + 1 == height &&
		    (gs->rev ? i > 0 : b < hi_lim))
			mt_prefetch_node(mte_to_node(mt_slot(mt, slots,
					 i + (gs->rev ? -1 : 1))));
		if (unlikely(ma_dead(node)))
			goto again;
		penode = enode;
		plo = lo_lim;
		phi = hi_lim;
		lo_lim = a;
		hi_lim = b;
		if (cgap < gs->span) {
			/*
			 * Nothing below slot i fits: its gap is the largest
			 * run in all of it (I6; one left too large by a bulk
			 * load only sends the search down).  So this node is
			 * searched past it, as after a leaf searched in
			 * vain, without going down.
			 */
			depth++;
			ret = MT_GAP_BEYOND;
			goto beyond;
		}
	}

	ret = MT_GAP_BEYOND;
	if (!gs->rev) {
		i = mg_leaf_up(gs, mt, pivs, slots, i, a, hi_lim);
		if (i >= 0)
			ret = MT_GAP_FOUND;
		else if (i == MT_LEAF_PAST)
			ret = MT_GAP_NONE;
		goto beyond;
	}
	do {
		if (b < gs->lo || a > gs->hi) {
			ret = MT_GAP_NONE;
			break;
		}
		if (!mt_slot(mt, slots, i) && mg_fits(gs, a, b)) {
			ret = MT_GAP_FOUND;
			break;
		}
	} while (mg_step(gs, pivs, npiv, lo_lim, hi_lim, &i, &a, &b));
beyond:
	end = ret == MT_GAP_FOUND ? ma_data_end(node, ntype, hi_lim) : 0;
	/* everything above was read from the leaf: judge it now */
	if (unlikely(ma_dead(node)))
		goto again;

	if (ret == MT_GAP_FOUND)
		mg_answer(gs, enode, i, end, lo_lim, hi_lim, depth);
	if (ret != MT_GAP_BEYOND)
		return ret;
	if (!mg_past(gs, lo_lim, hi_lim))
		return MT_GAP_NONE;
	/* the parent, when the window goes on within it */
	if (!penode || (gs->rev ? lo_lim == plo : hi_lim == phi))
		return MT_GAP_RETRY;
	ret = mg_descend(gs, penode, plo, phi, depth - 1);
	if (ret != MT_GAP_NONE)
		return ret;
	return mg_past(gs, plo, phi) ? MT_GAP_RETRY : MT_GAP_NONE;
}

/*
 * mas_gap_search() - the search of an allocation tree: the near leaf, then
 * the gaps from the root.
 * Return: 0, -EBUSY, or -EAGAIN when the root is not a node.
 */
static int mas_gap_search(struct ma_state *mas, unsigned long lo_lim,
			  unsigned long hi_lim, unsigned long span, bool rev)
{
	struct mt_gap_search gs = {
		.lo = lo_lim, .hi = hi_lim, .span = span, .rev = rev,
		.mas = mas,
	};
	void *top;
	int ret;

	ret = mg_near(&gs);
	while (ret == MT_GAP_RETRY) {
		top = mt_root_get(mas->tree);
		if (!mt_is_enode(top))
			return -EAGAIN;
		ret = mg_descend(&gs, top, 0, ULONG_MAX, 1);
	}
	if (ret == MT_GAP_ROOT)
		return -EAGAIN;
	return ret == MT_GAP_FOUND ? 0 : -EBUSY;
}

/*
 * mas_empty_root() - mas_empty_area() and mas_empty_area_rev() of a tree
 * whose root is not a node: everything is free but index 0 when the root
 * holds an entry.
 */
static int mas_empty_root(struct ma_state *mas, unsigned long lo_lim,
			  unsigned long hi_lim, unsigned long span, bool rev)
{
	if (mt_root_get(mas->tree) && !lo_lim) {
		lo_lim = 1;
		if (lo_lim > hi_lim || hi_lim - lo_lim + 1 < span)
			return -EBUSY;
	}
	if (rev) {
		mas_descend(mas, hi_lim);
		mas->last = hi_lim;
		mas->index = hi_lim - span + 1;
	} else {
		mas_descend(mas, lo_lim);
		mas->index = lo_lim;
		mas->last = lo_lim + span - 1;
	}
	return 0;
}

/*
 * mas_empty_any() - mas_empty_area() (@rev false) and mas_empty_area_rev().
 * Outside allocation trees there are no gaps to consult: the search walks
 * range by range from the window's near edge.
 */
static int mas_empty_any(struct ma_state *mas, unsigned long lo_lim,
			 unsigned long hi_lim, unsigned long span, bool rev)
{
	unsigned long lo, hi, at;
	void *val;
	int ret;

	if (lo_lim > hi_lim || !span || hi_lim - lo_lim < span - 1)
		return -EINVAL;
	if (!mt_is_enode(mt_root_get(mas->tree)))
		return mas_empty_root(mas, lo_lim, hi_lim, span, rev);
	if (mt_is_alloc(mas->tree)) {
		ret = mas_gap_search(mas, lo_lim, hi_lim, span, rev);
		if (ret == -EAGAIN)
			return mas_empty_root(mas, lo_lim, hi_lim, span, rev);
		return ret;
	}
	at = rev ? hi_lim : lo_lim;
	for (;;) {
		val = mas_descend(mas, at);
		lo = max(mas->index, lo_lim);
		hi = min(mas->last, hi_lim);
		if (!val && hi - lo >= span - 1) {
			mas->index = rev ? hi - span + 1 : lo;
			mas->last = mas->index + span - 1;
			return 0;
		}
		if (rev ? mas->index <= lo_lim : mas->last >= hi_lim)
			return -EBUSY;
		at = rev ? mas->index - 1 : mas->last + 1;
	}
}

/**
 * mas_empty_area() - the lowest run of @span NULL indices within [@lo_lim,
 * @hi_lim]; sets mas->index and mas->last to it.
 * @mas: the maple state
 * @lo_lim: the lowest index of the run
 * @hi_lim: the highest index of the run
 * @span: how many indices the run needs
 *
 * Context: the lock or rcu_read_lock().
 * Return: 0, -EINVAL (bad bounds), -EBUSY (no such run).
 */
int mas_empty_area(struct ma_state *mas, unsigned long lo_lim,
		   unsigned long hi_lim, unsigned long span)
{
	return mas_empty_any(mas, lo_lim, hi_lim, span, false);
}
MT_EXPORT_GPL(mas_empty_area);

/**
 * mas_empty_area_rev() - like mas_empty_area(), the highest such run.
 * @mas: the maple state
 * @lo_lim: the lowest index of the run
 * @hi_lim: the highest index of the run
 * @span: how many indices the run needs
 *
 * Context: the lock or rcu_read_lock().
 * Return: 0, -EINVAL (bad bounds), -EBUSY (no such run).
 */
int mas_empty_area_rev(struct ma_state *mas, unsigned long lo_lim,
		       unsigned long hi_lim, unsigned long span)
{
	return mas_empty_any(mas, lo_lim, hi_lim, span, true);
}
MT_EXPORT_GPL(mas_empty_area_rev);

static int mtree_alloc_any(struct maple_tree *mt, unsigned long *startp,
			   void *val, unsigned long span, unsigned long lo_lim,
			   unsigned long hi_lim, gfp_t gflags, bool rev)
{
	MA_STATE(mas, mt, 0, 0);
	int ret;

	if (!mt_is_alloc(mt))
		return -EINVAL;
	if (WARN_ON_ONCE(mt_entry_refused(val)))
		return -EINVAL;
	mtree_lock(mt);
	if (rev)
		ret = mas_empty_area_rev(&mas, lo_lim, hi_lim, span);
	else
		ret = mas_empty_area(&mas, lo_lim, hi_lim, span);
	if (!ret) {
		ret = mas_wr_retry(&mas, val, gflags);
		if (!ret)
			*startp = mas.index;
	}
	mtree_unlock(mt);
	return ret;
}

/**
 * mtree_alloc_range() - store @val in the lowest free run of @span
 * indices within [@lo_lim, @hi_lim] of an allocation tree; *@startp gets its
 * first index.
 * @mt: the maple tree (MT_FLAGS_ALLOC_RANGE)
 * @startp: where the first index of the run is stored
 * @val: the value to store (not NULL)
 * @span: how many indices the value takes
 * @lo_lim: the lowest index of the run
 * @hi_lim: the highest index of the run
 * @gflags: how to allocate
 *
 * Return: 0, -EINVAL, -EBUSY (no room), -ENOMEM.
 */
int mtree_alloc_range(struct maple_tree *mt, unsigned long *startp,
		      void *val, unsigned long span, unsigned long lo_lim,
		      unsigned long hi_lim, gfp_t gflags)
{
	return mtree_alloc_any(mt, startp, val, span, lo_lim, hi_lim, gflags,
			       false);
}
MT_EXPORT(mtree_alloc_range);

/**
 * mtree_alloc_rrange() - mtree_alloc_range() from the top down: the
 * highest free run of @span indices within [@lo_lim, @hi_lim].
 * @mt: the maple tree (MT_FLAGS_ALLOC_RANGE)
 * @startp: where the first index of the run is stored
 * @val: the value to store (not NULL)
 * @span: how many indices the value takes
 * @lo_lim: the lowest index of the run
 * @hi_lim: the highest index of the run
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, -EINVAL, -EBUSY (no room), -ENOMEM.
 */
int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *startp,
		       void *val, unsigned long span, unsigned long lo_lim,
		       unsigned long hi_lim, gfp_t gflags)
{
	return mtree_alloc_any(mt, startp, val, span, lo_lim, hi_lim, gflags, true);
}
MT_EXPORT(mtree_alloc_rrange);

/**
 * mas_alloc_cyclic() - store @val at the first free index from *@next
 * up to @range_hi, wrapping to @range_lo; *@next moves past it.
 * @mas: the maple state of an allocation tree
 * @startp: where the index found is stored
 * @val: the value to store (not NULL)
 * @range_lo: the lowest index to use
 * @range_hi: the highest index to use
 * @next: where the search starts; moved past the index found
 * @gflags: how to allocate
 *
 * Context: the write lock; may drop it to allocate.
 * Return: 0, 1 if the search wrapped, -EBUSY, -ENOMEM.
 */
int mas_alloc_cyclic(struct ma_state *mas, unsigned long *startp,
		     void *val, unsigned long range_lo,
		     unsigned long range_hi, unsigned long *next, gfp_t gflags)
{
	struct maple_tree *mt = mas->tree;
	unsigned long from = max(range_lo, *next);
	int ret, wrapped = 0;

	ret = mas_empty_area(mas, from, range_hi, 1);
	if (!ret && (mt->ma_flags & MT_FLAGS_ALLOC_WRAPPED)) {
		mt->ma_flags &= ~MT_FLAGS_ALLOC_WRAPPED;
		wrapped = 1;
	}
	if (ret && from > range_lo) {
		mas_reset(mas);
		ret = mas_empty_area(mas, range_lo, range_hi, 1);
		if (!ret)
			wrapped = 1;
	}
	if (ret)
		return ret;
	ret = mas_wr_retry(mas, val, gflags);	/* a run found: index <= last */
	if (ret)
		return ret;
	*startp = mas->index;
	*next = *startp + 1;
	if (!*next)
		mt->ma_flags |= MT_FLAGS_ALLOC_WRAPPED;
	return wrapped;
}
MT_EXPORT(mas_alloc_cyclic);

/**
 * mtree_alloc_cyclic() - mas_alloc_cyclic() under the tree's lock.
 * @mt: the maple tree (MT_FLAGS_ALLOC_RANGE)
 * @startp: where the index found is stored
 * @val: the value to store (not NULL)
 * @range_lo: the lowest index to use
 * @range_hi: the highest index to use
 * @next: where the search starts; moved past the index found
 * @gflags: how to allocate
 *
 * Context: takes the tree's lock; may sleep if @gflags allows.
 * Return: 0, 1 if the search wrapped, -EINVAL, -EBUSY, -ENOMEM.
 */
int mtree_alloc_cyclic(struct maple_tree *mt, unsigned long *startp,
		       void *val, unsigned long range_lo,
		       unsigned long range_hi, unsigned long *next, gfp_t gflags)
{
	MA_STATE(mas, mt, 0, 0);
	int ret;

	if (!mt_is_alloc(mt))
		return -EINVAL;
	if (WARN_ON_ONCE(mt_entry_refused(val)))
		return -EINVAL;
	mtree_lock(mt);
	ret = mas_alloc_cyclic(&mas, startp, val, range_lo, range_hi,
			       next, gflags);
	mtree_unlock(mt);
	return ret;
}
MT_EXPORT(mtree_alloc_cyclic);

/* ------------------------------------------------- destroy and duplicate */

/*
 * Retire @enode and everything below it: outside RCU mode into @fb, to be
 * freed in bulk; in RCU mode each after a grace period.
 */
static void mt_free_subtree(struct maple_tree *mt, struct maple_enode *enode,
			    unsigned long hi_lim, struct mt_free_batch *fb)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs;
	void __rcu **slots;
	unsigned char last_slot, i;

	if (!ma_is_leaf(ntype)) {
		pivs = ma_pivots(node, ntype);
		slots = ma_slots(node, ntype);
		last_slot = ma_data_end(node, ntype, hi_lim);
		for (i = 0; i <= last_slot; i++)
			mt_free_subtree(mt, rcu_dereference_protected(slots[i],
							mt_locked(mt)),
					i < last_slot ? pivs[i] : hi_lim, fb);
	}
	if (mt_in_rcu(mt)) {
		mt_retire(mt, enode);
		return;
	}
	mt_batch_add(fb, node);
}

/**
 * __mt_destroy() - empty @mt and free its nodes (after a grace period
 * in RCU mode).
 * @mt: the maple tree
 *
 * Context: the write lock.
 */
void __mt_destroy(struct maple_tree *mt)
{
	void *top = rcu_dereference_protected(mt->ma_root, mt_locked(mt));
	struct mt_free_batch fb;

	fb.nr = 0;	/* only the count: the array fills as it goes */
	rcu_assign_pointer(mt->ma_root, NULL);
	if (mt_is_enode(top))
		mt_free_subtree(mt, top, ULONG_MAX, &fb);
	mt_batch_flush(&fb);
	mt->ma_flags = mt_attr(mt);
}
MT_EXPORT_GPL(__mt_destroy);

/**
 * mtree_destroy() - __mt_destroy() under the tree's lock.
 * @mt: the maple tree
 *
 * Context: takes the tree's lock.
 */
void mtree_destroy(struct maple_tree *mt)
{
	mtree_lock(mt);
	__mt_destroy(mt);
	mtree_unlock(mt);
}
MT_EXPORT(mtree_destroy);

/*
 * Duplication copies the source depth first, in pre-order.  Each node is
 * copied whole (256 bytes) into a node obtained earlier, its parent word
 * is pointed at its new parent, and a node with children gets all of
 * them with one bulk allocation straight into its own slots, so the
 * copy's slots already name the (still empty) nodes the walk fills next.
 * A child obtained but not yet filled has a NULL parent word.  Leaves
 * are not left empty: a node of level 1 has its leaves obtained and
 * filled in one pass (mt_dup_leaves()), and the walk goes no lower.
 *
 *   src:   [R]                     copy, after R's children are obtained:
 *         / | \                         [R']
 *      [a] [b] [c]                     / | \
 *                                   (a') (b') (c')   empty, parent NULL
 */

/*
 * Where the copy stands at one level of the walk.  The type of the nodes
 * follows from the level, and the next slot and the last used one are
 * kept apart (struct mt_dup), so that a path as deep as a tree can be
 * stays small on the stack.
 */
struct mt_dup_step {
	struct maple_node *src;		/* node being copied from */
	struct maple_node *dst;		/* its copy */
	unsigned long max;		/* last index they cover */
};

/* The walk of mt_dup_nodes(). */
struct mt_dup {
	struct maple_tree *src, *dst;		/* the trees */
	struct mt_dup_step path[MAPLE_HEIGHT_MAX];	/* by level */
	unsigned char offset[MAPLE_HEIGHT_MAX];	/* next child to fill */
	unsigned char end[MAPLE_HEIGHT_MAX];	/* last used slot */
};

/*
 * mt_dup_grab() - the @n source nodes in @from are copied next, one after
 * another: ask for all of their lines now, so that the misses overlap
 * instead of costing one full memory latency per node; then obtain their
 * copies in one bulk allocation, into @slots.
 * Return: false when the allocation failed.
 */
static bool mt_dup_grab(struct mt_dup *dup, void __rcu **from,
			void __rcu **slots, unsigned int n, gfp_t gflags)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		mt_prefetch_node(mte_to_node(rcu_dereference_protected(from[i],
						mt_locked(dup->src))));
	return mt_alloc_bulk(gflags, n, (void **)slots);
}

/*
 * mt_dup_children() - obtain the children of the copy at level @h in one
 * bulk allocation, into its slots, tagged with their type.
 * Return: false when the allocation failed: that copy's slots then hold
 * stale pointers and must not be followed.
 */
static bool mt_dup_children(struct mt_dup *dup, unsigned int h, gfp_t gflags)
{
	enum maple_type ntype = mt_level_type(dup->src, h);
	enum maple_type ctype = mt_level_type(dup->src, h - 1);
	void __rcu **from = ma_slots(dup->path[h].src, ntype);
	void __rcu **slots = ma_slots(dup->path[h].dst, ntype);
	struct maple_node *child;
	unsigned int i, n = dup->end[h] + 1U;

	if (!mt_dup_grab(dup, from, slots, n, gflags))
		return false;
	for (i = 0; i < n; i++) {
		child = (struct maple_node *)slots[i];
		child->parent = NULL;	/* not filled yet */
		RCU_INIT_POINTER(slots[i], mt_mk_node(child, ctype));
	}
	return true;
}

/*
 * mt_dup_unwind() - free the unpublished copy below @enode after a failed
 * allocation; @failed is the node whose children could not be had (its
 * slots are stale).  Nodes not filled yet are freed without a look inside.
 */
static void mt_dup_unwind(struct maple_tree *dst, struct maple_enode *enode,
			  unsigned long hi_lim, struct maple_node *failed)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs;
	void __rcu **slots;
	unsigned char last_slot, i;

	if (node->parent && node != failed && !ma_is_leaf(ntype)) {
		pivs = ma_pivots(node, ntype);
		slots = ma_slots(node, ntype);
		last_slot = ma_data_end(node, ntype, hi_lim);
		for (i = 0; i <= last_slot; i++)
			mt_dup_unwind(dst, rcu_dereference_protected(slots[i],
							mt_locked(dst)),
				      i < last_slot ? pivs[i] : hi_lim, failed);
	}
	mt_free_one(node);
}

/* Copy @src's node into @dst's, adopted at slot @off of @parent. */
static inline void mt_dup_copy(struct maple_node *dst,
			       const struct maple_node *src,
			       struct maple_node *parent, unsigned char off)
{
	memcpy(dst, src, sizeof(*dst));
	/*
	 * Not to be merged with the copy: told that the parent word is
	 * written again, the compiler copies the 248 bytes after it, and a
	 * quarter of its 16-byte moves then straddle two cache lines.
	 */
	barrier();
	dst->parent = mt_mk_parent(parent, off);
}

/*
 * mt_dup_leaves() - the copy at level 1 gets its children, which are
 * leaves, and they are filled at once: one bulk allocation, then one
 * pass that copies each leaf, adopts it and names it in the slot.  Nine
 * nodes in ten are leaves; they never enter the walk of mt_dup_nodes().
 * Return: false when the allocation failed: that copy's slots then hold
 * stale pointers and must not be followed.
 */
static bool mt_dup_leaves(struct mt_dup *dup, gfp_t gflags)
{
	struct mt_dup_step *step = &dup->path[1];
	enum maple_type ntype = mt_level_type(dup->src, 1);
	void __rcu **from = ma_slots(step->src, ntype);
	void __rcu **slots = ma_slots(step->dst, ntype);
	unsigned int i, n = dup->end[1] + 1U;
	struct maple_node *leaf;

	if (!mt_dup_grab(dup, from, slots, n, gflags))
		return false;
	for (i = 0; i < n; i++) {
		leaf = (struct maple_node *)slots[i];
		mt_dup_copy(leaf, mte_to_node(rcu_dereference_protected(from[i],
						mt_locked(dup->src))),
			    step->dst, i);
		RCU_INIT_POINTER(slots[i], mt_mk_node(leaf, maple_leaf_64));
	}
	return true;
}

/*
 * mt_dup_down() - set up level @h of the walk on @src's node @enode,
 * which covers up to @max, and its copy @copy: the next child to fill,
 * and the last.
 */
static inline void mt_dup_down(struct mt_dup *dup, unsigned int h,
			       struct maple_enode *enode,
			       struct maple_node *copy, unsigned long max)
{
	struct mt_dup_step *step = &dup->path[h];

	step->src = mte_to_node(enode);
	step->dst = copy;
	step->max = max;
	dup->offset[h] = 0;
	dup->end[h] = ma_data_end(step->src, mte_node_type(enode), max);
}

/*
 * mt_dup_nodes() - copy the nodes below the root @top of @src into @dst,
 * whose root node @copy is already filled.  The walk visits the nodes
 * above level 1; a node of level 1 has its leaves copied by
 * mt_dup_leaves() as soon as it is itself copied.
 * Return: NULL, or the node whose children could not be allocated.
 */
static struct maple_node *mt_dup_nodes(struct maple_tree *src,
				       struct maple_tree *dst,
				       struct maple_enode *top,
				       struct maple_node *copy, gfp_t gflags)
{
	struct mt_dup dup;
	struct mt_dup_step *step;
	unsigned int h = mt_height(src) - 1;
	enum maple_type ntype;
	struct maple_enode *child;
	unsigned long *pivs;
	unsigned char off;

	dup.src = src;
	dup.dst = dst;
	mt_dup_down(&dup, h, top, copy, ULONG_MAX);
	if (h == 1)
		return mt_dup_leaves(&dup, gflags) ? NULL : copy;
	if (!mt_dup_children(&dup, h, gflags))
		return copy;
	step = &dup.path[h];
	for (;;) {
		if (dup.offset[h] > dup.end[h]) {
			if (++h == mt_height(src))
				return NULL;	/* past the rightmost leaf */
			step = &dup.path[h];
			continue;
		}
		ntype = mt_level_type(src, h);
		off = dup.offset[h]++;
		child = rcu_dereference_protected(ma_slots(step->src, ntype)[off],
						  mt_locked(src));
		copy = mte_to_node(rcu_dereference_protected(
				ma_slots(step->dst, ntype)[off], mt_locked(dst)));
		mt_dup_copy(copy, mte_to_node(child), step->dst, off);
		pivs = ma_pivots(step->src, ntype);
		mt_dup_down(&dup, h - 1, child, copy,
			    off < dup.end[h] ? pivs[off] : step->max);
		if (h == 2) {
			/* its children are leaves: done with it at once */
			if (!mt_dup_leaves(&dup, gflags))
				return copy;
			continue;
		}
		if (!mt_dup_children(&dup, h - 1, gflags))
			return copy;
		step = &dup.path[--h];
	}
}

/**
 * __mt_dup() - make the empty tree @dst a copy of @src, node for node.
 * @src: the tree to copy
 * @dst: an empty tree with the same attributes as @src
 * @gflags: how to allocate
 *
 * The copy is built unseen and published with one rcu_assign_pointer()
 * when it is complete; the entries are shared, not copied.  It takes
 * exactly as many nodes as @src has.
 *
 * Context: the caller holds both trees' locks.
 * Return: 0, -EINVAL (@dst not empty, or other attributes), -ENOMEM (@dst
 * left empty, every node obtained given back).
 */
int __mt_dup(struct maple_tree *src, struct maple_tree *dst, gfp_t gflags)
{
	void *top = rcu_dereference_protected(src->ma_root, mt_locked(src));
	struct maple_node *copy, *failed = NULL;
	struct maple_enode *enode;

	/* Both trees must have the same attributes (node types, RCU, lock). */
	if (!mtree_empty(dst) || mt_attr(src) != mt_attr(dst))
		return -EINVAL;
	if (!mt_is_enode(top)) {
		dst->ma_flags = src->ma_flags;
		rcu_assign_pointer(dst->ma_root, top);
		return 0;
	}
	copy = mt_alloc_one(gflags);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, mte_to_node(top), sizeof(*copy));
	enode = mt_mk_node(copy, mte_node_type(top));
	mte_set_root_parent(enode, dst);
	if (mt_height(src) > 1)
		failed = mt_dup_nodes(src, dst, top, copy, gflags);
	if (failed) {
		mt_dup_unwind(dst, enode, ULONG_MAX, failed);
		return -ENOMEM;
	}
	dst->ma_flags = src->ma_flags;
	rcu_assign_pointer(dst->ma_root, enode);
	return 0;
}
MT_EXPORT(__mt_dup);

/**
 * mtree_dup() - __mt_dup() taking both trees' locks.
 * @src: the tree to copy
 * @dst: an empty tree with the same attributes as @src
 * @gflags: how to allocate
 *
 * Context: takes @dst's lock, then @src's (nested); may sleep if @gflags
 * allows.
 * Return: 0, -EINVAL, -ENOMEM (@dst left empty).
 */
int mtree_dup(struct maple_tree *src, struct maple_tree *dst, gfp_t gflags)
{
	int ret;

	mtree_lock(dst);
	mtree_lock_nested(src, SINGLE_DEPTH_NESTING);
	ret = __mt_dup(src, dst, gflags);
	mtree_unlock(src);
	mtree_unlock(dst);
	return ret;
}
MT_EXPORT(mtree_dup);

/* ------------------------------------------------------------ the cache */

/**
 * maple_tree_init() - create the node cache, before any tree is used.
 *
 * A second call keeps the cache the first one made (a library may start
 * itself, and its program call this too).
 */
void __init maple_tree_init(void)
{
	const unsigned int bytes = sizeof(struct maple_node);

	if (maple_node_cache)
		return;

	/* Aligned to their size, so a node address has 8 free low bits. */
	maple_node_cache = kmem_cache_create("maple_node", bytes, bytes,
					     SLAB_PANIC, NULL);
}

#ifndef __KERNEL__
/*
 * A userspace harness's allocator hooks, each aimed at the node cache:
 * the tests see nodes, the harness sees a kmem_cache.  The harness
 * (ours, or the kernel's tools/testing) defines the kmem_cache_*() ones.
 */
#define MT_NODES	maple_node_cache

void kmem_cache_set_non_kernel(struct kmem_cache *cache, unsigned int budget);
void kmem_cache_set_callback(struct kmem_cache *cache, void (*fn)(void *));
void kmem_cache_set_private(struct kmem_cache *cache, void *arg);
unsigned long kmem_cache_get_alloc(struct kmem_cache *cache);
void kmem_cache_zero_nr_tallocated(struct kmem_cache *cache);
unsigned int kmem_cache_nr_tallocated(struct kmem_cache *cache);
unsigned int kmem_cache_nr_allocated(struct kmem_cache *cache);
void mt_set_non_kernel(unsigned int budget);
void mt_set_callback(void (*fn)(void *));
void mt_set_private(void *arg);
unsigned long mt_get_alloc_size(void);
void mt_zero_nr_tallocated(void);
unsigned int mt_nr_tallocated(void);
unsigned int mt_nr_allocated(void);

void mt_set_non_kernel(unsigned int budget)
{
	kmem_cache_set_non_kernel(MT_NODES, budget);
}

void mt_set_callback(void (*fn)(void *))
{
	kmem_cache_set_callback(MT_NODES, fn);
}

void mt_set_private(void *arg)
{
	kmem_cache_set_private(MT_NODES, arg);
}

unsigned long mt_get_alloc_size(void)
{
	return kmem_cache_get_alloc(MT_NODES);
}

void mt_zero_nr_tallocated(void)
{
	kmem_cache_zero_nr_tallocated(MT_NODES);
}

unsigned int mt_nr_tallocated(void)
{
	return kmem_cache_nr_tallocated(MT_NODES);
}

unsigned int mt_nr_allocated(void)
{
	return kmem_cache_nr_allocated(MT_NODES);
}

#undef MT_NODES
#endif /* !__KERNEL__ */

/* ------------------------------------------------------ debugging aids */

#ifdef CONFIG_DEBUG_MAPLE_TREE	/* test counters, dumps, validation */

/**
 * mt_cache_shrink() - give the node cache's free objects back, so that a
 * long test under memory debugging does not run short (tests only).
 *
 * Context: process context in a kernel; a no-op in userspace, where the
 * harnesses drain their caches at exit.
 */
void mt_cache_shrink(void)
{
#ifdef __KERNEL__
	kmem_cache_shrink(maple_node_cache);
#endif
}
MT_EXPORT_GPL(mt_cache_shrink);

static const char *const mt_type_names[] = {
	[maple_dense]		= "dense",
	[maple_leaf_64]		= "leaf",
	[maple_range_64]	= "range",
	[maple_arange_64]	= "arange",
};

static void mt_dump_index(unsigned long v, enum mt_dump_format fmt)
{
	if (fmt == mt_dump_hex)
		pr_cont("%lx", v);
	else
		pr_cont("%lu", v);
}

static void mt_dump_node(const struct maple_tree *mt,
			 struct maple_enode *enode, unsigned long lo_lim,
			 unsigned long hi_lim, unsigned int depth,
			 enum mt_dump_format fmt)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	unsigned long *gaps = ma_gaps(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char last_slot = ma_data_end(node, ntype, hi_lim);
	unsigned long lo = lo_lim, hi;
	unsigned int i;
	void *val;

	pr_info("%*s", depth * 2, "");
	mt_dump_index(lo_lim, fmt);
	pr_cont("-");
	mt_dump_index(hi_lim, fmt);
	pr_cont(": node %p %s last_slot %u parent %p%s\n", node, mt_type_names[ntype],
		last_slot, node->parent, ma_dead(node) ? " DEAD" : "");
	for (i = 0; i <= last_slot && i < mt_slots[ntype]; i++) {
		hi = i < last_slot ? pivs[i] : hi_lim;
		val = rcu_dereference_raw(slots[i]);
		if (ma_is_leaf(ntype)) {
			pr_info("%*s", depth * 2 + 2, "");
			mt_dump_index(lo, fmt);
			pr_cont("-");
			mt_dump_index(hi, fmt);
			if (xa_is_value(val))
				pr_cont(": value %lu (0x%lx) [%p]\n",
					xa_to_value(val), xa_to_value(val),
					val);
			else if (xa_is_zero(val))
				pr_cont(": zero (%p)\n", val);
			else
				pr_cont(": %p\n", val);
		} else {
			if (gaps)
				pr_info("%*sgap %lu\n", depth * 2 + 2, "",
					gaps[i]);
			if (mt_is_enode(val) && !ma_dead(mte_to_node(val)))
				mt_dump_node(mt, val, lo, hi, depth + 1,
					     fmt);
			else
				pr_info("%*sbad child %p\n", depth * 2 + 2,
					"", val);
		}
		lo = hi + 1;
	}
}

/**
 * mt_dump() - print @mt, one line per node and per leaf range.
 * @mt: the maple tree
 * @fmt: mt_dump_dec or mt_dump_hex
 *
 * Context: the lock or rcu_read_lock() (or no concurrent writer).
 */
void mt_dump(const struct maple_tree *mt, enum mt_dump_format fmt)
{
	void *top = rcu_dereference_raw(mt->ma_root);

	pr_info("maple_tree(%p) flags %X, height %u top %p\n", mt,
		mt->ma_flags, mt_height(mt), top);
	if (!top)
		return;
	if (!mt_is_enode(top)) {
		pr_info("0: %p\n", top);
		return;
	}
	mt_dump_node(mt, top, 0, ULONG_MAX, 0, fmt);
}
MT_EXPORT_GPL(mt_dump);

/**
 * mas_dump() - print the fields of @mas.
 * @mas: the maple state
 */
void mas_dump(const struct ma_state *mas)
{
	static const char *const names[] = {
		[ma_active] = "active", [ma_start] = "start",
		[ma_root] = "top", [ma_none] = "none",
		[ma_pause] = "pause", [ma_overflow] = "overflow",
		[ma_underflow] = "underflow", [ma_error] = "error",
	};

	pr_info("ma_state %p: mt %p status %s node %p\n", mas, mas->tree,
		mas->status <= ma_error ? names[mas->status] : "?",
		mas->node);
	pr_info("  index %lx last %lx min %lx max %lx\n", mas->index,
		mas->last, mas->min, mas->max);
	pr_info("  depth %u off %u last_slot %u flags %x alloc %p\n",
		mas->depth, mas->offset, mas->end, mas->mas_flags, mas->alloc);
}
MT_EXPORT_GPL(mas_dump);

/**
 * mas_wr_dump() - print a struct ma_wr_state.  The tree's own write path
 * keeps no such state (see mas_wr_store_type()): this is for callers
 * that fill one, as the kernel's test module does.
 * @wr: the write state
 */
void mas_wr_dump(const struct ma_wr_state *wr)
{
	pr_info("ma_wr_state %p: node %p r_min %lx r_max %lx ntype %u\n", wr,
		wr->node, wr->r_min, wr->r_max, wr->type);
	pr_info("  offset_end %u end_piv %lx val %p content %p\n",
		wr->offset_end, wr->end_piv, wr->entry, wr->content);
}
MT_EXPORT_GPL(mas_wr_dump);

/*
 * What mt_validate() learns while it goes.
 *
 * The validator reads as a reader does, under the rcu_read_lock() that
 * mt_validate() takes (mt_slot(), so a debug build checks that too), but
 * it is no RCU reader: it reads words more than once and reports a dead
 * node (I3) instead of walking again.  Its caller holds the tree's lock
 * or knows that no writer runs meanwhile.
 */
struct mt_check {
	struct maple_tree *tree;
	unsigned long next;	/* first index the next leaf range must cover */
	bool prev_null;		/* the last leaf range held NULL */
	bool started;		/* a leaf range was seen */
	unsigned int errors;
};

#define mt_check_fail(chk, fmt, ...) do {				\
	(chk)->errors++;						\
	pr_err("mt_validate: " fmt "\n", ##__VA_ARGS__);		\
} while (0)

/* Check the node and everything below; return its largest NULL run. */
static unsigned long mt_check_node(struct mt_check *chk,
				   struct maple_enode *enode,
				   unsigned long lo_lim, unsigned long hi_lim,
				   unsigned int level, bool is_root)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type ntype = mte_node_type(enode);
	unsigned long *pivs = ma_pivots(node, ntype);
	unsigned long *gaps = ma_gaps(node, ntype);
	void __rcu **slots = ma_slots(node, ntype);
	unsigned char last_slot, cap = mt_slots[ntype];
	unsigned long lo = lo_lim, hi, gap = 0, child_gap, len;
	struct maple_node *child;
	unsigned int i;
	void *val;

	if (ma_dead(node)) {
		mt_check_fail(chk, "dead node %p reachable (I3)", node);
		return 0;
	}
	if (ntype != mt_level_type(chk->tree, level)) {
		mt_check_fail(chk, "node %p ntype %u at level %u", node, ntype,
			      level);
		return 0;
	}
	last_slot = ma_data_end(node, ntype, hi_lim);
	if (last_slot >= cap) {
		mt_check_fail(chk, "node %p last_slot %u", node, last_slot);
		return 0;
	}
	if (!is_root && last_slot + 1 < mt_min_slots[ntype])
		mt_check_fail(chk, "node %p holds %u slots, under %u (I4)",
			      node, last_slot + 1, mt_min_slots[ntype]);
	for (i = 0; i <= last_slot; i++) {
		hi = i < last_slot ? pivs[i] : hi_lim;
		if (hi < lo || hi > hi_lim)
			mt_check_fail(chk, "node %p slot %u covers %lx-%lx in %lx-%lx (I1)",
				      node, i, lo, hi, lo_lim, hi_lim);
		val = mt_slot(chk->tree, slots, i);
		if (ma_is_leaf(ntype)) {
			if (lo != chk->next && chk->started)
				mt_check_fail(chk, "leaf %p slot %u starts at %lx, expected %lx (I5)",
					      node, i, lo, chk->next);
			if (!val && chk->prev_null && chk->started)
				mt_check_fail(chk, "NULL ranges side by side at %lx (I5)",
					      lo);
			chk->prev_null = !val;
			chk->started = true;
			chk->next = hi + 1;
			if (!val) {
				len = hi - lo + 1;
				if (!len)
					len = ULONG_MAX;
				if (len > gap)
					gap = len;
			}
		} else {
			if (!mt_is_enode(val)) {
				mt_check_fail(chk, "node %p slot %u holds %p",
					      node, i, val);
				lo = hi + 1;
				continue;
			}
			child = mte_to_node(val);
			if (ma_parent(child) != node ||
			    ma_parent_slot(child) != i || ma_is_root(child))
				mt_check_fail(chk, "child %p of %p slot %u has parent word %p (I2)",
					      child, node, i, child->parent);
			child_gap = mt_check_node(chk, val, lo, hi,
						  level - 1, false);
			if (gaps && gaps[i] != child_gap)
				mt_check_fail(chk, "node %p gap[%u] %lu, counted %lu (I6)",
					      node, i, gaps[i], child_gap);
			if (child_gap > gap)
				gap = child_gap;
		}
		lo = hi + 1;
	}
	if (last_slot < cap - 1) {
		if (ntype != maple_arange_64 && pivs[last_slot] != hi_lim)
			mt_check_fail(chk, "node %p pivot[%u] %lx is not its hi_lim %lx",
				      node, last_slot, pivs[last_slot], hi_lim);
		for (i = last_slot + 1; i < cap - 1U; i++)
			if (pivs[i])
				mt_check_fail(chk, "node %p pivot[%u] %lx past the last_slot",
					      node, i, pivs[i]);
	}
	if (gaps && gaps[node->ma64.meta.gap] != gap)
		mt_check_fail(chk, "node %p meta.gap slot %u is not the largest",
			      node, node->ma64.meta.gap);
	return gap;
}

/**
 * mt_validate() - check every invariant of @mt (see the top of this
 * file); on failure print what is wrong and dump the tree.  Counts as one
 * test in maple_tree_tests_run/passed.
 * @mt: the maple tree
 *
 * Context: takes rcu_read_lock() itself; no writer may run meanwhile (the
 * caller holds the lock, or the tree is quiet): see struct mt_check.
 */
void mt_validate(struct maple_tree *mt)
{
	struct mt_check chk = { .tree = mt };
	void *top;

	rcu_read_lock();
	top = rcu_dereference_check(mt->ma_root, mt_locked(mt));
	if (mt_is_enode(top)) {
		if ((unsigned long)mte_to_node(top)->parent !=
		    ((unsigned long)mt | MT_PARENT_ROOT))
			mt_check_fail(&chk, "top node %p has parent word %p",
				      mte_to_node(top),
				      mte_to_node(top)->parent);
		if (!mt_height(mt))
			mt_check_fail(&chk, "height 0 with a top node (I7)");
		else
			mt_check_node(&chk, top, 0, ULONG_MAX,
				      mt_height(mt) - 1, true);
		if (chk.next != 0)
			mt_check_fail(&chk, "leaves last_slot at %lx, not ULONG_MAX (I5)",
				      chk.next - 1);
		if (!chk.errors && mt_height(mt) == 1) {
			/* I8: a lone value at 0 belongs in ma_root */
			struct maple_node *node = mte_to_node(top);
			unsigned char last_slot = ma_data_end(node, maple_leaf_64,
							ULONG_MAX);
			void *first = mt_slot(mt, node->mr64.slot, 0);

			if ((last_slot == 0 && !first) ||
			    (last_slot == 1 && !node->mr64.pivot[0] && first &&
			     !xa_is_internal(first) &&
			     !mt_slot(mt, node->mr64.slot, 1)))
				mt_check_fail(&chk, "leaf top holds what ma_root should (I8)");
		}
	} else if (mt_height(mt)) {
		mt_check_fail(&chk, "height %u without a top node (I7)",
			      mt_height(mt));
	} else if (top && xa_is_internal(top)) {
		mt_check_fail(&chk, "internal val %p in ma_root", top);
	}
	rcu_read_unlock();
	MT_BUG_ON(mt, chk.errors);
}
MT_EXPORT_GPL(mt_validate);

#endif /* CONFIG_DEBUG_MAPLE_TREE */
