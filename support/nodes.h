/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nodes.h: reading a subject's nodes from the outside, for the checks and
 * tools that look inside a tree (checks/mtree_dup.c, tools/mtdot.c).  It
 * follows the layout every subject shares in <linux/maple_tree.h>: an
 * encoded node pointer is the 256-byte aligned node address with enum
 * maple_type at MAPLE_NODE_TYPE_SHIFT.  (scripts/gdb/maple.py decodes the
 * same layout in Python, for gdb.)
 */
#ifndef HARNESS_SUPPORT_NODES_H
#define HARNESS_SUPPORT_NODES_H

#include <linux/maple_tree.h>

/* The decoded node of an encoded node pointer. */
static inline struct maple_node *test_node(const void *enode)
{
	return (struct maple_node *)((unsigned long)enode & ~MAPLE_NODE_MASK);
}

/* The type of an encoded node pointer. */
static inline enum maple_type test_type(const void *enode)
{
	return ((unsigned long)enode >> MAPLE_NODE_TYPE_SHIFT) &
	       MAPLE_NODE_TYPE_MASK;
}

/* The tag bits of a tagged pointer: what remains once the address is masked. */
static inline unsigned long test_tag(const void *ptr)
{
	return (unsigned long)ptr & MAPLE_NODE_MASK;
}

/*
 * The last used slot of a node covering up to @max, from its @npiv
 * pivots: the first pivot that reaches @max, or the slot before an unset
 * (zero) pivot, or the last slot.
 */
static inline unsigned char test_data_end(const unsigned long *pivots,
					  unsigned char npiv, unsigned long max)
{
	unsigned char i;

	for (i = 0; i < npiv; i++)
		if (pivots[i] >= max || (i && !pivots[i]))
			return i;
	return npiv;
}

#endif /* HARNESS_SUPPORT_NODES_H */
