/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h: a trivially correct model of a maple tree.
 *
 * A sorted array of the non-NULL ranges, nothing else: every operation is
 * a linear scan or a memmove, simple enough to be right by inspection.  The
 * differential test and the fuzzer run the same operations on a tree and
 * on this model and compare every observable result.
 *
 *	ranges[0] < ranges[1] < ... < ranges[nr - 1]
 *	ranges[i].last < ranges[i + 1].first   (no overlap; adjacency allowed)
 *	ranges[i].entry != NULL                (NULL means "not stored")
 */
#ifndef DIFFTEST_MODEL_H
#define DIFFTEST_MODEL_H

#include <stdbool.h>
#include <stddef.h>

struct model_range {
	unsigned long first;	/* first index covered */
	unsigned long last;	/* last index covered, >= first */
	void *entry;		/* what is stored there, never NULL */
};

struct model {
	struct model_range *ranges;	/* sorted by first */
	size_t nr;			/* ranges in use */
	size_t size;			/* ranges allocated */
};

void model_init(struct model *m);
void model_destroy(struct model *m);

/* Store @entry (NULL: erase) over [first, last]; first <= last. */
void model_store(struct model *m, unsigned long first, unsigned long last,
		 void *entry);
/* True if any index of [first, last] holds an entry. */
bool model_occupied(const struct model *m, unsigned long first,
		    unsigned long last);
/*
 * The range holding @index: its entry (NULL if none) and, in *first and
 * *last, its bounds; for an empty index, the maximal empty range.
 */
void *model_lookup(const struct model *m, unsigned long index,
		   unsigned long *first, unsigned long *last);
/* The first range ending at or after @index that starts at or before @max. */
const struct model_range *model_find(const struct model *m,
				     unsigned long index, unsigned long max);
/* The last range starting at or before @index that ends at or after @min. */
const struct model_range *model_find_rev(const struct model *m,
					 unsigned long index,
					 unsigned long min);
/*
 * The lowest (highest, if @rev) start of a gap of at least @size empty
 * indices inside [min, max]; false if there is none.
 */
bool model_empty_area(const struct model *m, unsigned long min,
		      unsigned long max, unsigned long size, bool rev,
		      unsigned long *start);

#endif /* DIFFTEST_MODEL_H */
