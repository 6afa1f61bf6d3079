/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cache hints: start fetching a line that will soon be read (prefetch)
 * or written (prefetchw).  A hint never faults and changes no result; on
 * a compiler without the builtin it is nothing at all.
 */
#ifndef HARNESS_LINUX_PREFETCH_H
#define HARNESS_LINUX_PREFETCH_H

#include <linux/types.h>
#include <linux/cache.h>

#define PREFETCH_STRIDE		L1_CACHE_BYTES

static inline void prefetch(const void *addr)
{
	__builtin_prefetch(addr, 0, 3);
}

static inline void prefetchw(const void *addr)
{
	__builtin_prefetch(addr, 1, 3);
}

/* Every line of [@addr, @addr + @len). */
static inline void prefetch_range(void *addr, size_t len)
{
	char *cp = (char *)addr, *end = cp + len;

	for (; cp < end; cp += PREFETCH_STRIDE)
		prefetch(cp);
}

#endif /* HARNESS_LINUX_PREFETCH_H */
