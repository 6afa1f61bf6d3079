/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct rw_semaphore on a pthread rwlock, with lockdep records.
 *
 * The mmap lock of the fork model and the external locks of maple trees are
 * rwsems; the tree asks lockdep whether its writer holds one, so the writer
 * is recorded in dep_map.
 */
#ifndef HARNESS_LINUX_RWSEM_H
#define HARNESS_LINUX_RWSEM_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>

struct rw_semaphore {
	pthread_rwlock_t rwlock;	/* the lock itself */
	struct lockdep_map dep_map;	/* writer owner and reader count */
};

#define __RWSEM_INITIALIZER(name) {					\
	.rwlock = PTHREAD_RWLOCK_INITIALIZER,				\
	.dep_map = HARNESS_LOCKDEP_MAP_INIT(#name),			\
}
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

static inline void init_rwsem(struct rw_semaphore *sem)
{
	pthread_rwlock_init(&sem->rwlock, NULL);
	sem->dep_map = (struct lockdep_map)HARNESS_LOCKDEP_MAP_INIT("rwsem");
}

static inline void down_read(struct rw_semaphore *sem)
{
	pthread_rwlock_rdlock(&sem->rwlock);
	lockdep_acquire_read(&sem->dep_map);
}

static inline int down_read_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_tryrdlock(&sem->rwlock))
		return 0;
	lockdep_acquire_read(&sem->dep_map);
	return 1;
}

static inline void up_read(struct rw_semaphore *sem)
{
	lockdep_release_read(&sem->dep_map);
	pthread_rwlock_unlock(&sem->rwlock);
}

static inline void down_write(struct rw_semaphore *sem)
{
	pthread_rwlock_wrlock(&sem->rwlock);
	lockdep_acquire_write(&sem->dep_map);
}

static inline int down_write_trylock(struct rw_semaphore *sem)
{
	if (pthread_rwlock_trywrlock(&sem->rwlock))
		return 0;
	lockdep_acquire_write(&sem->dep_map);
	return 1;
}

static inline void up_write(struct rw_semaphore *sem)
{
	lockdep_release_write(&sem->dep_map);
	pthread_rwlock_unlock(&sem->rwlock);
}

/* A writer that becomes a reader without letting another writer in. */
static inline void downgrade_write(struct rw_semaphore *sem)
{
	/* pthreads cannot downgrade atomically; the harness has no waiter
	 * that could slip in between, so release and re-take. */
	up_write(sem);
	down_read(sem);
}

#define down_read_nested(sem, subclass)		down_read(sem)
#define down_write_nested(sem, subclass)	down_write(sem)
#define rwsem_is_locked(sem)	lock_is_held(&(sem)->dep_map)
#define rwsem_assert_held(sem)		lockdep_assert_held(sem)
#define rwsem_assert_held_write(sem)	lockdep_assert_held_write(sem)

#endif /* HARNESS_LINUX_RWSEM_H */
