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
 * slabs, as the kernel packs them into pages, cut from 2 MiB arenas on
 * huge pages as the kernel's direct map has them ("Slab memory").  At exit every cached free
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
#include <sys/mman.h>

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
	unsigned int sheaf_capacity;	/* objects of a full sheaf, 0: none */
	unsigned int nr_sheaves;	/* sheaves handed out, not returned */
	struct slab_sheaf *spare;	/* a returned sheaf kept for reuse */
	unsigned int refs;		/* creations it answered, under caches_lock */

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

/*
 * An earlier cache made with the same name, size, alignment and flags and
 * no constructor, or NULL.  The kernel's slab merges such caches too
 * (an alias, counted); here it lets the library start itself before main()
 * and a program, or a kernel subject's maple_tree_init(), create the node
 * cache again without leaving the first one behind.  Caller holds
 * caches_lock.
 */
static struct kmem_cache *find_mergeable(const char *name, unsigned int size,
					 unsigned int align, unsigned int flags,
					 void (*ctor)(void *))
{
	struct kmem_cache *cache;

	if (ctor)
		return NULL;
	for (cache = all_caches; cache; cache = cache->next_cache)
		if (!cache->ctor && cache->size == size &&
		    cache->align == align && cache->flags == flags &&
		    !strcmp(cache->name, name))
			return cache;
	return NULL;
}

struct kmem_cache *
__kmem_cache_create(const char *name, unsigned int size, unsigned int align,
		    unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *cache;

	if (align < sizeof(void *))
		align = sizeof(void *);
	BUG_ON(align & (align - 1));
	/* Word 0 links free objects: every object holds at least a pointer. */
	if (size < sizeof(void *))
		size = sizeof(void *);
	pthread_mutex_lock(&caches_lock);
	cache = find_mergeable(name, size, align, flags, ctor);
	if (cache) {
		cache->refs++;
		pthread_mutex_unlock(&caches_lock);
		return cache;
	}
	pthread_mutex_unlock(&caches_lock);

	cache = calloc(1, sizeof(*cache));
	if (!cache) {
		if (flags & SLAB_PANIC)
			BUG();
		return NULL;
	}
	pthread_mutex_init(&cache->lock, NULL);
	cache->name = name;
	cache->size = size;
	cache->align = align;
	cache->flags = flags;
	cache->ctor = ctor;
	cache->refs = 1;
	pthread_mutex_lock(&caches_lock);
	cache->next_cache = all_caches;
	all_caches = cache;
	pthread_mutex_unlock(&caches_lock);
	return cache;
}

/*
 * The 6.12+ form: the arguments in a struct, NULL for the defaults.  A
 * sheaf capacity makes kmem_cache_prefill_sheaf() usable on the cache.
 */
struct kmem_cache *__kmem_cache_create_args(const char *name,
					    unsigned int size,
					    struct kmem_cache_args *args,
					    unsigned int flags)
{
	struct kmem_cache_args none = { 0 };
	struct kmem_cache *cache;

	if (!args)
		args = &none;
	cache = __kmem_cache_create(name, size, args->align, flags,
				    args->ctor);
	if (cache)
		cache->sheaf_capacity = args->sheaf_capacity;
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

/*
 * Where an object came from
 * -------------------------
 * kfree() takes any object, as the kernel's does: kmalloc()'s, and since
 * 7.x's maple tree frees its nodes so, any cache's.  So every object can
 * name its owner:
 *
 *   kmalloc():         [ header | object ... ]     header = tag, size
 *   a cache, one by    [ pad .. | header | object ]  header = tag, cache
 *     one (debug, SAN)
 *   a cache's slab     [ header | pad | obj | obj | ... ]  header = tag,
 *     (HARNESS_SLABS)    cache; the slab is aligned to its size, so an
 *                        object's address rounded down finds it
 *
 * A tag is a kind's constant XOR the address it describes, so stale bytes
 * that happen to hold a constant do not pass for a header.  The header
 * lies outside the object: poison, valgrind's marks and ASan's bounds
 * cover the object alone.
 */
struct obj_header {
	uintptr_t tag;		/* OBJ_TAG_* ^ the address described */
	uintptr_t owner;	/* the struct kmem_cache, or kmalloc()'s size */
};
#define OBJ_TAG_KMALLOC		((uintptr_t)0x6b6d616c6c6f6321ULL)
#define OBJ_TAG_CACHE		((uintptr_t)0x6b6d656d63616321ULL)
#define OBJ_TAG_SLAB		((uintptr_t)0x736c6162736c6121ULL)
#define OBJ_HEADER_BYTES	16U	/* keeps objects 16-byte aligned */

static inline uintptr_t obj_tag(uintptr_t kind, const void *addr)
{
	return kind ^ (uintptr_t)addr;
}

/* The header in front of an object allocated on its own. */
static inline struct obj_header *obj_header(const void *objp)
{
	return (struct obj_header *)((char *)objp - OBJ_HEADER_BYTES);
}

/* Room in front of a cache's objects: a header, rounded to the alignment. */
static unsigned int obj_pad(const struct kmem_cache *cache)
{
	return cache->align > OBJ_HEADER_BYTES ? cache->align : OBJ_HEADER_BYTES;
}

/* One object of @cache on its own, with its header; lock held. */
static void *cache_new_object(struct kmem_cache *cache)
{
	struct obj_header *head;
	void *base;
	char *objp;

	if (posix_memalign(&base, obj_pad(cache), obj_pad(cache) + cache->size))
		return NULL;
	objp = (char *)base + obj_pad(cache);
	head = obj_header(objp);
	head->tag = obj_tag(OBJ_TAG_CACHE, objp);
	head->owner = (uintptr_t)cache;
	return objp;
}

#ifdef HARNESS_SLABS
static bool cache_uses_slabs(const struct kmem_cache *cache);
#endif

/* Are @cache's objects carved from slabs (and never freed one by one)? */
static bool cache_carves(const struct kmem_cache *cache)
{
#ifdef HARNESS_SLABS
	return cache_uses_slabs(cache);
#else
	(void)cache;
	return false;
#endif
}

/* Give an object allocated on its own back to the C library. */
static void cache_free_object(struct kmem_cache *cache, void *objp)
{
	obj_header(objp)->tag = 0;
	free((char *)objp - obj_pad(cache));
}

#ifdef HARNESS_SLABS
/*
 * Slabs: in optimised builds, objects are carved side by side from blocks
 * of HARNESS_SLAB_BYTES, as the kernel packs them into pages.  One
 * posix_memalign() per object would place each node of 256 bytes at a
 * stride of 512 (the C library's header needs room before the alignment),
 * and the harness, not the tree, would decide how many nodes share a page.
 * An object from a slab can't go back to the C library on its own, so a
 * freed one always stays on the free stack; the slabs go back to the slab
 * pool (below) when the cache is destroyed with nothing allocated, or
 * shrunk.  Debug and sanitizer builds
 * keep one allocation per object, where overruns show.
 */
#define HARNESS_SLAB_BYTES	(64U * 1024)

/* Distance between neighbouring objects of a slab. */
static unsigned int cache_stride(const struct kmem_cache *cache)
{
	return (cache->size + cache->align - 1) & ~(cache->align - 1);
}

/*
 * Does @cache carve its objects from slabs?  Only when at least four fit,
 * so that a slab is one aligned block of HARNESS_SLAB_BYTES and kfree()
 * finds the cache of an object by rounding its address down (obj_owner());
 * larger objects are allocated one by one, with a header.
 */
static bool cache_uses_slabs(const struct kmem_cache *cache)
{
	return obj_pad(cache) + 4 * cache_stride(cache) <= HARNESS_SLAB_BYTES;
}

/*
 * Slab memory, mapped as the kernel maps it.  The kernel's slab pages lie
 * in its direct map, which x86-64 and arm64 map with 2 MiB (or 1 GiB)
 * pages: a walk from node to node seldom misses the TLB there.  Slabs of
 * 64 KiB spread over 4 KiB pages would make every node of a large tree a
 * TLB miss of its own, a cost no kernel pays, and one that also blunts a
 * tree's software prefetches (measured on this project's machine: see
 * docs/harness.md, "Slab memory").  So slabs are
 * cut from arenas of 2 MiB, aligned to 2 MiB and offered to transparent
 * huge pages with madvise(); where the system does not give huge pages
 * (THP off), the arenas are ordinary memory and nothing else changes.
 *
 *   arena (2 MiB) ── [ slab | slab | ... | slab ]   32 slabs of 64 KiB
 *   slab_pool.free ── slab ─> slab ─> NULL           given back, reused first
 *
 * A slab given back by a cache goes to the pool's free list (linked through
 * its first word) for any cache; the arenas go back to the C library at
 * exit, once every slab has come back.
 */
#define HARNESS_ARENA_BYTES	(2U * 1024 * 1024)
#define SLABS_PER_ARENA		(HARNESS_ARENA_BYTES / HARNESS_SLAB_BYTES)

static struct {
	pthread_mutex_t lock;	/* protects every field below */
	void *free;		/* slabs given back, linked through word 0 */
	char *next;		/* the next slab to cut from the newest arena */
	unsigned int left;	/* slabs left to cut from it */
	unsigned long out;	/* slabs handed out and not given back */
	void **arenas;		/* every arena, for the exit */
	unsigned int nr_arenas;
} slab_pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* A new arena to cut slabs from; pool lock held.  False when memory is short. */
static bool slab_pool_grow(void)
{
	void **grown;
	void *arena;

	grown = realloc(slab_pool.arenas,
			(slab_pool.nr_arenas + 1) * sizeof(*grown));
	if (!grown)
		return false;
	slab_pool.arenas = grown;
	if (posix_memalign(&arena, HARNESS_ARENA_BYTES, HARNESS_ARENA_BYTES))
		return false;
#if defined(MADV_HUGEPAGE) && !defined(HARNESS_SLAB_NO_THP) && \
	!defined(HARNESS_RELEASE)
	/*
	 * A hint: refused (THP off, or not built in), the arena still works.
	 * Not in the installed library, where a program with a small tree
	 * would pay 2 MiB of memory at its first node.
	 */
	(void)madvise(arena, HARNESS_ARENA_BYTES, MADV_HUGEPAGE);
#endif
	slab_pool.arenas[slab_pool.nr_arenas++] = arena;
	slab_pool.next = arena;
	slab_pool.left = SLABS_PER_ARENA;
	return true;
}

/* One slab of HARNESS_SLAB_BYTES, aligned to its size, or NULL. */
static void *slab_pool_get(void)
{
	void *slab = NULL;

	pthread_mutex_lock(&slab_pool.lock);
	if (slab_pool.free) {
		slab = slab_pool.free;
		slab_pool.free = *(void **)slab;
	} else if (slab_pool.left || slab_pool_grow()) {
		slab = slab_pool.next;
		slab_pool.next += HARNESS_SLAB_BYTES;
		slab_pool.left--;
	}
	if (slab)
		slab_pool.out++;
	pthread_mutex_unlock(&slab_pool.lock);
	return slab;
}

/* Give back a slab none of whose objects is in use. */
static void slab_pool_put(void *slab)
{
	pthread_mutex_lock(&slab_pool.lock);
	*(void **)slab = slab_pool.free;
	slab_pool.free = slab;
	slab_pool.out--;
	pthread_mutex_unlock(&slab_pool.lock);
}

/* At exit: the arenas back to the C library, if every slab came back. */
static void slab_pool_drain(void)
{
	pthread_mutex_lock(&slab_pool.lock);
	if (!slab_pool.out) {
		while (slab_pool.nr_arenas)
			free(slab_pool.arenas[--slab_pool.nr_arenas]);
		free(slab_pool.arenas);
		slab_pool.arenas = NULL;
		slab_pool.free = NULL;
		slab_pool.left = 0;
	}
	pthread_mutex_unlock(&slab_pool.lock);
}

/* Start a new slab; lock held.  False when memory is short. */
static bool cache_new_slab(struct kmem_cache *cache)
{
	unsigned int stride = cache_stride(cache);
	struct obj_header *head;
	void **grown;
	void *slab;

	grown = realloc(cache->slabs, (cache->nr_slabs + 1) * sizeof(*grown));
	if (!grown)
		return false;
	cache->slabs = grown;
	slab = slab_pool_get();
	if (!slab)
		return false;
	/* The slab's header names its cache; the objects follow it. */
	head = slab;
	head->tag = obj_tag(OBJ_TAG_SLAB, slab);
	head->owner = (uintptr_t)cache;
	cache->slabs[cache->nr_slabs++] = slab;
	cache->slab_next = (char *)slab + obj_pad(cache);
	cache->slab_left = (HARNESS_SLAB_BYTES - obj_pad(cache)) / stride;
	return true;
}

/* Give every slab back; only when no object is allocated.  Lock held. */
static void cache_free_slabs(struct kmem_cache *cache)
{
	if (cache->nr_allocated)
		return;		/* objects still in use: keep their memory */
	while (cache->nr_slabs)
		slab_pool_put(cache->slabs[--cache->nr_slabs]);
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
	if (cache_uses_slabs(cache)) {
		if (!cache->slab_left && !cache_new_slab(cache))
			return NULL;
		objp = cache->slab_next;
		cache->slab_next += cache_stride(cache);
		cache->slab_left--;
		return objp;
	}
#endif
	return cache_new_object(cache);
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
	if (!cache_carves(cache)) {	/* a slab's object has nowhere else */
		if (cache->free_cap >= HARNESS_FREELIST_MAX)
			return false;
		if (cap > HARNESS_FREELIST_MAX)
			cap = HARNESS_FREELIST_MAX;
	}
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
	if (!cache_carves(cache))	/* else it stays in its slab */
		cache_free_object(cache, objp);
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
		unsigned int cap;

		/* under a bulk mode, a refusal counts for its watchdog */
		if (harness_bulk_mode_now(&cap) != HARNESS_BULK_PLAIN)
			harness_bulk_cut_made();
		if (__atomic_load_n(&harness_bulk_lifted, __ATOMIC_RELAXED))
			return true;	/* a livelock was reported: let it end */
		cache->exec_callback = true;
		return false;
	}
	cache->non_kernel -= nr;
	return true;
}

/*
 * One object, unless an injected failure falls on it (never on a
 * __GFP_NOFAIL request: the kernel's allocator waits instead).  Lock held.
 */
static void *cache_take_locked(struct kmem_cache *cache, gfp_t gfp)
{
#ifdef HARNESS_MUTANT_NOFAIL_FAILS
	gfp &= ~__GFP_NOFAIL;	/* mutant: __GFP_NOFAIL can be failed */
#endif
	if (!(gfp & __GFP_NOFAIL) && harness_inject_failure(1) >= 0)
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
	might_alloc(gfp);
	pthread_mutex_lock(&cache->lock);
	cache_run_callback_locked(cache);
	if (cache_may_allocate(cache, gfp, 1))
		objp = cache_take_locked(cache, gfp);
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
 * How many of a multi-object request (bulk, or a sheaf's required part)
 * the injected bulk mode lets through: @size, or fewer (see
 * harness_bulk_mode() in include/harness.h).  Only a request that could
 * fail in a kernel is cut: one that may not sleep.  A sleeping one waits
 * for memory there, however big, and a caller may rightly retry it until
 * it succeeds.  Lock held.
 */
static size_t cache_bulk_cut(gfp_t gfp, size_t size)
{
	unsigned int cap;

	if (IS_ENABLED(HARNESS_RELEASE) || (gfp & __GFP_NOFAIL) ||
	    gfpflags_allow_blocking(gfp) || size < 2)
		return size;
	switch (harness_bulk_mode_now(&cap)) {
	case HARNESS_BULK_SHORT:
		harness_bulk_cut_made();
		return size / 2;
	case HARNESS_BULK_SIZE_CAP:
		if (size <= cap)
			return size;
		harness_bulk_cut_made();
		return 0;
	default:
		return size;
	}
}

/* Is an injected late failure due on a request with @gfp?  Lock held. */
static bool cache_late_fail(gfp_t gfp)
{
	unsigned int cap;

	if (IS_ENABLED(HARNESS_RELEASE) || (gfp & __GFP_NOFAIL) ||
	    gfpflags_allow_blocking(gfp) ||
	    harness_bulk_mode_now(&cap) != HARNESS_BULK_LATE_FAIL)
		return false;
	harness_bulk_cut_made();
	return true;
}

/*
 * Take @size objects into @p, counting them as the caller's; all or none.
 * Return: how many were taken (@size, or fewer when an injected failure or
 * the C library stopped it; those few are already given back, their stale
 * pointers left in @p).  Lock held.
 */
static size_t cache_take_many_locked(struct kmem_cache *cache, gfp_t gfp,
				     size_t size, void **p)
{
	size_t i, taken;
	long fail;

	if (!cache_may_allocate(cache, gfp, size))
		return 0;
	/* One decision for the whole batch: where an injected failure falls. */
	fail = (gfp & __GFP_NOFAIL) ? -1 : harness_inject_failure(size);
	if (fail < 0 && cache->nr_free >= size) {
		/*
		 * The fast path: the batch is the top of the free stack,
		 * popped in turn, so that @p[0] is the object freed last, as
		 * SLUB's per-CPU freelist hands them out: the warmest in the
		 * cache comes first.
		 */
		for (i = 0; i < size; i++)
			p[i] = cache->free_objs[--cache->nr_free];
		if (cache_checks_objects())
			for (i = 0; i < size; i++)
				cache_check_free_object(cache, p[i]);
		account_alloc(cache, p, size);
		return size;
	}
	for (i = 0; i < size && (long)i != fail; i++) {
		p[i] = cache_get_locked(cache);
		if (!p[i])
			break;
	}
	if (i == size) {
		account_alloc(cache, p, size);
		return size;
	}
	taken = i;
	cache->exec_callback = true;
	for (i = 0; i < taken; i++) {
		cache_put_locked(cache, p[i]);
#ifdef HARNESS_MUTANT_NO_STALE
		p[i] = NULL;	/* mutant: tidy the array */
#endif
	}
	return taken;
}

/* Give back @nr objects the caller had counted; lock held. */
static void cache_untake_locked(struct kmem_cache *cache, size_t nr, void **p)
{
	size_t i;

	BUG_ON(cache->nr_allocated < nr);
	cache->nr_allocated -= nr;
	__atomic_fetch_sub(&nr_allocated, nr, __ATOMIC_RELAXED);
	for (i = 0; i < nr; i++)
		cache_put_locked(cache, p[i]);
}

/*
 * kmem_cache_alloc_bulk() - fill @p with @size objects, all or nothing.
 *
 * Return: in the subject's convention (linux/slab.h), @size or true on
 * success, 0 or false on failure.  On failure the objects already taken
 * are freed again, but their pointers stay in @p: the kernel behaves the
 * same, and a caller that frees them twice is caught.  The injected bulk
 * modes add what a real allocator may do and this one otherwise would not:
 * a short count (6.x's int allows one: those objects are the caller's to
 * free), every object taken and then a failure reported, and a cap on the
 * size of a request.
 */
harness_bulk_ret_t kmem_cache_alloc_bulk(struct kmem_cache *cache, gfp_t gfp,
					 size_t size, void **p)
{
	size_t want, got;
	size_t i;

	if (!size)
		return 0;
	might_alloc(gfp);
	pthread_mutex_lock(&cache->lock);
	cache_run_callback_locked(cache);
	want = cache_bulk_cut(gfp, size);
	if (want < size && (HARNESS_SLAB_API >= 7 || !want)) {
		/* a bool cannot say "some": the request fails whole */
		cache->exec_callback = true;
		pthread_mutex_unlock(&cache->lock);
		return 0;
	}
	got = cache_take_many_locked(cache, gfp, want, p);
	if (got == size && cache_late_fail(gfp)) {
		/* every object taken, then a late step fails: all go back */
		cache_untake_locked(cache, got, p);
		cache->exec_callback = true;
		got = 0;
	}
	pthread_mutex_unlock(&cache->lock);
#ifdef HARNESS_MUTANT_BULK_PARTIAL
	return got;	/* mutant: report a partial fill it gave back */
#endif
	if (got != want)
		return 0;
	if (gfp & __GFP_ZERO || cache->ctor)
		for (i = 0; i < got; i++)
			init_object(cache, p[i], gfp);
	return got;	/* all, or a short count of a 6.x-style cut */
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

/* ------------------------------------------------------------ sheaves */

/*
 * Slab sheaves (Linux 6.18 and later), with the kernel's semantics:
 *
 *   sheaf ──> [ obj | obj | ... | obj | (room) ... ]   size of capacity
 *
 * A sheaf is an array of objects a caller owns between
 * kmem_cache_prefill_sheaf() and kmem_cache_return_sheaf(): allocations
 * from it cannot fail while it holds objects, and fail (NULL) once it is
 * empty, with no fallback to the cache.
 *
 *  - prefill(size): size 0 gives NULL.  Up to the cache's sheaf_capacity
 *    the sheaf is a regular one: the cache's spare sheaf if it has one
 *    (the kernel's per-CPU spare), else a new one; when it holds fewer
 *    than @size objects it is filled.  Above the capacity it is an
 *    oversize sheaf of exactly @size, filled all or nothing.  A fill that
 *    fails gives everything back and the prefill returns NULL.
 *  - refill(&sheaf, size): nothing to do when the sheaf holds @size.
 *    A regular sheaf is filled up; a fill that fails part way keeps what
 *    it got in the sheaf and returns -ENOMEM.  An oversize sheaf with room
 *    is filled to its capacity, all or nothing.  A sheaf too small is
 *    replaced by a new oversize one (the old one returned), or, failing
 *    that, left as it was with -ENOMEM.
 *  - return: a regular sheaf becomes the cache's spare when there is none,
 *    objects and all; otherwise, and always for an oversize sheaf, its
 *    objects go back to the cache and the sheaf is freed.
 *
 * The fill: the objects a request needs are allocated as any object is
 * (gfp rules, the non-kernel budget, injected failures and the bulk modes,
 * one unit each), so that every object a subject may take is a point the
 * failure sweeps can fail.  In the kernel a regular sheaf also comes back
 * topped up to its capacity, and a returned one is kept as the spare:
 * harness_sheaf_fill(HARNESS_SHEAF_KERNEL) does that here too, topping up
 * from the cache's free objects first, as the kernel's refill finds them
 * in its per-CPU caches, and spending no budget and meeting no injected
 * failure: only the part asked for is a point of failure.  The
 * default, HARNESS_SHEAF_EXACT, fills what was asked and frees a returned
 * sheaf, as the kernel's own tools/testing does, so that a budget of N
 * non-blocking objects means N whatever the subject's allocator.
 *
 * Accounting: objects in a sheaf are not the caller's yet and are not
 * counted in nr_allocated; kmem_cache_alloc_from_sheaf() counts each one it
 * hands out.  The sheaf itself counts as one allocated object while a
 * caller holds it, so a sheaf never returned shows as a leak, and its
 * objects never leak or go back twice: they are freed only by the return.
 */
struct slab_sheaf {
	struct kmem_cache *cache;	/* whose objects it holds */
	unsigned int capacity;		/* room in objects[] */
	unsigned int size;		/* objects held, objects[0..size) */
	void *objects[];		/* handed out from the top */
};

static unsigned long sheaves_out;	/* atomic: sheaves callers hold */
/*
 * harness_sheaf_fill(): the checks' builds fill exactly (budgets and
 * failure points mean what they say); optimised builds, which the
 * benchmarks use, fill as SLUB does, so that a subject that allocates
 * through sheaves pays what it pays in a kernel, one refill per sheaf
 * and not one per request.
 */
#ifdef HARNESS_SHEAF_KERNEL_FILL
static int sheaf_fill = HARNESS_SHEAF_KERNEL;
#else
static int sheaf_fill = HARNESS_SHEAF_EXACT;
#endif

enum harness_sheaf_fill harness_sheaf_fill(enum harness_sheaf_fill mode)
{
	return (enum harness_sheaf_fill)__atomic_exchange_n(&sheaf_fill,
							    (int)mode,
							    __ATOMIC_RELAXED);
}

/* Does the kernel's way apply: top-up and a spare?  */
static bool sheaf_kernel_fill(void)
{
	return __atomic_load_n(&sheaf_fill, __ATOMIC_RELAXED) ==
	       HARNESS_SHEAF_KERNEL;
}

static unsigned long sheaves_made;	/* atomic: sheaf structs kmalloc()ed */

unsigned long harness_sheaves_made(void)
{
	return __atomic_load_n(&sheaves_made, __ATOMIC_RELAXED);
}

unsigned long harness_sheaves_out(void)
{
	return __atomic_load_n(&sheaves_out, __ATOMIC_RELAXED);
}

/* A new, empty sheaf with room for @capacity (kmalloc()'s rules). */
static struct slab_sheaf *sheaf_new(struct kmem_cache *cache, gfp_t gfp,
				    unsigned int capacity)
{
	struct slab_sheaf *sheaf;

	sheaf = kmalloc(sizeof(*sheaf) + capacity * sizeof(void *),
			gfp & ~__GFP_ZERO);
	if (!sheaf)
		return NULL;
	__atomic_fetch_add(&sheaves_made, 1, __ATOMIC_RELAXED);
	sheaf->cache = cache;
	sheaf->capacity = capacity;
	sheaf->size = 0;
	return sheaf;
}

/* Its objects back to the cache, as free objects (not counted); lock held. */
static void sheaf_flush_locked(struct kmem_cache *cache,
			       struct slab_sheaf *sheaf)
{
	while (sheaf->size)
		cache_put_locked(cache, sheaf->objects[--sheaf->size]);
}

/*
 * Fill @sheaf to hold @need objects, allocated as ordinary objects would
 * be, then uncounted: they are the sheaf's.  @whole: all of them or none
 * (an oversize sheaf's bulk fill); else what could be had stays, as the
 * kernel's refill keeps a part.  Return: 0 or -ENOMEM.  Lock held.
 */
static int sheaf_fill_locked(struct kmem_cache *cache, gfp_t gfp,
			     struct slab_sheaf *sheaf, unsigned int need,
			     bool whole)
{
	void **slot = sheaf->objects + sheaf->size;
	size_t gap, want, got;

	if (sheaf->size >= need)
		return 0;
	gap = need - sheaf->size;
	want = cache_bulk_cut(gfp, gap);
	if (whole && want < gap)
		want = 0;		/* all or nothing takes no part */
	else if (!whole && want == gap && gap > 1 && cache_late_fail(gfp))
		want = gap - 1;		/* all came but the last */
	got = want ? cache_take_many_locked(cache, gfp, want, slot) : 0;
	if (got != want)
		got = 0;		/* a batch that stopped gave itself back */
	if (whole && got && cache_late_fail(gfp)) {
		cache_untake_locked(cache, got, slot);
		got = 0;		/* every object taken, then it failed */
	}
	/* they are the sheaf's now, not the caller's */
	BUG_ON(cache->nr_allocated < got);
	cache->nr_allocated -= got;
	__atomic_fetch_sub(&nr_allocated, got, __ATOMIC_RELAXED);
	sheaf->size += got;
	if (sheaf->size >= need)
		return 0;
	cache->exec_callback = true;
	return -ENOMEM;
}

/* Top @sheaf up to its capacity from the cache's free objects; lock held. */
static void sheaf_top_up_locked(struct kmem_cache *cache,
				struct slab_sheaf *sheaf)
{
	void *objp;

#ifdef HARNESS_MUTANT_SHEAF_NO_TOPUP
	return;		/* mutant: a sheaf holds only what was asked */
#endif
	if (!sheaf_kernel_fill())
		return;
	while (sheaf->size < sheaf->capacity) {
		objp = cache_get_locked(cache);	/* free ones first */
		if (!objp)
			break;
		sheaf->objects[sheaf->size++] = objp;
	}
}

struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *cache,
					    gfp_t gfp, unsigned int size)
{
	bool oversize = size > cache->sheaf_capacity;
	struct slab_sheaf *sheaf = NULL;

	if (!size)
		return NULL;
	might_alloc(gfp);
	pthread_mutex_lock(&cache->lock);
	cache_run_callback_locked(cache);
	if (!oversize && cache->spare) {
		sheaf = cache->spare;
		cache->spare = NULL;
	}
	pthread_mutex_unlock(&cache->lock);
	if (!sheaf) {
		sheaf = sheaf_new(cache, gfp, oversize ? size : cache->sheaf_capacity);
		if (!sheaf)
			return NULL;
	} else {
		/* the spare was the cache's: it is a caller's allocation again */
		__atomic_fetch_add(&nr_allocated, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&cache->lock);
	if (sheaf_fill_locked(cache, gfp, sheaf, size, oversize)) {
		sheaf_flush_locked(cache, sheaf);
		pthread_mutex_unlock(&cache->lock);
		kfree(sheaf);
		return NULL;
	}
	if (!oversize)
		sheaf_top_up_locked(cache, sheaf);
	cache->nr_sheaves++;
	pthread_mutex_unlock(&cache->lock);
	__atomic_fetch_add(&sheaves_out, 1, __ATOMIC_RELAXED);
	return sheaf;
}

int kmem_cache_refill_sheaf(struct kmem_cache *cache, gfp_t gfp,
			    struct slab_sheaf **sheafp, unsigned int size)
{
	struct slab_sheaf *sheaf, *bigger;
	int ret;

	if (!sheafp || !*sheafp)
		return -EINVAL;
	sheaf = *sheafp;
	BUG_ON(sheaf->cache != cache);
	if (sheaf->size >= size)
		return 0;
	might_alloc(gfp);
	if (size <= sheaf->capacity) {
		bool oversize = sheaf->capacity != cache->sheaf_capacity;

		pthread_mutex_lock(&cache->lock);
		cache_run_callback_locked(cache);
		ret = sheaf_fill_locked(cache, gfp, sheaf,
					oversize ? sheaf->capacity : size,
					oversize);
		if (!ret && !oversize)
			sheaf_top_up_locked(cache, sheaf);
		pthread_mutex_unlock(&cache->lock);
		return ret;
	}
	/* Too small: a new oversize sheaf, or nothing changes. */
	bigger = kmem_cache_prefill_sheaf(cache, gfp, size);
	if (!bigger)
		return -ENOMEM;
	kmem_cache_return_sheaf(cache, gfp, sheaf);
	*sheafp = bigger;
	return 0;
}

void kmem_cache_return_sheaf(struct kmem_cache *cache, gfp_t gfp,
			     struct slab_sheaf *sheaf)
{
	(void)gfp;
	BUG_ON(sheaf->cache != cache);
	BUG_ON(!__atomic_load_n(&sheaves_out, __ATOMIC_RELAXED));
	__atomic_fetch_sub(&sheaves_out, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&cache->lock);
	BUG_ON(!cache->nr_sheaves);
	cache->nr_sheaves--;
	if (!cache->spare && sheaf->capacity == cache->sheaf_capacity &&
	    sheaf_kernel_fill()) {
		cache->spare = sheaf;	/* kept whole, objects and all */
		pthread_mutex_unlock(&cache->lock);
		__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
		return;
	}
	sheaf_flush_locked(cache, sheaf);
	pthread_mutex_unlock(&cache->lock);
	kfree(sheaf);
}

void *kmem_cache_alloc_from_sheaf(struct kmem_cache *cache, gfp_t gfp,
				  struct slab_sheaf *sheaf)
{
	void *objp;

	BUG_ON(sheaf->cache != cache);
#ifdef HARNESS_MUTANT_SHEAF_FALLBACK
	if (!sheaf->size)	/* mutant: a dry sheaf falls back */
		return kmem_cache_alloc(cache, gfp);
#endif
	if (!sheaf->size)
		return NULL;	/* no fallback to the cache */
	objp = sheaf->objects[--sheaf->size];
	pthread_mutex_lock(&cache->lock);
	account_alloc(cache, &objp, 1);
	pthread_mutex_unlock(&cache->lock);
	init_object(cache, objp, gfp);
	return objp;
}

unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}

/* The cache's spare sheaf, objects and all, goes; lock held. */
static void cache_drop_spare_locked(struct kmem_cache *cache)
{
	struct slab_sheaf *spare = cache->spare;

	if (!spare)
		return;
	cache->spare = NULL;
	sheaf_flush_locked(cache, spare);
	/* a spare is not counted as allocated: free it around kfree()'s count */
	__atomic_fetch_add(&nr_allocated, 1, __ATOMIC_RELAXED);
	kfree(spare);
}

/* Return the cached free objects to the C library. */
int kmem_cache_shrink(struct kmem_cache *cache)
{
	pthread_mutex_lock(&cache->lock);
	cache_drop_spare_locked(cache);
#ifdef HARNESS_SLABS
	/* Only a cache with nothing allocated has slabs with nothing in use. */
	if (cache_carves(cache)) {
		cache_free_slabs(cache);
		if (cache->nr_free) {
			pthread_mutex_unlock(&cache->lock);
			return 0;
		}
	}
#endif
	while (cache->nr_free) {
		void *objp = cache->free_objs[--cache->nr_free];

		VALGRIND_MAKE_MEM_DEFINED(objp, cache->size);
		cache_free_object(cache, objp);
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
	pthread_mutex_lock(&caches_lock);
	if (--cache->refs) {		/* a merged creation: others use it */
		pthread_mutex_unlock(&caches_lock);
		return;
	}
	pthread_mutex_unlock(&caches_lock);
	if (cache->nr_allocated)
		pr_err("kmem_cache_destroy %s: %u objects still allocated\n",
		       cache->name, cache->nr_allocated);
	if (cache->nr_sheaves)
		pr_err("kmem_cache_destroy %s: %u sheaves never returned\n",
		       cache->name, cache->nr_sheaves);
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
#ifdef HARNESS_SLABS
	slab_pool_drain();
#endif
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
	struct obj_header *head;
	char *objp;

	/*
	 * kmalloc() has no non-kernel budget: only an injected failure fails
	 * it, and never a __GFP_NOFAIL one.
	 */
	might_alloc(gfp);
	if (!(gfp & __GFP_NOFAIL) && harness_inject_failure(1) >= 0)
		return NULL;
	head = (gfp & __GFP_ZERO) ? calloc(1, OBJ_HEADER_BYTES + size) :
				    malloc(OBJ_HEADER_BYTES + size);
	if (!head)
		return NULL;
	objp = (char *)head + OBJ_HEADER_BYTES;
	head->tag = obj_tag(OBJ_TAG_KMALLOC, objp);
	head->owner = size;
	__atomic_fetch_add(&nr_allocated, 1, __ATOMIC_RELAXED);
	if (kmalloc_verbose)
		printf("kmalloc %p (%zu bytes)\n", objp, size);
	return objp;
}

/* Is @objp kmalloc()'s?  Its header says so. */
static bool obj_is_kmalloc(const void *objp)
{
	return obj_header(objp)->tag == obj_tag(OBJ_TAG_KMALLOC, objp);
}

void *krealloc(const void *objp, size_t size, gfp_t gfp)
{
	struct obj_header *head;
	char *ret;

	if (!objp)
		return kmalloc(size, gfp);
	BUG_ON(!obj_is_kmalloc(objp));
	if (!(gfp & __GFP_NOFAIL) && harness_inject_failure(1) >= 0)
		return NULL;
	head = realloc(obj_header(objp), OBJ_HEADER_BYTES + size);
	if (!head)
		return NULL;
	ret = (char *)head + OBJ_HEADER_BYTES;
	head->tag = obj_tag(OBJ_TAG_KMALLOC, ret);
	head->owner = size;
	return ret;
}

/*
 * The cache an object of some cache belongs to, from its header or its
 * slab's; NULL when @objp is no object of any cache.
 */
static struct kmem_cache *obj_cache(const void *objp)
{
	const struct obj_header *head = obj_header(objp);

	if (head->tag == obj_tag(OBJ_TAG_CACHE, objp))
		return (struct kmem_cache *)head->owner;
#ifdef HARNESS_SLABS
	head = (const void *)((uintptr_t)objp & ~(uintptr_t)(HARNESS_SLAB_BYTES - 1));
	if (head->tag == obj_tag(OBJ_TAG_SLAB, head))
		return (struct kmem_cache *)head->owner;
#endif
	return NULL;
}

/*
 * kfree() - free kmalloc()'s object, or any cache's, as the kernel's does.
 * A pointer neither handed out is a bug, and says so.
 */
void kfree(const void *objp)
{
	struct kmem_cache *cache;

	if (!objp)
		return;
	if (obj_is_kmalloc(objp)) {
		__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
		if (kmalloc_verbose)
			printf("kfree %p\n", objp);
		obj_header(objp)->tag = 0;
		free(obj_header(objp));
		return;
	}
	cache = obj_cache(objp);
	if (!cache) {
		fprintf(stderr, "kfree(%p): not an object kmalloc() or a cache "
			"handed out (freed twice?)\n", objp);
		BUG();
	}
	kmem_cache_free(cache, (void *)objp);
}

/* ------------------------------------------------------------ the start */

/*
 * The library starts itself, in every build: a program linked with
 * libmaple (make install) or libmaple-harness.a (make lib) may use a tree
 * without calling maple_tree_init() first.  Calling it again is harmless:
 * ours keeps the cache it made, and a kernel subject's second
 * kmem_cache_create() of the node cache merges with the first (above).
 * It lives here, in an object every program using a tree links in, so
 * that a static library brings it along too.
 */
__attribute__((constructor)) static void harness_start_library(void)
{
	maple_tree_init();
}
