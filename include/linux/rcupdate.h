/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU on liburcu (the default "memb" flavour).
 *
 * Readers: rcu_read_lock()/rcu_read_unlock() are liburcu's, so every thread
 * that reads must be registered: the harness registers the main thread
 * before main() and harness_thread_start() registers the threads that tests
 * create.  Writers: rcu_assign_pointer() publishes with a release store
 * (below), synchronize_rcu() waits for a grace period (liburcu's).
 *
 * call_rcu() and rcu_barrier() are the harness's own (linux.c), built on
 * liburcu's synchronize_rcu(): one worker thread takes the queued callbacks
 * as a batch, waits for a grace period and runs them.  liburcu's own worker
 * sleeps to gather batches, which made each rcu_barrier() cost ~15 ms; the
 * kernel's test module calls it thousands of times.
 *
 * With CONFIG_PROVE_RCU (the debug build) rcu_dereference_check() and
 * rcu_dereference_protected() evaluate their lockdep condition and report a
 * dereference made neither inside a read-side section nor under the lock.
 */
#ifndef HARNESS_LINUX_RCUPDATE_H
#define HARNESS_LINUX_RCUPDATE_H

#include <urcu.h>
#include <urcu/rculist.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>

void harness_rcu_suspicious(const char *file, int line, const char *cond);

#ifndef HARNESS_LIBURCU_CALL_RCU	/* liburcu's own, for comparison */
#undef call_rcu
#undef rcu_barrier
/*
 * call_rcu() - run @func(@head) once every reader that might see @head's
 * object has left its read-side section.  Any context; never blocks.
 */
#define call_rcu(head, func)	harness_call_rcu(head, func)
/* rcu_barrier() - wait until every callback queued before it has run. */
#define rcu_barrier()		harness_rcu_barrier()
#endif
void harness_call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *));
void harness_rcu_barrier(void);

/*
 * kfree_rcu() - kfree(@ptr) once every reader that might see it is gone;
 * @rhf names the struct rcu_head inside *@ptr.  As in the kernel, the
 * callback slot carries the head's offset in the object (a number below a
 * page, which no function has), and the RCU worker frees the object.
 */
#define kfree_rcu(ptr, rhf)						\
	harness_kfree_rcu(&(ptr)->rhf, offsetof(__typeof__(*(ptr)), rhf))
void harness_kfree_rcu(struct rcu_head *head, unsigned long offset);

#ifdef CONFIG_PROVE_RCU
#define __harness_rcu_check(cond, reader_ok) do {			\
	if (!((reader_ok) && rcu_read_ongoing()) && !(cond))		\
		harness_rcu_suspicious(__FILE__, __LINE__, #cond);	\
} while (0)
#else
#define __harness_rcu_check(cond, reader_ok)	do { } while (0)
#endif

#define rcu_dereference_check(ptr, cond) ({				\
	__harness_rcu_check(cond, 1);					\
	harness_stress_point();						\
	rcu_dereference(ptr);						\
})
/*
 * Thread registration, counted (harness/rcu.c): registering a thread that
 * is registered already (the main thread is, before main()) is harmless,
 * and each registration is undone by one unregistration.
 */
extern __thread unsigned int harness_rcu_registrations;
void harness_rcu_register_thread(void);
void harness_rcu_unregister_thread(void);
void harness_rcu_unregistered_reader(void) __attribute__((noreturn));
#undef rcu_register_thread
#undef rcu_unregister_thread
#define rcu_register_thread()	harness_rcu_register_thread()
#define rcu_unregister_thread()	harness_rcu_unregister_thread()

#ifdef CONFIG_PROVE_RCU
/* Debug builds: a reader that never registered is told so, and stops. */
static inline void harness_rcu_read_lock(void)
{
	if (__builtin_expect(!harness_rcu_registrations, 0))
		harness_rcu_unregistered_reader();
	urcu_memb_read_lock();
}
#undef rcu_read_lock
#define rcu_read_lock()		harness_rcu_read_lock()
#elif defined(HARNESS_RCU_READER_CHECK)
/*
 * The installed library (make install) makes the same check, as cheaply
 * as it can be made: liburcu's own flag in the reader's record, the
 * thread-local the read lock updates next, so no second thread-local
 * lookup.  Without it, an unregistered reader is invisible to grace
 * periods and may read freed nodes.
 */
static inline void harness_rcu_read_lock(void)
{
	if (__builtin_expect(!URCU_TLS(urcu_memb_reader).registered, 0))
		harness_rcu_unregistered_reader();
	urcu_memb_read_lock();
}
#undef rcu_read_lock
#define rcu_read_lock()		harness_rcu_read_lock()
#endif

/*
 * rcu_assign_pointer() publishes with a release store, as the kernel's
 * does (smp_store_release(): a plain store on x86, stlr on arm64).
 * liburcu's issues cmm_wmb() first, which on x86 is an sfence: the kernel
 * has none there, and each published pointer would cost a wait for the
 * store buffer, in both subjects' writes alike.
 */
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

#ifdef HARNESS_TSAN
/*
 * SAN=thread: ThreadSanitizer does not know liburcu's barriers or its
 * grace periods.  Publication becomes a release store and each pointer
 * read an acquire load (dependency ordering, as the kernel relies on, is
 * stronger than TSan can follow); every rcu_read_unlock() releases one
 * token that the call_rcu() worker acquires after its synchronize_rcu(),
 * so a free after a grace period is ordered after the readers it waited
 * for.  scripts/tsan.sh runs the build; docs/harness.md says what is left.
 */
#include <sanitizer/tsan_interface.h>
extern char harness_tsan_grace;
#undef rcu_dereference
#define rcu_dereference(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#undef rcu_read_unlock
#define rcu_read_unlock() do {						\
	__tsan_release(&harness_tsan_grace);				\
	urcu_memb_read_unlock();					\
} while (0)
#endif
#ifdef HARNESS_STRESS	/* publishing is a stress point (linux/compiler.h) */
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v) do {					\
	harness_stress_point();						\
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE);			\
} while (0)
#endif
#define rcu_dereference_protected(ptr, cond) ({				\
	__harness_rcu_check(cond, 0);					\
	(ptr);								\
})
#define rcu_dereference_raw(ptr)	rcu_dereference(ptr)
#define rcu_access_pointer(ptr)		READ_ONCE(ptr)
#define RCU_INIT_POINTER(ptr, val)	WRITE_ONCE(ptr, val)
#define rcu_read_lock_held()		rcu_read_ongoing()

#endif /* HARNESS_LINUX_RCUPDATE_H */
