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

#include <linux/kernel.h>	/* WARN_ON, MAX_ERRNO */

#define XA_KIND_MASK		3UL
#define XA_KIND_VALUE_BIT	1UL
#define XA_KIND_INTERNAL	2UL

/* The word of an entry, for the bit tests below. */
#define xa_word(p)		((unsigned long)(p))

static inline void *xa_mk_value(unsigned long number)
{
	WARN_ON((long)number < 0);	/* the top bit would be lost */
	return (void *)(number << 1 | XA_KIND_VALUE_BIT);
}

static inline unsigned long xa_to_value(const void *p)
{
	return xa_word(p) >> 1;
}

static inline bool xa_is_value(const void *p)
{
	return (xa_word(p) & XA_KIND_VALUE_BIT) != 0;
}

static inline void *xa_mk_internal(unsigned long payload)
{
	return (void *)(payload << 2 | XA_KIND_INTERNAL);
}

static inline unsigned long xa_to_internal(const void *p)
{
	return xa_word(p) >> 2;
}

static inline bool xa_is_internal(const void *p)
{
	return (xa_word(p) & XA_KIND_MASK) == XA_KIND_INTERNAL;
}

#define XA_RETRY_ENTRY		xa_mk_internal(256)	/* n = 256 */
#define XA_ZERO_ENTRY		xa_mk_internal(257)	/* n = 257 */

static inline bool xa_is_zero(const void *p)
{
	return p == XA_ZERO_ENTRY;
}

static inline bool xa_is_retry(const void *p)
{
	return p == XA_RETRY_ENTRY;
}

/* An error entry holds -errno in the internal payload, so it sits at the top. */
static inline bool xa_is_err(const void *p)
{
	return xa_is_internal(p) &&
	       xa_word(p) >= xa_word(xa_mk_internal(-MAX_ERRNO));
}

/* The errno an error entry carries (negative), or 0 for any other entry. */
static inline int xa_err(void *p)
{
	return xa_is_err(p) ? (int)((long)xa_word(p) >> 2) : 0;
}

/*
 * Entries a caller may not store through the normal API: the reserved and
 * sibling range and the retry entry.  XA_ZERO_ENTRY lies above and may be
 * stored.
 */
static inline bool xa_is_advanced(const void *p)
{
	return xa_is_internal(p) && xa_word(p) <= xa_word(XA_RETRY_ENTRY);
}

/* Internal entries above the reserved range point at nodes. */
static inline bool xa_is_node(const void *p)
{
	return xa_is_internal(p) && xa_word(p) > 4096;
}

#endif /* HARNESS_LINUX_XARRAY_H */
