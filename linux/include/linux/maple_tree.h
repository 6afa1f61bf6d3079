/* SPDX-License-Identifier: GPL-2.0+ */
/* The kernel's include guard: this header stands in for 6.12's. */
#ifndef _LINUX_MAPLE_TREE_H
#define _LINUX_MAPLE_TREE_H
/*
 * maple_tree.h: a B-tree of non-overlapping ranges, for RCU readers.
 *
 * This is the maple project's own tree.  Its names, types and constants
 * follow Linux 6.12's <linux/maple_tree.h> so that code written against the
 * kernel's API compiles unchanged; the layout of the nodes and the rules
 * that govern them are explained at the top of lib/maple_tree.c.
 *
 * Two APIs:
 *   mtree_*()  the simple one: takes the tree's lock (or rcu_read_lock()
 *              for reads) by itself;
 *   mas_*()    the advanced one: works on a struct ma_state, the caller
 *              holds the lock (writes) or rcu_read_lock() (reads).
 */

#include <linux/kernel.h>	/* types, BUG_ON, pr_info */
#include <linux/rcupdate.h>	/* rcu_dereference, rcu_head */
#include <linux/spinlock.h>	/* ma_lock */

/*
 * Every node is 256 bytes and 256-byte aligned.  Its first word is the
 * parent pointer; the rest is carved differently by each node type.
 */
#if defined(CONFIG_64BIT) || defined(BUILD_VDSO32_64)	/* 8-byte words */
#define MAPLE_NODE_SLOTS	31	/* words after ->parent */
#define MAPLE_RANGE64_SLOTS	16	/* children of a range node */
#define MAPLE_ARANGE64_SLOTS	10	/* children of a gap-tracking node */
#define MAPLE_ALLOC_SLOTS	(MAPLE_NODE_SLOTS - 1)	/* spare-node list */
#else
#define MAPLE_NODE_SLOTS	63	/* words after ->parent */
#define MAPLE_RANGE64_SLOTS	32	/* children of a range node */
#define MAPLE_ARANGE64_SLOTS	21	/* children of a gap-tracking node */
#define MAPLE_ALLOC_SLOTS	(MAPLE_NODE_SLOTS - 2)	/* spare-node list */
#endif

/* Low bits of a node address that are free for tags (256-byte alignment). */
#define MAPLE_NODE_MASK		255UL	/* 8 tag bits */

/*
 * Book-keeping kept in a node that has a word to spare: the offset of its
 * last used slot, and (internal gap nodes) the offset of its largest gap.
 */
struct maple_metadata {
	unsigned char end;	/* last used slot */
	unsigned char gap;	/* slot holding the largest gap */
};

/*
 * A range node (leaf or internal): slot[i] covers the indices from the
 * previous pivot + 1 (or the node's minimum) up to pivot[i] (or the node's
 * maximum for the last slot).  When the last slot is unused, its word
 * holds the metadata instead.
 */
struct maple_range_64 {
	struct maple_pnode *parent;	/* tagged parent, see lib/maple_tree.c */
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];	/* inclusive ends */
	union {
		void __rcu *slot[MAPLE_RANGE64_SLOTS];	/* entries or children */
		struct {
			void __rcu *pad[MAPLE_RANGE64_SLOTS - 1];	/* slot[] */
			struct maple_metadata meta;	/* when not full */
		};
	};
};

/*
 * An internal node of an allocation tree: fewer children, and for each one
 * the size of the largest run of NULL indices below it.
 */
struct maple_arange_64 {	/* gap-tracking internal node */
	struct maple_pnode *parent;	/* tagged parent */
	unsigned long pivot[MAPLE_ARANGE64_SLOTS - 1];	/* inclusive ends */
	void __rcu *slot[MAPLE_ARANGE64_SLOTS];	/* children */
	unsigned long gap[MAPLE_ARANGE64_SLOTS];	/* largest gap per child */
	struct maple_metadata meta;	/* always present here */
};

/* A node not yet in any tree, kept on a ma_state's list of spares. */
struct maple_alloc {
	unsigned long total;		/* spares from this chunk down */
	unsigned char node_count;	/* spares named in slot[1..] */
	unsigned int request_count;	/* nodes a failed write still wants */
	struct maple_alloc *slot[MAPLE_ALLOC_SLOTS];	/* slot[0]: next chunk */
};

/* Kept for source compatibility; this implementation does not use it. */
struct maple_topiary {
	struct maple_pnode *parent;	/* tagged parent */
	struct maple_enode *next;	/* next node to dispose of */
};

/* The kind of a node, kept in the low bits of every pointer to it. */
enum maple_type {
	maple_dense,		/* not used: one index per slot */
	maple_leaf_64,		/* leaf: slots hold user entries */
	maple_range_64,		/* internal node of a plain tree */
	maple_arange_64,	/* internal node of an allocation tree */
};

/*
 * The shapes of a store, as the planner (mas_wr_store_type()) sorts them;
 * mas->store_type holds the plan until the store is carried out.
 */
enum store_type {
	wr_invalid,		/* no store planned */
	wr_new_root,		/* an empty tree gets its first node */
	wr_store_root,		/* what ma_root holds changes shape */
	wr_exact_fit,		/* one slot changes, no pivot moves */
	wr_spanning_store,	/* the range crosses leaves */
	wr_split_store,		/* the leaf overflows: share or split */
	wr_rebalance,		/* a NULL edge meets a NULL sibling, or underflow */
	wr_append,		/* the leaf's last range is cut */
	wr_node_store,		/* the leaf is refilled from its items */
	wr_slot_store,		/* up to three slots written, the tail slid */
};

/*
 * ma_flags of a tree:
 *   bit 0     MT_FLAGS_ALLOC_RANGE  internal nodes record gaps
 *   bit 1     MT_FLAGS_USE_RCU      readers may run concurrently: every
 *                                   visible change is copy-on-write
 *   bits 2-6  the height of the tree (0: empty or a lone root entry)
 *   bits 8-9  how the tree is locked
 *   bit 11    MT_FLAGS_ALLOC_WRAPPED  a cyclic allocation wrapped around
 */
#define MT_FLAGS_ALLOC_RANGE	0x01	/* gap-tracking internal nodes */
#define MT_FLAGS_USE_RCU	0x02	/* copy-on-write for RCU readers */
#define MT_FLAGS_HEIGHT_OFFSET	0x02	/* shift of the height field */
#define MT_FLAGS_HEIGHT_MASK	0x7C	/* bits of the height field */
#define MT_FLAGS_LOCK_MASK	0x300	/* bits of the locking mode */
#define MT_FLAGS_LOCK_IRQ	0x100	/* ma_lock taken with irqs off */
#define MT_FLAGS_LOCK_BH	0x200	/* ma_lock taken with bh off */
#define MT_FLAGS_LOCK_EXTERN	0x300	/* the user's lock, not ma_lock */
#define MT_FLAGS_ALLOC_WRAPPED	0x0800	/* mas_alloc_cyclic() wrapped */

#define MAPLE_HEIGHT_MAX	31	/* what the height field can hold */

/* Tag layout of an encoded node pointer (see lib/maple_tree.c). */
#define MAPLE_NODE_TYPE_MASK	0x0F	/* enum maple_type, once shifted */
#define MAPLE_NODE_TYPE_SHIFT	0x03	/* where the type sits */

/* Internal entries below this value are never node pointers. */
#define MAPLE_RESERVED_RANGE	4096	/* xa_is_node() threshold */

#ifdef CONFIG_LOCKDEP
typedef struct lockdep_map *lockdep_map_p;	/* external lock */
/* True without an external lock, else what @held says of it. */
#define mt_ext_lock_says(mt, held)	(!(mt)->ma_external_lock || (held))
/* With an external lock: does the caller hold it (in any mode)? */
#define mt_lock_is_held(mt)						\
	mt_ext_lock_says(mt, lock_is_held((mt)->ma_external_lock))
/* With an external lock: does the caller hold it for writing (type 0)? */
#define mt_write_lock_is_held(mt)					\
	mt_ext_lock_says(mt, lock_is_held_type((mt)->ma_external_lock, 0))
/* Make @mt check its writers against @extlock (a spinlock or rwsem). */
#define mt_set_external_lock(mt, extlock)				\
	((mt)->ma_external_lock = &(extlock)->dep_map)
/* A tree on the stack, used by one thread, needs no lock. */
#define mt_on_stack(mt)	((mt).ma_external_lock = NULL)
#else
typedef struct { /* no lock tracking */ } lockdep_map_p;
#define mt_lock_is_held(mt)		1
#define mt_write_lock_is_held(mt)	1
#define mt_set_external_lock(mt, extlock)	do { } while (0)
#define mt_on_stack(mt)		do { } while (0)
#endif

/*
 * The tree itself.  ma_root is NULL (empty), a user entry (the tree holds
 * exactly one entry and it covers index 0 only), or an encoded node
 * pointer with the internal-entry bits set.  ma_root is read with
 * rcu_dereference() and written under the lock with rcu_assign_pointer().
 */
struct maple_tree {
	union {
		spinlock_t	ma_lock;	/* the tree's own writer lock */
		lockdep_map_p	ma_external_lock;	/* or the user's */
	};
	unsigned int	ma_flags;	/* MT_FLAGS_*, height; under the lock */
	void __rcu	*ma_root;	/* NULL, lone entry or root node */
};

/* Static initialiser: MTREE_INIT(name, flags). */
#define MTREE_INIT(tname, tflags) {					\
	.ma_lock = __SPIN_LOCK_UNLOCKED((tname).ma_lock),		\
	.ma_flags = (tflags),						\
	.ma_root = NULL,						\
}

/* Static initialiser for a tree guarded by the caller's @xlock. */
#ifdef CONFIG_LOCKDEP
#define MTREE_INIT_EXT(tname, tflags, xlock) {				\
	.ma_external_lock = &(xlock).dep_map,				\
	.ma_flags = (tflags),						\
	.ma_root = NULL,						\
}
#else
#define MTREE_INIT_EXT(tname, tflags, xlock)	MTREE_INIT(tname, tflags)
#endif

#define DEFINE_MTREE(tname)	struct maple_tree tname = MTREE_INIT(tname, 0)

#define mtree_lock(mt)	spin_lock(&(mt)->ma_lock)
#define mtree_lock_nested(mt, subclass)				\
	spin_lock_nested(&(mt)->ma_lock, subclass)
#define mtree_unlock(mt)	spin_unlock(&(mt)->ma_lock)

/*
 * One node, seen through each of its layouts.  A node leaving the tree is
 * marked dead (->parent points at itself) before it is freed through RCU;
 * the rcu_head then overlays words readers no longer trust.
 */
struct maple_node {
	union {
		struct {
			struct maple_pnode *parent;	/* tagged parent */
			void __rcu *slot[MAPLE_NODE_SLOTS];	/* raw words */
		};
		struct {
			void *pad;			/* ->parent */
			struct rcu_head rcu;		/* deferred free */
			struct maple_enode *piv_parent;	/* spare words */
			unsigned char parent_slot;	/* spare */
			enum maple_type type;
			unsigned char slot_len;
			unsigned int ma_flags;
		};
		struct maple_range_64 mr64;	/* leaf and range nodes */
		struct maple_arange_64 ma64;	/* gap-tracking nodes */
		struct maple_alloc alloc;	/* spare, not in a tree */
	};
};

/* Kept for source compatibility; this implementation does not use it. */
struct ma_topiary {
	struct maple_enode *head;	/* first node to dispose of */
	struct maple_enode *tail;	/* last node to dispose of */
	struct maple_tree *mtree;	/* tree they came from */
};

/* The simple API: each call locks the tree itself. */
void *mtree_load(struct maple_tree *mt, unsigned long idx);
int mtree_insert(struct maple_tree *mt, unsigned long idx, void *ptr,
		 gfp_t flags);
int mtree_insert_range(struct maple_tree *mt, unsigned long lo,
		       unsigned long hi, void *ptr, gfp_t flags);
int mtree_alloc_range(struct maple_tree *mt, unsigned long *found,
		      void *ptr, unsigned long len, unsigned long lo,
		      unsigned long hi, gfp_t flags);
int mtree_alloc_cyclic(struct maple_tree *mt, unsigned long *found,
		       void *ptr, unsigned long lo, unsigned long hi,
		       unsigned long *cursor, gfp_t flags);
int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *found,
		       void *ptr, unsigned long len, unsigned long lo,
		       unsigned long hi, gfp_t flags);
int mtree_store_range(struct maple_tree *mt, unsigned long lo,
		      unsigned long hi, void *ptr, gfp_t flags);
int mtree_store(struct maple_tree *mt, unsigned long idx, void *ptr,
		gfp_t flags);
void *mtree_erase(struct maple_tree *mt, unsigned long idx);
int mtree_dup(struct maple_tree *src, struct maple_tree *dst, gfp_t flags);
int __mt_dup(struct maple_tree *src, struct maple_tree *dst, gfp_t flags);
void mtree_destroy(struct maple_tree *mt);
void __mt_destroy(struct maple_tree *mt);

/* True when no index of @mt holds an entry.  Any context. */
static inline bool mtree_empty(const struct maple_tree *mt)
{
	return mt->ma_root == NULL;
}

/*
 * Where a struct ma_state stands:
 *   ma_active     node/offset point at a leaf slot, usable as they are
 *   ma_start      nothing walked yet: the next call starts at the root
 *   ma_root       the tree is a lone entry in ma_root
 *   ma_none       walked, and no node holds the index
 *   ma_pause      node is stale: restart from index/last at the next call
 *   ma_overflow   an iteration stopped at its upper limit
 *   ma_underflow  an iteration stopped at its lower limit
 *   ma_error      node holds an error (MA_ERROR), e.g. -ENOMEM
 */
enum maple_status {
	ma_active,
	ma_start,
	ma_root,
	ma_none,
	ma_pause,
	ma_overflow,
	ma_underflow,
	ma_error,
};

/*
 * An operation in progress, and the cursor of the advanced API.  A write
 * needs the tree's lock; a read needs the lock or rcu_read_lock().  After
 * a read or write, index and last bound the range found or written.
 */
struct ma_state {
	struct maple_tree *tree;	/* tree worked on */
	unsigned long index;		/* first index of the range */
	unsigned long last;		/* last index of the range, inclusive */
	struct maple_enode *node;	/* leaf of the range (ma_active) */
	unsigned long min;		/* lowest index node covers */
	unsigned long max;		/* highest index node covers */
	struct maple_alloc *alloc;	/* spare nodes, or a tagged request */
	enum maple_status status;	/* see enum maple_status */
	unsigned char depth;		/* levels walked from the root */
	unsigned char offset;		/* slot of the range within node */
	unsigned char mas_flags;	/* preallocation and bulk modes */
	unsigned char end;		/* last used slot of node */
	enum store_type store_type;	/* shape of the last write */
};

/*
 * The kernel's write state.  Our write path does not use it (its plan is
 * private to lib/maple_tree.c); it is declared for callers that fill one
 * themselves, and mas_wr_dump() prints it.
 */
struct ma_wr_state {
	struct ma_state *mas;		/* the state written through */
	struct maple_node *node;	/* decoded mas->node */
	unsigned long r_min;		/* first index of the slot written */
	unsigned long r_max;		/* last index of the slot written */
	enum maple_type type;		/* type of node */
	unsigned char offset_end;	/* slot holding mas->last */
	unsigned long *pivots;		/* node's pivot array */
	unsigned long end_piv;		/* pivot of offset_end */
	void __rcu **slots;		/* node's slot array */
	void *entry;			/* what is being stored */
	void *content;			/* what was there before */
};

#define mas_lock(mas)		spin_lock(&(mas)->tree->ma_lock)
#define mas_lock_irqsave(mas, fl)	spin_lock_irqsave(&(mas)->tree->ma_lock, fl)
#define mas_lock_nested(mas, subclass)					\
	spin_lock_nested(&(mas)->tree->ma_lock, subclass)
#define mas_unlock(mas)		spin_unlock(&(mas)->tree->ma_lock)
#define mas_unlock_irqrestore(mas, fl)					\
	spin_unlock_irqrestore(&(mas)->tree->ma_lock, fl)

/* ma_state.node for ma_error: the errno as an internal entry. */
#define MA_ERROR(errno_val)						\
	((struct maple_enode *)(((unsigned long)(errno_val) << 2) | 2UL))

/* Declare a state for [@lo, @hi] of @mt, ready for its first walk. */
#define MA_STATE(sname, tree_ptr, lo, hi)				\
	struct ma_state sname = {					\
		.tree = (tree_ptr),					\
		.index = (lo),						\
		.last = (hi),						\
		.node = NULL,						\
		.min = 0,						\
		.max = ULONG_MAX,					\
		.alloc = NULL,						\
		.status = ma_start,					\
		.mas_flags = 0,						\
		.store_type = wr_invalid,	/* no write yet */	\
	}

/* Declare a write state storing @val through @mas_ptr. */
#define MA_WR_STATE(wname, mas_ptr, val)				\
	struct ma_wr_state wname = {					\
		.mas = (mas_ptr),					\
		.entry = (val),						\
		.content = NULL,					\
	}

#define MA_TOPIARY(tname, tree_ptr)					\
	struct ma_topiary tname = {					\
		.head = NULL,						\
		.tail = NULL,						\
		.mtree = (tree_ptr),					\
	}

/* The advanced API.  Contracts are in lib/maple_tree.c. */
void *mas_walk(struct ma_state *mas);
void *mas_store(struct ma_state *mas, void *val);
void *mas_erase(struct ma_state *mas);
int mas_store_gfp(struct ma_state *mas, void *val, gfp_t flags);
void mas_store_prealloc(struct ma_state *mas, void *val);
void *mas_find(struct ma_state *mas, unsigned long limit);
void *mas_find_range(struct ma_state *mas, unsigned long limit);
void *mas_find_rev(struct ma_state *mas, unsigned long limit);
void *mas_find_range_rev(struct ma_state *mas, unsigned long limit);
int mas_preallocate(struct ma_state *mas, void *val, gfp_t flags);
int mas_alloc_cyclic(struct ma_state *mas, unsigned long *found, void *ptr,
		     unsigned long lo, unsigned long hi,
		     unsigned long *cursor, gfp_t flags);
bool mas_nomem(struct ma_state *mas, gfp_t flags);
bool mas_nomem_nofail(struct ma_state *mas, unsigned long index,
		      unsigned long last);	/* sleeps; cannot fail */
void mas_pause(struct ma_state *mas);
void maple_tree_init(void);	/* once, before any tree */
void mas_destroy(struct ma_state *mas);
int mas_expected_entries(struct ma_state *mas, unsigned long how_many);
void *mas_prev(struct ma_state *mas, unsigned long limit);
void *mas_prev_range(struct ma_state *mas, unsigned long limit);
void *mas_next(struct ma_state *mas, unsigned long limit);
void *mas_next_range(struct ma_state *mas, unsigned long limit);
/* Lowest / highest free run of @len indices within [@lo, @hi]. */
int mas_empty_area(struct ma_state *mas, unsigned long lo, unsigned long hi,
		   unsigned long len);
int mas_empty_area_rev(struct ma_state *mas, unsigned long lo,
		       unsigned long hi, unsigned long len);

/* Set up @mas like MA_STATE() does, at the single index @idx. */
static inline void mas_init(struct ma_state *mas, struct maple_tree *mt,
			    unsigned long idx)
{
	memset(mas, 0, sizeof(*mas));
	mas->tree = mt;
	mas->index = idx;
	mas->last = idx;
	mas->max = ULONG_MAX;
	mas->node = NULL;
	mas->status = ma_start;
}

static inline bool mas_is_active(struct ma_state *mas)
{
	return mas->status == ma_active;	/* on a range of a node */
}

static inline bool mas_is_err(struct ma_state *mas)
{
	return mas->status == ma_error;
}

/*
 * mas_reset() - forget where @mas stands; its next operation walks from the
 * root.  Use it after the lock was dropped.  Any context.
 */
static __always_inline void mas_reset(struct ma_state *mas)
{
	mas->node = NULL;
	mas->status = ma_start;
}

/* Each entry (XA_ZERO_ENTRY included) from mas->index up to @limit. */
#define mas_for_each(mas, val, limit)					\
	while (((val) = mas_find((mas), (limit))) != NULL)

/* The same downwards: each entry from mas->index down to @min. */
#define mas_for_each_rev(mas, val, min)					\
	while (((val) = mas_find_rev((mas), (min))) != NULL)

#ifdef CONFIG_DEBUG_MAPLE_TREE	/* dumps, validation, test counters */
enum mt_dump_format {
	mt_dump_dec,	/* indices in decimal */
	mt_dump_hex,	/* indices in hexadecimal */
};

extern atomic_t maple_tree_tests_run;	/* assertions evaluated */
extern atomic_t maple_tree_tests_passed;	/* assertions that held */

void mt_dump(const struct maple_tree *mt, enum mt_dump_format fmt);
void mas_dump(const struct ma_state *mas);
void mas_wr_dump(const struct ma_wr_state *wr);
void mt_validate(struct maple_tree *mt);
void mt_cache_shrink(void);	/* return spare slab memory */

/*
 * The assertions of the test modules.  Each one counts a test; a failed
 * one says where, dumps what it is about and carries on.
 */
static inline bool __mt_tally(bool failed)
{
	atomic_inc(&maple_tree_tests_run);
	if (!failed)
		atomic_inc(&maple_tree_tests_passed);
	return failed;
}

#define __MT_REPORT(kind, val)	do {					\
	pr_info(kind " at %s:%d (%u)\n", __func__, __LINE__,		\
		(unsigned int)(val));					\
} while (0)
#define __MT_FOOTER()	do {						\
	pr_info("Pass: %u Run:%u\n", atomic_read(&maple_tree_tests_passed), \
		atomic_read(&maple_tree_tests_run));			\
	dump_stack();							\
} while (0)

#define MT_BUG_ON(mt, cond) do {					\
	unsigned int __mt_v = !!(cond);					\
	if (__mt_tally(__mt_v != 0)) {					\
		__MT_REPORT("BUG", __mt_v);				\
		mt_dump((mt), mt_dump_hex);				\
		__MT_FOOTER();						\
	}								\
} while (0)

#define MAS_BUG_ON(mas, cond) do {					\
	unsigned int __mt_v = !!(cond);					\
	if (__mt_tally(__mt_v != 0)) {					\
		__MT_REPORT("BUG", __mt_v);				\
		mas_dump(mas);						\
		mt_dump((mas)->tree, mt_dump_hex);			\
		__MT_FOOTER();						\
	}								\
} while (0)

#define MAS_WR_BUG_ON(wr, cond) do {					\
	unsigned int __mt_v = !!(cond);					\
	if (__mt_tally(__mt_v != 0)) {					\
		__MT_REPORT("BUG", __mt_v);				\
		mas_wr_dump(wr);					\
		mas_dump((wr)->mas);					\
		mt_dump((wr)->mas->tree, mt_dump_hex);			\
		__MT_FOOTER();						\
	}								\
} while (0)

#define MT_WARN_ON(mt, cond) ({					\
	bool __mt_hit = __mt_tally(!!(cond));				\
	if (__mt_hit) {							\
		__MT_REPORT("WARN", 1);					\
		mt_dump((mt), mt_dump_hex);				\
		__MT_FOOTER();						\
	}								\
	unlikely(__mt_hit);						\
})

#define MAS_WARN_ON(mas, cond) ({					\
	bool __mt_hit = __mt_tally(!!(cond));				\
	if (__mt_hit) {							\
		__MT_REPORT("WARN", 1);					\
		mas_dump(mas);						\
		mt_dump((mas)->tree, mt_dump_hex);			\
		__MT_FOOTER();						\
	}								\
	unlikely(__mt_hit);						\
})

#define MAS_WR_WARN_ON(wr, cond) ({					\
	bool __mt_hit = __mt_tally(!!(cond));				\
	if (__mt_hit) {							\
		__MT_REPORT("WARN", 1);					\
		mas_wr_dump(wr);					\
		mas_dump((wr)->mas);					\
		mt_dump((wr)->mas->tree, mt_dump_hex);			\
		__MT_FOOTER();						\
	}								\
	unlikely(__mt_hit);						\
})
#else
#define MT_BUG_ON(mt, cond)		BUG_ON(cond)
#define MAS_BUG_ON(mas, cond)		BUG_ON(cond)
#define MAS_WR_BUG_ON(wr, cond)		BUG_ON(cond)
#define MT_WARN_ON(mt, cond)		WARN_ON(cond)
#define MAS_WARN_ON(mas, cond)		WARN_ON(cond)
#define MAS_WR_WARN_ON(wr, cond)	WARN_ON(cond)
#endif /* debug assertions */

/*
 * __mas_set_range() - narrow @mas to [@lo, @hi] without a new walk.  @lo
 * must lie in the range @mas stands on; otherwise use mas_set_range().
 */
static inline void __mas_set_range(struct ma_state *mas, unsigned long lo,
				   unsigned long hi)
{
	/* tallied (debug builds) when it fires, not on every call */
	if (unlikely(mas_is_active(mas) &&
		     (lo < mas->index || lo > mas->last)))
		MAS_WARN_ON(mas, true);
	mas->index = lo;
	mas->last = hi;
}

/* mas_set_range() - point @mas at [@lo, @hi]; the next call walks afresh. */
static inline void mas_set_range(struct ma_state *mas, unsigned long lo,
				 unsigned long hi)
{
	mas_reset(mas);
	__mas_set_range(mas, lo, hi);
}

/* mas_set() - point @mas at the single index @idx. */
static inline void mas_set(struct ma_state *mas, unsigned long idx)
{
	mas_set_range(mas, idx, idx);
}

static inline bool mt_external_lock(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_LOCK_MASK) == MT_FLAGS_LOCK_EXTERN;
}

/*
 * mt_init_flags() - make @mt an empty tree with @fl (MT_FLAGS_*).  Any
 * context; the tree must not be in use.
 */
static inline void mt_init_flags(struct maple_tree *mt, unsigned int fl)
{
	mt->ma_flags = fl;
	if (!mt_external_lock(mt))	/* an external lock is set later */
		spin_lock_init(&mt->ma_lock);
	rcu_assign_pointer(mt->ma_root, NULL);	/* readers may look already */
}

/* mt_init() - make @mt an empty tree with its own lock. */
static inline void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

static inline bool mt_in_rcu(struct maple_tree *mt)
{
#ifdef CONFIG_MAPLE_RCU_DISABLED	/* never copy-on-write */
	return false;
#endif
	return mt->ma_flags & MT_FLAGS_USE_RCU;
}

/* Switch the RCU mode of @mt under its lock (held by the caller if external). */
static inline void __mt_switch_rcu(struct maple_tree *mt, bool on)
{
	bool own_lock = !mt_external_lock(mt);
	unsigned int flags;

	if (own_lock)
		mtree_lock(mt);
	else
		WARN_ON(!mt_lock_is_held(mt));
	flags = mt->ma_flags & ~MT_FLAGS_USE_RCU;
	mt->ma_flags = on ? flags | MT_FLAGS_USE_RCU : flags;
	if (own_lock)
		mtree_unlock(mt);
}

/* mt_clear_in_rcu() - writers may now change nodes in place. */
static inline void mt_clear_in_rcu(struct maple_tree *mt)
{
	if (mt_in_rcu(mt))
		__mt_switch_rcu(mt, false);
}

/* mt_set_in_rcu() - from now on every visible change is copy-on-write. */
static inline void mt_set_in_rcu(struct maple_tree *mt)
{
	if (!mt_in_rcu(mt))
		__mt_switch_rcu(mt, true);
}

/* Levels of nodes in @mt: 0 when empty or a lone root entry. */
static inline unsigned int mt_height(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_HEIGHT_MASK) >>
		MT_FLAGS_HEIGHT_OFFSET;
}

void *mt_find(struct maple_tree *mt, unsigned long *idx, unsigned long limit);
void *mt_find_after(struct maple_tree *mt, unsigned long *idx,
		    unsigned long limit);
void *mt_prev(struct maple_tree *mt, unsigned long idx, unsigned long limit);
void *mt_next(struct maple_tree *mt, unsigned long idx, unsigned long limit);

/*
 * mt_for_each() - each present entry of @mt from @idx up to @limit; @idx
 * moves past each one.  XA_ZERO_ENTRY reads as NULL and is skipped.
 */
#define mt_for_each(mt, val, idx, limit)				\
	for ((val) = mt_find((mt), &(idx), (limit)); (val);		\
	     (val) = mt_find_after((mt), &(idx), (limit)))

#endif /* _LINUX_MAPLE_TREE_H */
