// SPDX-License-Identifier: GPL-2.0
/*
 * model.c: the reference model (see model.h).  Plain C library code: it is
 * the one part of a test that must not depend on the thing tested.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

void model_init(struct model *m)
{
	m->ranges = NULL;
	m->nr = 0;
	m->size = 0;
}

void model_destroy(struct model *m)
{
	free(m->ranges);
	model_init(m);
}

static void model_reserve(struct model *m, size_t extra)
{
	if (m->nr + extra <= m->size)
		return;
	m->size = (m->nr + extra) * 2 + 16;
	m->ranges = realloc(m->ranges, m->size * sizeof(*m->ranges));
	if (!m->ranges)
		abort();
}

/* Index of the first range with last >= index (m->nr if none). */
static size_t model_search(const struct model *m, unsigned long index)
{
	size_t lo = 0, hi = m->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->ranges[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void model_store(struct model *m, unsigned long first, unsigned long last,
		 void *entry)
{
	struct model_range left = { 0 }, right = { 0 };
	bool keep_left = false, keep_right = false;
	size_t start, end, add;

	/* Ranges [start, end) overlap [first, last]. */
	start = model_search(m, first);
	end = start;
	while (end < m->nr && m->ranges[end].first <= last)
		end++;
	/* Parts of the overlapped ranges outside [first, last] survive. */
	if (start < end && m->ranges[start].first < first) {
		left = m->ranges[start];
		left.last = first - 1;
		keep_left = true;
	}
	if (start < end && m->ranges[end - 1].last > last) {
		right = m->ranges[end - 1];
		right.first = last + 1;
		keep_right = true;
	}
	add = keep_left + keep_right + (entry != NULL);
	model_reserve(m, add);
	if (end < m->nr && start + add != end)
		memmove(&m->ranges[start + add], &m->ranges[end],
			(m->nr - end) * sizeof(*m->ranges));
	m->nr = m->nr - (end - start) + add;
	if (keep_left)
		m->ranges[start++] = left;
	if (entry) {
		m->ranges[start].first = first;
		m->ranges[start].last = last;
		m->ranges[start].entry = entry;
		start++;
	}
	if (keep_right)
		m->ranges[start] = right;
}

bool model_occupied(const struct model *m, unsigned long first,
		    unsigned long last)
{
	size_t i = model_search(m, first);

	return i < m->nr && m->ranges[i].first <= last;
}

void *model_lookup(const struct model *m, unsigned long index,
		   unsigned long *first, unsigned long *last)
{
	size_t i = model_search(m, index);

	if (i < m->nr && m->ranges[i].first <= index) {
		*first = m->ranges[i].first;
		*last = m->ranges[i].last;
		return m->ranges[i].entry;
	}
	*first = i > 0 ? m->ranges[i - 1].last + 1 : 0;
	*last = i < m->nr ? m->ranges[i].first - 1 : ULONG_MAX;
	return NULL;
}

const struct model_range *model_find(const struct model *m,
				     unsigned long index, unsigned long max)
{
	size_t i = model_search(m, index);

	if (i < m->nr && m->ranges[i].first <= max)
		return &m->ranges[i];
	return NULL;
}

const struct model_range *model_find_rev(const struct model *m,
					 unsigned long index,
					 unsigned long min)
{
	size_t i = model_search(m, index);

	/* ranges[i] is the first ending at or after index. */
	if (i < m->nr && m->ranges[i].first <= index)
		return m->ranges[i].last >= min ? &m->ranges[i] : NULL;
	if (i > 0 && m->ranges[i - 1].last >= min)
		return &m->ranges[i - 1];
	return NULL;
}

/* The empty stretch before range i (i == nr: after the last range). */
static void gap_before(const struct model *m, size_t i, unsigned long *lo,
		       unsigned long *hi, bool *empty)
{
	*lo = i > 0 ? m->ranges[i - 1].last + 1 : 0;
	*empty = i > 0 && m->ranges[i - 1].last == ULONG_MAX;
	if (i < m->nr) {
		*empty |= m->ranges[i].first == 0 ||
			  m->ranges[i].first - 1 < *lo;
		*hi = m->ranges[i].first ? m->ranges[i].first - 1 : 0;
	} else {
		*hi = ULONG_MAX;
	}
}

bool model_empty_area(const struct model *m, unsigned long min,
		      unsigned long max, unsigned long size, bool rev,
		      unsigned long *start)
{
	size_t k, i;
	bool found = false;

	for (k = 0; k <= m->nr; k++) {
		unsigned long lo, hi;
		bool empty;

		i = rev ? m->nr - k : k;
		gap_before(m, i, &lo, &hi, &empty);
		if (empty)
			continue;
		if (lo < min)
			lo = min;
		if (hi > max)
			hi = max;
		if (lo > hi || hi - lo < size - 1)
			continue;
		*start = rev ? hi - (size - 1) : lo;
		found = true;
		break;
	}
	return found;
}
