/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HARNESS_LINUX_GFP_H
#define HARNESS_LINUX_GFP_H

#include <linux/gfp_types.h>

/* True when the allocation may sleep, and so wait for memory. */
static inline bool gfpflags_allow_blocking(const gfp_t gfp)
{
	return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

#endif /* HARNESS_LINUX_GFP_H */
