/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, truthful lockdep: every lock records who holds it.
 *
 * struct lockdep_map is embedded in each spinlock and rwsem as dep_map (the
 * maple tree points at it for an external lock).  It records the writer that
 * owns the lock and the number of readers, so lock_is_held() answers for the
 * calling thread exactly when the lock is exclusive, and "some reader holds
 * it" for a shared rwsem (who reads is not tracked: that would cost a list).
 *
 * A failed lockdep_assert_held() prints a warning with a backtrace and bumps
 * harness_lockdep_failures; the driver fails the run if that is not zero.
 */
#ifndef HARNESS_LINUX_LOCKDEP_H
#define HARNESS_LINUX_LOCKDEP_H

#include <linux/compiler.h>
#include <linux/types.h>

enum lockdep_kind {
	LOCKDEP_PLAIN = 0,	/* owner and readers below are meaningful */
	LOCKDEP_RCU_CALLBACK,	/* held while a call_rcu() callback runs */
};

struct lockdep_map {
	const char *name;	/* for messages; may be NULL */
	uintptr_t owner;	/* harness_thread_id() of the writer, 0 if none */
	int readers;		/* shared holders, rwsem only; atomic */
	int kind;		/* enum lockdep_kind */
	unsigned int acquired;	/* exclusive acquisitions so far, by anyone */
};

#define HARNESS_LOCKDEP_MAP_INIT(lockname)	{ .name = (lockname) }

/* Non-zero, distinct for each live thread, cheap. */
extern __thread char harness_thread_token;
static inline uintptr_t harness_thread_id(void)
{
	return (uintptr_t)&harness_thread_token;
}

extern unsigned long harness_lockdep_failures;
/* The map the maple tree asks about to learn if it runs in an RCU callback. */
extern struct lockdep_map rcu_callback_map;

bool harness_in_rcu_callback(void);
void harness_lockdep_fail(const char *file, int line, const char *what);

static inline void lockdep_acquire_write(struct lockdep_map *map)
{
	__atomic_store_n(&map->owner, harness_thread_id(), __ATOMIC_RELAXED);
	map->acquired++;	/* only the owner writes it */
}

static inline void lockdep_release_write(struct lockdep_map *map)
{
	__atomic_store_n(&map->owner, 0, __ATOMIC_RELAXED);
}

static inline void lockdep_acquire_read(struct lockdep_map *map)
{
	__atomic_fetch_add(&map->readers, 1, __ATOMIC_RELAXED);
}

static inline void lockdep_release_read(struct lockdep_map *map)
{
	__atomic_fetch_sub(&map->readers, 1, __ATOMIC_RELAXED);
}

/*
 * lock_is_held_type() - does the calling thread hold @map?
 * @read: 0 for exclusively, 1 for shared, -1 for either.
 */
static inline int lock_is_held_type(const struct lockdep_map *map, int read)
{
	bool writer, reader;

	if (map->kind == LOCKDEP_RCU_CALLBACK)
		return harness_in_rcu_callback();
	writer = __atomic_load_n(&map->owner, __ATOMIC_RELAXED) ==
		 harness_thread_id();
	reader = __atomic_load_n(&map->readers, __ATOMIC_RELAXED) > 0;
	if (read == 0)
		return writer;
	if (read == 1)
		return reader;
	return writer || reader;
}

#define lock_is_held(map)		lock_is_held_type((map), -1)
#define lockdep_is_held(lock)		lock_is_held(&(lock)->dep_map)
#define lockdep_is_held_type(lock, r)	lock_is_held_type(&(lock)->dep_map, (r))

#define lockdep_assert_held(lock) do {					\
	if (!lockdep_is_held(lock))					\
		harness_lockdep_fail(__FILE__, __LINE__, #lock " not held"); \
} while (0)
#define lockdep_assert_held_write(lock) do {				\
	if (!lockdep_is_held_type(lock, 0))				\
		harness_lockdep_fail(__FILE__, __LINE__,		\
				     #lock " not held for write");	\
} while (0)
#define lockdep_assert_held_read(lock) do {				\
	if (!lockdep_is_held_type(lock, 1))				\
		harness_lockdep_fail(__FILE__, __LINE__,		\
				     #lock " not held for read");	\
} while (0)
#define lockdep_assert_not_held(lock) do {				\
	if (lockdep_is_held_type(lock, 0))				\
		harness_lockdep_fail(__FILE__, __LINE__,		\
				     #lock " held unexpectedly");	\
} while (0)

/*
 * lock_sequence() - which acquisition of @map the calling thread holds: a
 * number that changes each time the lock is taken (the kernel keeps 8 bits
 * of it), or UINT_MAX when the caller does not hold @map exclusively.  A
 * maple state that records it can tell that its lock was dropped and
 * taken again since (7.x's mas_lock_check()).
 */
static inline u32 lock_sequence(struct lockdep_map *map)
{
	if (__atomic_load_n(&map->owner, __ATOMIC_RELAXED) != harness_thread_id())
		return UINT_MAX;
	return map->acquired & 0xff;
}
#define lockdep_sequence(lock)		lock_sequence(&(lock)->dep_map)

/* Lock classes only matter to the kernel's dependency graph. */
struct lock_class_key { char unused; };
#define lockdep_set_class(lock, key)	do { } while (0)
#define SINGLE_DEPTH_NESTING		1

#endif /* HARNESS_LINUX_LOCKDEP_H */
