/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object caches and kmalloc, implemented in linux.c.
 *
 * The semantics a maple tree depends on, kept from the kernel:
 *  - kmem_cache_alloc() returns an object aligned to the cache's alignment,
 *    or NULL; a cache with a constructor hands out constructed objects, and
 *    objects must come back constructed.
 *  - kmem_cache_alloc_bulk() fills all @size slots and returns @size (6.x)
 *    or true (7.x), or returns 0/false; on failure the objects it took are
 *    freed again but their now-stale pointers stay in @p, as in the kernel.
 *  - kfree() takes an object of any cache as well as kmalloc()'s, as the
 *    kernel's does (7.x's maple tree frees nodes so, and through
 *    kfree_rcu()).
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
struct slab_sheaf;

/*
 * The less common arguments of a cache (6.12 and later).  The harness reads
 * align, ctor and sheaf_capacity; the others are accepted and have no
 * effect here, as on a kernel without the feature they serve.
 */
struct kmem_cache_args {
	unsigned int align;		/* object alignment, 0: the default */
	unsigned int sheaf_capacity;	/* objects a full sheaf holds, 0: none */
	unsigned int useroffset;	/* usercopy window: unused here */
	unsigned int usersize;
	unsigned int freeptr_offset;	/* SLAB_TYPESAFE_BY_RCU free pointer */
	bool use_freeptr_offset;
	void (*ctor)(void *);		/* builds a fresh object, or NULL */
};

struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size,
				       unsigned int align, unsigned int flags,
				       void (*ctor)(void *));
struct kmem_cache *__kmem_cache_create_args(const char *name,
					    unsigned int size,
					    struct kmem_cache_args *args,
					    unsigned int flags);
static inline struct kmem_cache *
__kmem_cache_default_args(const char *name, unsigned int size,
			  struct kmem_cache_args *args, unsigned int flags)
{
	(void)args;	/* NULL: every argument at its default */
	return __kmem_cache_create_args(name, size, NULL, flags);
}

/*
 * kmem_cache_create() takes either form the kernel accepts:
 *   kmem_cache_create(name, size, align, flags, ctor)	(every kernel)
 *   kmem_cache_create(name, size, &args, flags)	(6.12 and later)
 *   kmem_cache_create(name, size, NULL, flags)
 * The third argument's type picks the form.
 */
#define kmem_cache_create(name, size, args, ...)			\
	_Generic((args),						\
		 struct kmem_cache_args *: __kmem_cache_create_args,	\
		 void *: __kmem_cache_default_args,			\
		 default: __kmem_cache_create)((name), (size), (args), __VA_ARGS__)

void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void *kmem_cache_alloc_lru(struct kmem_cache *cache, struct list_lru *lru,
			   gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *objp);
void kmem_cache_free_bulk(struct kmem_cache *cache, size_t size, void **p);
int kmem_cache_shrink(struct kmem_cache *cache);

/*
 * kmem_cache_alloc_bulk() answers in the convention of the kernel the
 * subject was written for (HARNESS_SLAB_API, from generated/subject-api.h):
 * up to 6.x the number of objects allocated (0 on failure), from 7.x a
 * bool.  Both are all or nothing unless failure injection makes a 6.x
 * count short (harness_bulk_mode()).
 */
#if HARNESS_SLAB_API >= 7
typedef bool harness_bulk_ret_t;
#else
typedef int harness_bulk_ret_t;
#endif
harness_bulk_ret_t kmem_cache_alloc_bulk(struct kmem_cache *cache, gfp_t gfp,
					 size_t size, void **p);

/*
 * Slab sheaves (6.18 and later): a caller-owned array of objects,
 * prefilled so that the allocations a writer will make under its lock
 * cannot fail.  See linux.c for the semantics kept from the kernel.
 */
struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *cache,
					    gfp_t gfp, unsigned int size);
int kmem_cache_refill_sheaf(struct kmem_cache *cache, gfp_t gfp,
			    struct slab_sheaf **sheafp, unsigned int size);
void kmem_cache_return_sheaf(struct kmem_cache *cache, gfp_t gfp,
			     struct slab_sheaf *sheaf);
void *kmem_cache_alloc_from_sheaf(struct kmem_cache *cache, gfp_t gfp,
				  struct slab_sheaf *sheaf);
unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf);

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
