/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HARNESS_LINUX_MUTEX_H
#define HARNESS_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/lockdep.h>

struct mutex {
	pthread_mutex_t mutex;		/* the lock itself */
	struct lockdep_map dep_map;	/* who holds it */
};

#define DEFINE_MUTEX(name)						\
	struct mutex name = { PTHREAD_MUTEX_INITIALIZER,		\
			      HARNESS_LOCKDEP_MAP_INIT(#name) }

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->dep_map = (struct lockdep_map)HARNESS_LOCKDEP_MAP_INIT("mutex");
}

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->mutex);
	lockdep_acquire_write(&lock->dep_map);
}

static inline void mutex_unlock(struct mutex *lock)
{
	lockdep_release_write(&lock->dep_map);
	pthread_mutex_unlock(&lock->mutex);
}

#endif /* HARNESS_LINUX_MUTEX_H */
