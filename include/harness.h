/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the userspace harness adds to the kernel API: allocator test hooks,
 * accounting, thread registration and the driver's knobs.  Kernel code under
 * test never needs this header; test modules and checks do.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <linux/types.h>

struct kmem_cache;

/* --- kmem_cache test hooks (linux.c) --- */

/*
 * Allow the next @budget allocations without __GFP_DIRECT_RECLAIM from
 * @cache to succeed; after that they fail.  Each object counts, bulk too.
 */
void kmem_cache_set_non_kernel(struct kmem_cache *cache, unsigned int budget);
/* Call @callback(private) once, from the allocation that follows a failure. */
void kmem_cache_set_callback(struct kmem_cache *cache, void (*callback)(void *));
void kmem_cache_set_private(struct kmem_cache *cache, void *private);
/* Bytes of @cache's objects allocated now. */
unsigned long kmem_cache_get_alloc(struct kmem_cache *cache);
/* Objects of @cache allocated now / since the last zeroing. */
unsigned int kmem_cache_nr_allocated(struct kmem_cache *cache);
unsigned int kmem_cache_nr_tallocated(struct kmem_cache *cache);
void kmem_cache_zero_nr_tallocated(struct kmem_cache *cache);
/*
 * Fail the allocation that comes @n allocations from now (0: the next one),
 * whatever its gfp, in any cache; -1 switches this off.  Counts objects.
 */
void harness_fail_nth_alloc(long n);
/*
 * Bulk modes: what a real allocator may do with a request for several
 * objects (kmem_cache_alloc_bulk(), a sheaf's fill) that this one does not
 * do by itself, to the requests that may fail in a kernel: those that may
 * not sleep (no __GFP_DIRECT_RECLAIM).  Single-object allocations,
 * sleeping and __GFP_NOFAIL requests are never touched.
 *   HARNESS_BULK_PLAIN      all or nothing, as SLUB does (the default)
 *   HARNESS_BULK_SHORT      half of the request: a 6.x bulk returns that
 *                           short count (its objects are the caller's to
 *                           free); 7.x's bool and an oversize sheaf fail
 *                           whole; a sheaf's refill keeps the half and
 *                           returns -ENOMEM
 *   HARNESS_BULK_LATE_FAIL  every object taken, then a failure reported:
 *                           a bulk gives them back itself (stale pointers
 *                           stay in the array); a sheaf's refill keeps all
 *                           but the last in the sheaf and returns -ENOMEM,
 *                           so the caller must return the sheaf
 *   HARNESS_BULK_SIZE_CAP   requests of more than @cap objects fail whole,
 *                           smaller ones succeed
 */
enum harness_bulk_mode {
	HARNESS_BULK_PLAIN,
	HARNESS_BULK_SHORT,
	HARNESS_BULK_LATE_FAIL,
	HARNESS_BULK_SIZE_CAP,
};
void harness_bulk_mode(enum harness_bulk_mode mode, unsigned int cap);
enum harness_bulk_mode harness_bulk_mode_now(unsigned int *cap);
/*
 * Times a caller retried cut requests 10,000 times under one setting of
 * the mode (a livelock): the mode was then lifted so that it could finish.
 */
extern unsigned long harness_bulk_livelocks;
/*
 * How a sheaf is filled (linux.c, "sheaves"): EXACT holds what was asked
 * and a returned sheaf is freed (the default of the checks' builds); KERNEL tops a sheaf up to
 * its capacity (free objects first, no budget, no injected failure) and
 * keeps a returned one as the cache's spare, as SLUB does.
 */
enum harness_sheaf_fill {
	HARNESS_SHEAF_EXACT,
	HARNESS_SHEAF_KERNEL,
};
/* Returns the mode it replaces.  Optimised builds start in KERNEL. */
enum harness_sheaf_fill harness_sheaf_fill(enum harness_sheaf_fill mode);
/* Sheaves callers hold now (kmem_cache_prefill_sheaf() not yet returned). */
unsigned long harness_sheaves_out(void);
/* Sheaf structs allocated since start (each an allocation point). */
unsigned long harness_sheaves_made(void);

/* True while an injected failure is armed and has not happened yet. */
bool harness_fail_pending(void);
/* Allocations seen since start, bulk objects counted one by one. */
unsigned long harness_alloc_count(void);

/* Objects allocated from every cache and kmalloc, not yet freed. */
extern long nr_allocated;
/*
 * Objects a kernel subject leaked in a misbehaviour a check reproduced and
 * reported (never set for our tree): the driver does not count them.
 */
extern long harness_subject_leaked;
/* Print every allocation and free. */
extern int kmalloc_verbose;
/* Poison byte written over freed objects. */
#define HARNESS_POISON_FREE	0x6b

/* --- maple tree test hooks: defined by the tree under test --- */
void mt_set_non_kernel(unsigned int budget);
void mt_set_callback(void (*callback)(void *));
void mt_set_private(void *private);
unsigned long mt_get_alloc_size(void);
void mt_zero_nr_tallocated(void);
unsigned int mt_nr_tallocated(void);
unsigned int mt_nr_allocated(void);

/* --- threads and RCU --- */

/* pthread_create() whose thread is registered with RCU for its lifetime. */
int harness_thread_start(unsigned long *thread, void *(*fn)(void *), void *arg);
int harness_thread_join(unsigned long thread);

/*
 * The stress build (STRESS=1, harness/stress.c): between start and stop,
 * a seeded subset of the marked accesses and barriers yield the CPU.
 * Elsewhere start and stop do nothing and harness_stress_build() is false.
 */
void harness_stress_start(unsigned long long seed);
void harness_stress_stop(void);
bool harness_stress_build(void);

/* --- diagnostics counted for the driver --- */
extern unsigned long harness_warnings;		/* WARN_ON() hits */
/* Of them, hits while harness_quiet: a test gave bad input on purpose. */
extern unsigned long harness_warnings_silenced;
/* The end-of-run note on WARN_ON() hits: how many printed, how many not. */
void harness_report_warnings(void);
extern unsigned long harness_lockdep_failures;	/* failed lock assertions */
extern unsigned long harness_rcu_suspicious_count;
extern unsigned long harness_atomic_sleeps;	/* might_sleep() in atomic */
/* Make MT_BUG_ON() failures abort (for gdb) instead of printing and going on. */
extern int harness_abort_on_bug;
/* Messages from printk() are dropped while this is set. */
extern int harness_quiet;
/*
 * printk() writes into @buf (NUL-terminated, cut at @len bytes) instead of
 * standard output, until called again with a NULL @buf; for tests that
 * check what a dump prints.  One thread at a time.
 */
void harness_printk_capture(char *buf, size_t len);
/* Suspicious RCU dereferences are counted but not printed while set. */
extern int harness_rcu_quiet;

/* The word size the library was compiled for, to compare in a program. */
extern const unsigned int harness_long_bits;
extern const unsigned int harness_maple_node_slots;

#endif /* HARNESS_H */
