/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t on a pthread mutex, with an owner record for lockdep.
 *
 * Userspace threads may be preempted while holding a lock, so a sleeping
 * mutex serves better than a real spinning lock; the holder's preemption
 * count still says it may not sleep.  The _irq, _bh and
 * _irqsave forms behave like the plain ones: there are no interrupts.
 */
#ifndef HARNESS_LINUX_SPINLOCK_H
#define HARNESS_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>

typedef struct spinlock {
	pthread_mutex_t mutex;		/* the lock itself */
	struct lockdep_map dep_map;	/* who holds it */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) {				\
	.mutex = PTHREAD_MUTEX_INITIALIZER,				\
	.dep_map = HARNESS_LOCKDEP_MAP_INIT(#lockname),			\
}
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->dep_map = (struct lockdep_map)HARNESS_LOCKDEP_MAP_INIT("spinlock");
}

/*
 * A held spinlock counts in the holder's preemption count, as in the
 * kernel, so that might_sleep() under one is reported.
 */
static inline void spin_lock(spinlock_t *lock)
{
	pthread_mutex_lock(&lock->mutex);
	lockdep_acquire_write(&lock->dep_map);
	preempt_disable();
}

static inline int spin_trylock(spinlock_t *lock)
{
	if (pthread_mutex_trylock(&lock->mutex))
		return 0;
	lockdep_acquire_write(&lock->dep_map);
	preempt_disable();
	return 1;
}

static inline void spin_unlock(spinlock_t *lock)
{
	preempt_enable();
	lockdep_release_write(&lock->dep_map);
	pthread_mutex_unlock(&lock->mutex);
}

/* Nesting subclasses only inform the kernel's lockdep graph. */
#define spin_lock_nested(lock, subclass)	spin_lock(lock)
#define spin_lock_irq(lock)			spin_lock(lock)
#define spin_unlock_irq(lock)			spin_unlock(lock)
#define spin_lock_bh(lock)			spin_lock(lock)
#define spin_unlock_bh(lock)			spin_unlock(lock)
#define spin_lock_irqsave(lock, flags)					\
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags)				\
	do { (void)(flags); spin_unlock(lock); } while (0)
#define assert_spin_locked(lock)	lockdep_assert_held(lock)

#endif /* HARNESS_LINUX_SPINLOCK_H */
