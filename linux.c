// SPDX-License-Identifier: GPL-2.0
/*
 * linux.c: the kernel's object caches (struct kmem_cache) and kmalloc(),
 * in userspace, with the semantics and the test hooks the maple tree and
 * its test modules rely on.  It sits at the top, as the kernel's own
 * userspace harness keeps its tools/testing/shared/linux.c.
 *
 * The other kernel services live elsewhere: call_rcu() and the threads in
 * harness/rcu.c, allocation failure injection in harness/inject.c,
 * printk(), BUG()/WARN() and the lockdep and RCU reports in
 * harness/messages.c, the stress build's yield points in
 * harness/stress.c (harness/internal.h is what they share); the lockdep
 * records live in the lock shims (include/linux/lockdep.h).
 *
 * Object caches
 * -------------
 * A struct kmem_cache hands out objects of one size and alignment.  Freed
 * objects go to a per-cache stack of free objects (up to
 * HARNESS_FREELIST_MAX of them) and are handed out again, last freed first,
 * before new memory is asked of the C library:
 *
 *   cache ──> free_objs: [ obj | obj | obj | ... ]   nr_free of free_cap used
 *
 * The stack is an array, not a list threaded through the objects, so a
 * bulk allocation takes its objects without touching their (cold) memory.
 * In the debug builds an object on the stack is filled with
 * HARNESS_POISON_FREE and the poison is verified when the object is
 * reused, so a write after free is caught at the next allocation; under
 * valgrind the object is also marked inaccessible while it is free.
 * Sanitizer builds (HARNESS_NO_FREELIST) give every object straight back to
 * the C library, so ASan's quarantine sees every use after free.
 * Optimised builds (HARNESS_SLABS) carve objects side by side from 64 KiB
 * slabs, as the kernel packs them into pages.  At exit every cached free
 * object goes back to the C library, so that valgrind's leak report shows
 * only what the program lost.
 *
 * Failure injection
 * -----------------
 *  - An allocation without __GFP_DIRECT_RECLAIM (it could not sleep in the
 *    kernel) fails unless the cache's non-kernel budget allows it; each
 *    object spends one unit of the budget, in bulk too.
 *  - After a failure, the next allocation from the same cache first calls
 *    the cache's callback, so a test can make a writer race into a retry.
 *  - Before each allocation this file asks harness_inject_failure()
 *    (harness/inject.c) whether harness_fail_nth_alloc(n) has armed a
 *    failure for it, whatever its gfp: the failure sweeps fail each
 *    allocation in turn that way.
 *
 * Accounting
 * ----------
 * nr_allocated counts live objects from every cache and kmalloc(); the
 * driver requires it to be zero at exit.  Each cache also counts its live
 * objects and the objects handed out since the last zeroing.  With
 * kmalloc_verbose (./maple -vv) every allocation and free is printed.
 *
 * Release build
 * -------------
 * HARNESS_RELEASE (make install) keeps only what a program using the tree
 * needs: no failure injection, no non-kernel budget (every gfp may
 * allocate), no poisoning, no global accounting; and the library starts
 * itself (maple_tree_init() before main()).
 *
 * In this file `cache` is always the struct kmem_cache being worked on and
 * `objp` an object of it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <execinfo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>	/* the shims */
#include <linux/slab.h>
#include <linux/rcupdate.h>	/* liburcu */
#include <linux/maple_tree.h>	/* the layout we export */
#include <harness.h>
#include "harness/internal.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>) && !defined(HARNESS_NO_VALGRIND)
#include <valgrind/memcheck.h>
#define HARNESS_HAVE_VALGRIND 1
#endif
#endif
#ifndef HARNESS_HAVE_VALGRIND
#define VALGRIND_MAKE_MEM_NOACCESS(addr, len)	do { } while (0)
#define VALGRIND_MAKE_MEM_UNDEFINED(addr, len)	do { } while (0)
#define VALGRIND_MAKE_MEM_DEFINED(addr, len)	do { } while (0)
#endif

/* Free objects kept per cache for reuse (optimised builds keep more). */
#if defined(HARNESS_SLABS) && defined(HARNESS_NO_FREELIST)
#error "HARNESS_SLABS keeps every freed object on the free stack"
#endif
#ifndef HARNESS_FREELIST_MAX
#define HARNESS_FREELIST_MAX	65536
#endif

struct kmem_cache {
	pthread_mutex_t lock;		/* protects every field below */
	const char *name;		/* for messages */
	unsigned int size;		/* object size in bytes */
	unsigned int align;		/* object alignment, a power of two */
	unsigned int flags;		/* SLAB_* */
	void (*ctor)(void *);		/* builds a fresh object, or NULL */

#ifdef HARNESS_SLABS
	void **slabs;			/* every slab, for kmem_cache_destroy */
	unsigned int nr_slabs;		/* slabs in use */
	unsigned int slab_left;		/* objects not yet carved from the last */
	char *slab_next;		/* the next one to carve */
#endif
	void **free_objs;		/* stack of free objects */
	unsigned int nr_free;		/* objects on the stack */
	unsigned int free_cap;		/* slots in free_objs */

	unsigned int nr_allocated;	/* live objects */
	unsigned int nr_tallocated;	/* handed out since last zeroing */
	unsigned int non_kernel;	/* budget for non-blocking allocations */
	bool exec_callback;		/* an allocation failed: call callback */
	void (*callback)(void *);	/* the test's hook after a failure */
	void *private;			/* its argument */
	struct kmem_cache *next_cache;	/* all_caches list, under caches_lock */
};

/* Every live cache, so that their free lists can be drained at exit. */
static struct kmem_cache *all_caches;
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;

long nr_allocated;			/* atomic: every live object */
int kmalloc_verbose;


/* The configuration this library was built with, for outside programs. */
#ifdef CONFIG_64BIT
const int harness_layout_is_64bit = 64;
#else
const int harness_layout_is_32bit = 32;
#endif
const unsigned int harness_long_bits = BITS_PER_LONG;
const unsigned int harness_maple_node_slots = MAPLE_NODE_SLOTS;

/* -------------------------------------------------------------- caches */

struct kmem_cache *
kmem_cache_create(const char *name, unsigned int size, unsigned int align,
		  unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *cache = calloc(1, sizeof(*cache));

	if (!cache) {
		if (flags & SLAB_PANIC)
			BUG();
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	BUG_ON(align & (align - 1));
	/* Word 0 links free objects: every object holds at least a pointer. */
	if (size < sizeof(void *))
		size = sizeof(void *);
	pthread_mutex_init(&cache->lock, NULL);
	cache->name = name;
	cache->size = size;
	cache->align = align;
	cache->flags = flags;
	cache->ctor = ctor;
	pthread_mutex_lock(&caches_lock);
	cache->next_cache = all_caches;
	all_caches = cache;
	pthread_mutex_unlock(&caches_lock);
	return cache;
}

/* Fill a free object with poison. */
static void poison_object(struct kmem_cache *cache, void *objp)
{
#ifndef HARNESS_NO_POISON
	memset(objp, HARNESS_POISON_FREE, cache->size);
#endif
}

/* A free object must still be all poison: anything else is a use after free. */
static void check_poison(struct kmem_cache *cache, void *objp)
{
#ifndef HARNESS_NO_POISON
	const unsigned char *byte = objp;
	unsigned int i;

	for (i = 0; i < cache->size; i++) {
		if (byte[i] != HARNESS_POISON_FREE) {
			fprintf(stderr, "%s: object %p written after free "
				"(byte %u is 0x%02x)\n", cache->name, objp, i,
				byte[i]);
			BUG();
		}
	}
#endif
}

#ifdef HARNESS_SLABS
/*
 * Slabs: in optimised builds, objects are carved side by side from blocks
 * of HARNESS_SLAB_BYTES, as the kernel packs them into pages.  One
 * posix_memalign() per object would place each node of 256 bytes at a
 * stride of 512 (the C library's header needs room before the alignment),
 * and the harness, not the tree, would decide how many nodes share a page.
 * An object from a slab can't go back to the C library on its own, so a
 * freed one always stays on the free stack; the slabs go back when the
 * cache is destroyed with nothing allocated.  Debug and sanitizer builds
 * keep one allocation per object, where overruns show.
 */
#define HARNESS_SLAB_BYTES	(64U * 1024)

/* Distance between neighbouring objects of a slab. */
static unsigned int cache_stride(const struct kmem_cache *cache)
{
	return (cache->size + cache->align - 1) & ~(cache->align - 1);
}

/* Start a new slab; lock held.  False when memory is short. */
static bool cache_new_slab(struct kmem_cache *cache)
{
	unsigned int stride = cache_stride(cache);
	size_t bytes = HARNESS_SLAB_BYTES;
	void **grown;
	void *slab;

	if (bytes < stride)
		bytes = stride;
	grown = realloc(cache->slabs, (cache->nr_slabs + 1) * sizeof(*grown));
	if (!grown)
		return false;
	cache->slabs = grown;
	if (posix_memalign(&slab, cache->align > 4096 ? cache->align : 4096,
			   bytes))
		return false;
	cache->slabs[cache->nr_slabs++] = slab;
	cache->slab_next = slab;
	cache->slab_left = bytes / stride;
	return true;
}

/* Give every slab back; only when no object is allocated.  Lock held. */
static void cache_free_slabs(struct kmem_cache *cache)
{
	if (cache->nr_allocated)
		return;		/* objects still in use: keep their memory */
	while (cache->nr_slabs)
		free(cache->slabs[--cache->nr_slabs]);
	free(cache->slabs);
	cache->slabs = NULL;
	cache->slab_left = 0;
	cache->nr_free = 0;	/* they all lived in the slabs */
}
#endif

/*
 * Does a free object need looking at when it is handed out: its poison
 * checked, or valgrind told it is addressable again?  Neither in an
 * optimised build run natively.
 */
static bool cache_checks_objects(void)
{
#ifndef HARNESS_NO_POISON
	return true;
#elif defined(HARNESS_HAVE_VALGRIND)
	return RUNNING_ON_VALGRIND;
#else
	return false;
#endif
}

/* A free object leaves the stack: still all poison?  Lock held. */
static void cache_check_free_object(struct kmem_cache *cache, void *objp)
{
	VALGRIND_MAKE_MEM_DEFINED(objp, cache->size);
	check_poison(cache, objp);
	VALGRIND_MAKE_MEM_UNDEFINED(objp, cache->size);
}

/* Take one object from the free stack or the C library; cache->lock held. */
static void *cache_get_locked(struct kmem_cache *cache)
{
	void *objp;

	if (cache->nr_free) {
		objp = cache->free_objs[--cache->nr_free];
		if (cache_checks_objects())
			cache_check_free_object(cache, objp);
		return objp;
	}
#ifdef HARNESS_SLABS
	if (!cache->slab_left && !cache_new_slab(cache))
		return NULL;
	objp = cache->slab_next;
	cache->slab_next += cache_stride(cache);
	cache->slab_left--;
#else
	if (posix_memalign(&objp, cache->align, cache->size))
		return NULL;
#endif
	return objp;
}

#ifndef HARNESS_NO_FREELIST
/* Room for one more free object on the stack?  Grows it; lock held. */
static bool cache_stack_room(struct kmem_cache *cache)
{
	unsigned int cap;
	void **grown;

	if (cache->nr_free < cache->free_cap)
		return true;
	cap = cache->free_cap ? cache->free_cap * 2 : 64;
#ifndef HARNESS_SLABS	/* a slab's object has nowhere else to go */
	if (cache->free_cap >= HARNESS_FREELIST_MAX)
		return false;
	if (cap > HARNESS_FREELIST_MAX)
		cap = HARNESS_FREELIST_MAX;
#endif
	grown = realloc(cache->free_objs, cap * sizeof(*grown));
	if (!grown)
		return false;
	cache->free_objs = grown;
	cache->free_cap = cap;
	return true;
}
#endif /* !HARNESS_NO_FREELIST */

/* Give one object back to the free stack or the C library; lock held. */
static void cache_put_locked(struct kmem_cache *cache, void *objp)
{
	poison_object(cache, objp);
#ifndef HARNESS_NO_FREELIST
	if (cache_stack_room(cache)) {
		cache->free_objs[cache->nr_free++] = objp;
		VALGRIND_MAKE_MEM_NOACCESS(objp, cache->size);
		return;
	}
#endif
#ifndef HARNESS_SLABS	/* else it stays in its slab until the cache goes */
	free(objp);
#endif
}

/* Prepare a newly handed-out object as the gfp and constructor ask. */
static void init_object(struct kmem_cache *cache, void *objp, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		memset(objp, 0, cache->size);
	else if (cache->ctor)
		cache->ctor(objp);
}

/*
 * Decide whether @nr objects may be allocated with @gfp, spending the
 * non-kernel budget if so; on refusal, arm the callback.  Lock held.
 */
static bool cache_may_allocate(struct kmem_cache *cache, gfp_t gfp,
			       unsigned int nr)
{
	if (IS_ENABLED(HARNESS_RELEASE) || (gfp & __GFP_DIRECT_RECLAIM))
		return true;
#ifdef HARNESS_MUTANT_BULK_BUDGET
	nr = 1;		/* mutant: bulk spends one unit whatever its size */
#endif
	if (cache->non_kernel < nr) {
		cache->exec_callback = true;
		return false;
	}
	cache->non_kernel -= nr;
	return true;
}

/* One object, unless an injected failure falls on it.  Lock held. */
static void *cache_take_locked(struct kmem_cache *cache)
{
	if (harness_inject_failure(1) >= 0)
		return NULL;
	return cache_get_locked(cache);
}

/* Run the test's callback if the previous allocation failed.  Lock held. */
static void cache_run_callback_locked(struct kmem_cache *cache)
{
	void (*callback)(void *) = cache->callback;
	void *private = cache->private;

	if (!cache->exec_callback)
		return;
	cache->exec_callback = false;
	if (!callback)
		return;
	/* The callback may allocate from this cache itself. */
	pthread_mutex_unlock(&cache->lock);
	callback(private);
	pthread_mutex_lock(&cache->lock);
}

/* Count @nr objects handed out from @cache (lock held). */
static void account_alloc(struct kmem_cache *cache, void **objs, size_t nr)
{
	size_t i;

	cache->nr_allocated += nr;
	cache->nr_tallocated += nr;
	__atomic_fetch_add(&nr_allocated, nr, __ATOMIC_RELAXED);
	for (i = 0; kmalloc_verbose && i < nr; i++)
		printf("Allocating %p from %s\n", objs[i], cache->name);
}

void *kmem_cache_alloc_lru(struct kmem_cache *cache, struct list_lru *lru,
			   gfp_t gfp)
{
	void *objp = NULL;

	(void)lru;
	pthread_mutex_lock(&cache->lock);
	cache_run_callback_locked(cache);
	if (cache_may_allocate(cache, gfp, 1))
		objp = cache_take_locked(cache);
	if (objp)
		account_alloc(cache, &objp, 1);
	else
		cache->exec_callback = true;
	pthread_mutex_unlock(&cache->lock);
	if (objp)
		init_object(cache, objp, gfp);
	return objp;
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	return kmem_cache_alloc_lru(cache, NULL, gfp);
}

void kmem_cache_free(struct kmem_cache *cache, void *objp)
{
	if (!objp)
		return;
	if (kmalloc_verbose)
		printf("Freeing %p to %s\n", objp, cache->name);
	pthread_mutex_lock(&cache->lock);
	BUG_ON(cache->nr_allocated == 0);
	cache->nr_allocated--;
	__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
	cache_put_locked(cache, objp);
	pthread_mutex_unlock(&cache->lock);
}

/*
 * kmem_cache_alloc_bulk() - fill @p with @size objects, all or nothing.
 *
 * Return: @size, or 0 when any object could not be had.  On failure the
 * objects already taken are freed again, but their pointers stay in @p:
 * the kernel behaves the same, and a caller that frees them twice is caught.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *cache, gfp_t gfp, size_t size,
			  void **p)
{
	size_t i;
	long fail;

	if (!size)
		return 0;
	pthread_mutex_lock(&cache->lock);
	cache_run_callback_locked(cache);
	if (!cache_may_allocate(cache, gfp, size)) {
		pthread_mutex_unlock(&cache->lock);
		return 0;
	}
	/* One decision for the whole batch: where an injected failure falls. */
	fail = harness_inject_failure(size);
	if (fail < 0 && cache->nr_free >= size) {
		/* The fast path: the batch is the top of the free stack. */
		cache->nr_free -= size;
		memcpy(p, cache->free_objs + cache->nr_free, size * sizeof(*p));
		if (cache_checks_objects())
			for (i = 0; i < size; i++)
				cache_check_free_object(cache, p[i]);
		account_alloc(cache, p, size);
		pthread_mutex_unlock(&cache->lock);
		if (gfp & __GFP_ZERO || cache->ctor)
			for (i = 0; i < size; i++)
				init_object(cache, p[i], gfp);
		return size;
	}
	for (i = 0; i < size && (long)i != fail; i++) {
		p[i] = cache_get_locked(cache);
		if (!p[i])
			break;
	}
	if (i < size) {
		size_t taken = i;

		cache->exec_callback = true;
		for (i = 0; i < taken; i++) {
			cache_put_locked(cache, p[i]);
#ifdef HARNESS_MUTANT_NO_STALE
			p[i] = NULL;	/* mutant: tidy the array */
#endif
		}
		pthread_mutex_unlock(&cache->lock);
#ifdef HARNESS_MUTANT_BULK_PARTIAL
		return taken;	/* mutant: report a partial fill */
#endif
		return 0;
	}
	account_alloc(cache, p, size);
	pthread_mutex_unlock(&cache->lock);
	for (i = 0; i < size; i++)
		init_object(cache, p[i], gfp);
	return size;
}

void kmem_cache_free_bulk(struct kmem_cache *cache, size_t size, void **p)
{
	size_t i;

	pthread_mutex_lock(&cache->lock);
	for (i = 0; i < size; i++) {
		if (!p[i])
			continue;
		if (kmalloc_verbose)
			printf("Freeing %p to %s\n", p[i], cache->name);
		BUG_ON(cache->nr_allocated == 0);
		cache->nr_allocated--;
		__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
		cache_put_locked(cache, p[i]);
	}
	pthread_mutex_unlock(&cache->lock);
}

/* Return the cached free objects to the C library. */
int kmem_cache_shrink(struct kmem_cache *cache)
{
	pthread_mutex_lock(&cache->lock);
#ifdef HARNESS_SLABS
	/* Only a cache with nothing allocated has slabs with nothing in use. */
	cache_free_slabs(cache);
	if (cache->nr_free) {
		pthread_mutex_unlock(&cache->lock);
		return 0;
	}
#endif
	while (cache->nr_free) {
		void *objp = cache->free_objs[--cache->nr_free];

		VALGRIND_MAKE_MEM_DEFINED(objp, cache->size);
		free(objp);
	}
	free(cache->free_objs);
	cache->free_objs = NULL;
	cache->free_cap = 0;
	pthread_mutex_unlock(&cache->lock);
	return 0;
}

void kmem_cache_destroy(struct kmem_cache *cache)
{
	struct kmem_cache **link;

	if (!cache)
		return;
	if (cache->nr_allocated)
		pr_err("kmem_cache_destroy %s: %u objects still allocated\n",
		       cache->name, cache->nr_allocated);
	kmem_cache_shrink(cache);
	pthread_mutex_lock(&caches_lock);
	for (link = &all_caches; *link; link = &(*link)->next_cache) {
		if (*link == cache) {
			*link = cache->next_cache;
			break;
		}
	}
	pthread_mutex_unlock(&caches_lock);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

/*
 * Give every cached free object back to the C library at exit, so that
 * valgrind's leak report shows only what the program really lost.
 */
__attribute__((destructor)) static void harness_drain_caches(void)
{
	struct kmem_cache *cache;

	pthread_mutex_lock(&caches_lock);
	for (cache = all_caches; cache; cache = cache->next_cache)
		kmem_cache_shrink(cache);
	pthread_mutex_unlock(&caches_lock);
}

/* ------------------------------------------------------ cache test hooks */

void kmem_cache_set_non_kernel(struct kmem_cache *cache, unsigned int budget)
{
	pthread_mutex_lock(&cache->lock);
	cache->non_kernel = budget;
	pthread_mutex_unlock(&cache->lock);
}

void kmem_cache_set_callback(struct kmem_cache *cache, void (*callback)(void *))
{
	pthread_mutex_lock(&cache->lock);
	cache->callback = callback;
	pthread_mutex_unlock(&cache->lock);
}

void kmem_cache_set_private(struct kmem_cache *cache, void *private)
{
	pthread_mutex_lock(&cache->lock);
	cache->private = private;
	pthread_mutex_unlock(&cache->lock);
}

unsigned long kmem_cache_get_alloc(struct kmem_cache *cache)
{
	unsigned long bytes;

	pthread_mutex_lock(&cache->lock);
	bytes = (unsigned long)cache->size * cache->nr_allocated;
	pthread_mutex_unlock(&cache->lock);
	return bytes;
}

unsigned int kmem_cache_nr_allocated(struct kmem_cache *cache)
{
	return __atomic_load_n(&cache->nr_allocated, __ATOMIC_RELAXED);
}

unsigned int kmem_cache_nr_tallocated(struct kmem_cache *cache)
{
	return __atomic_load_n(&cache->nr_tallocated, __ATOMIC_RELAXED);
}

void kmem_cache_zero_nr_tallocated(struct kmem_cache *cache)
{
	pthread_mutex_lock(&cache->lock);
	cache->nr_tallocated = 0;
	pthread_mutex_unlock(&cache->lock);
}

/* --------------------------------------------------------------- kmalloc */

void *kmalloc(size_t size, gfp_t gfp)
{
	void *objp;

	/* kmalloc() has no non-kernel budget: only an injected failure fails. */
	if (harness_inject_failure(1) >= 0)
		return NULL;
	objp = (gfp & __GFP_ZERO) ? calloc(1, size ? size : 1) :
				    malloc(size ? size : 1);
	if (!objp)
		return NULL;
	__atomic_fetch_add(&nr_allocated, 1, __ATOMIC_RELAXED);
	if (kmalloc_verbose)
		printf("kmalloc %p (%zu bytes)\n", objp, size);
	return objp;
}

void *krealloc(const void *objp, size_t size, gfp_t gfp)
{
	void *ret;

	if (!objp)
		return kmalloc(size, gfp);
	if (harness_inject_failure(1) >= 0)
		return NULL;
	ret = realloc((void *)objp, size ? size : 1);
	return ret;
}

void kfree(const void *objp)
{
	if (!objp)
		return;
	__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
	if (kmalloc_verbose)
		printf("kfree %p\n", objp);
	free((void *)objp);
}

/* ------------------------------------------------------------ the start */

#ifdef HARNESS_RELEASE
/*
 * The installed library (make install) starts itself: a program linked
 * with libmaple may use a tree without calling maple_tree_init() first.
 * Calling it again is harmless (ours keeps the cache it made).  It lives
 * here, in an object every program using a tree links in, so that the
 * static library brings it along too.  The harness's own programs call
 * maple_tree_init() themselves, whatever the subject.
 */
__attribute__((constructor)) static void harness_start_library(void)
{
	maple_tree_init();
}
#endif
