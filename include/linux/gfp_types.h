/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation flags with the kernel's meanings.
 *
 * The bit values are ours; what matters to the code under test is how the
 * allocator treats them (see linux.c):
 *   __GFP_DIRECT_RECLAIM  the caller may sleep to reclaim: never fails here
 *                         unless a test asked for it;
 *   without it            the allocation is "non-kernel" and fails unless the
 *                         cache's non-kernel budget (kmem_cache_set_non_kernel)
 *                         still allows it;
 *   __GFP_ZERO            the object is zero-filled;
 *   __GFP_NOWARN          the failure is not reported.
 */
#ifndef HARNESS_LINUX_GFP_TYPES_H
#define HARNESS_LINUX_GFP_TYPES_H

#include <linux/types.h>

#define __GFP_DMA		((gfp_t)0x00001u)
#define __GFP_HIGHMEM		((gfp_t)0x00002u)
#define __GFP_MOVABLE		((gfp_t)0x00004u)
#define __GFP_RECLAIMABLE	((gfp_t)0x00008u)
#define __GFP_HIGH		((gfp_t)0x00010u)	/* may use reserves */
#define __GFP_IO		((gfp_t)0x00020u)	/* may start I/O */
#define __GFP_FS		((gfp_t)0x00040u)	/* may enter the FS */
#define __GFP_ZERO		((gfp_t)0x00080u)	/* zero the object */
#define __GFP_DIRECT_RECLAIM	((gfp_t)0x00100u)	/* may sleep */
#define __GFP_KSWAPD_RECLAIM	((gfp_t)0x00200u)	/* may wake kswapd */
#define __GFP_NOWARN		((gfp_t)0x00400u)	/* fail quietly */
#define __GFP_RETRY_MAYFAIL	((gfp_t)0x00800u)
#define __GFP_NOFAIL		((gfp_t)0x01000u)
#define __GFP_NORETRY		((gfp_t)0x02000u)
#define __GFP_MEMALLOC		((gfp_t)0x04000u)
#define __GFP_NOMEMALLOC	((gfp_t)0x08000u)
#define __GFP_ACCOUNT		((gfp_t)0x10000u)
#define __GFP_HARDWALL		((gfp_t)0x20000u)

#define __GFP_RECLAIM	(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_USER	(GFP_KERNEL | __GFP_HARDWALL)
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)

#endif /* HARNESS_LINUX_GFP_TYPES_H */
