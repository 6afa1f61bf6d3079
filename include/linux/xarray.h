/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry encoding shared by the xarray and the maple tree.
 *
 * An entry is a pointer-sized word; its two low bits tell its kind:
 *
 *   bits 1..0   kind        what the rest of the word holds
 *   ---------   ---------   -----------------------------------------------
 *      00       pointer     a user pointer (aligned to at least 4 bytes)
 *      x1       value       an integer shifted left by one (xa_mk_value)
 *      10       internal    (n << 2) | 2: reserved for the data structure
 *
 * Internal entries, by n:
 *   0..255        sibling/reserved          (xarray multi-index entries)
 *   256           XA_RETRY_ENTRY            (a reader must restart)
 *   257           XA_ZERO_ENTRY             (reserved, reads back as NULL)
 *   -4095..-1     errors, xa_mk_internal(-errno)
 *   anything else above 4096 encodes a node pointer (xa_is_node)
 *
 * The maple tree refuses to store "advanced" entries (n <= 256) through
 * its normal API; XA_ZERO_ENTRY is allowed.
 */
#ifndef HARNESS_LINUX_XARRAY_H
#define HARNESS_LINUX_XARRAY_H

#include <linux/kernel.h>

#define XA_KIND_MASK		3UL
#define XA_KIND_VALUE_BIT	1UL
#define XA_KIND_INTERNAL	2UL

static inline void *xa_mk_value(unsigned long v)
{
	WARN_ON((long)v < 0);
	return (void *)((v << 1) | XA_KIND_VALUE_BIT);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return ((unsigned long)entry & XA_KIND_VALUE_BIT) != 0;
}

static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | XA_KIND_INTERNAL);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & XA_KIND_MASK) == XA_KIND_INTERNAL;
}

#define XA_RETRY_ENTRY		xa_mk_internal(256)
#define XA_ZERO_ENTRY		xa_mk_internal(257)

static inline bool xa_is_zero(const void *entry)
{
	return entry == XA_ZERO_ENTRY;
}

static inline bool xa_is_retry(const void *entry)
{
	return entry == XA_RETRY_ENTRY;
}

/* An error entry holds -errno in the internal payload, so it sits at the top. */
static inline bool xa_is_err(const void *entry)
{
	return xa_is_internal(entry) &&
	       (unsigned long)entry >= (unsigned long)xa_mk_internal(-MAX_ERRNO);
}

static inline int xa_err(void *entry)
{
	if (!xa_is_err(entry))
		return 0;
	return (long)entry >> 2;
}

/*
 * Entries a caller may not store through the normal API: the reserved and
 * sibling range and the retry entry.  XA_ZERO_ENTRY lies above and may be
 * stored.
 */
static inline bool xa_is_advanced(const void *entry)
{
	return xa_is_internal(entry) &&
	       (unsigned long)entry <= (unsigned long)XA_RETRY_ENTRY;
}

/* Internal entries above the reserved range point at nodes. */
static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) && (unsigned long)entry > 4096;
}

#endif /* HARNESS_LINUX_XARRAY_H */
