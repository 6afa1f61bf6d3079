/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object caches and kmalloc, implemented in linux.c.
 *
 * The semantics a maple tree depends on, kept from the kernel:
 *  - kmem_cache_alloc() returns an object aligned to the cache's alignment,
 *    or NULL; a cache with a constructor hands out constructed objects, and
 *    objects must come back constructed.
 *  - kmem_cache_alloc_bulk() fills all @size slots and returns @size, or
 *    returns 0; on failure the objects it took are freed again but their
 *    now-stale pointers stay in @p, as in the kernel.
 *  - An allocation without __GFP_DIRECT_RECLAIM fails unless the cache's
 *    non-kernel budget allows it (see kmem_cache_set_non_kernel()).
 */
#ifndef HARNESS_LINUX_SLAB_H
#define HARNESS_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/compiler.h>

#define SLAB_HWCACHE_ALIGN	0x00002000U
#define SLAB_PANIC		0x00040000U	/* creation cannot fail */
#define SLAB_RECLAIM_ACCOUNT	0x00020000U
#define SLAB_ACCOUNT		0x04000000U
#define SLAB_TYPESAFE_BY_RCU	0x00080000U

struct kmem_cache;
struct list_lru;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void *kmem_cache_alloc_lru(struct kmem_cache *cache, struct list_lru *lru,
			   gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *objp);
int kmem_cache_alloc_bulk(struct kmem_cache *cache, gfp_t gfp, size_t size,
			  void **p);
void kmem_cache_free_bulk(struct kmem_cache *cache, size_t size, void **p);
int kmem_cache_shrink(struct kmem_cache *cache);

#define kmem_cache_zalloc(cache, gfp)	kmem_cache_alloc(cache, (gfp) | __GFP_ZERO)

void *kmalloc(size_t size, gfp_t gfp);
void *krealloc(const void *objp, size_t size, gfp_t gfp);
void kfree(const void *objp);
#define kzalloc(size, gfp)		kmalloc(size, (gfp) | __GFP_ZERO)
#define kmalloc_array(n, size, gfp)	kmalloc((n) * (size), gfp)
#define kcalloc(n, size, gfp)		kzalloc((n) * (size), gfp)
#define kvmalloc(size, gfp)		kmalloc(size, gfp)
#define kvfree(objp)			kfree(objp)

#endif /* HARNESS_LINUX_SLAB_H */
