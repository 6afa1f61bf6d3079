/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_t on the compiler's __atomic builtins.  The kernel's value-returning
 * operations are fully ordered and the others are relaxed; so are these.
 */
#ifndef HARNESS_LINUX_ATOMIC_H
#define HARNESS_LINUX_ATOMIC_H

typedef struct {
	int counter;		/* only touched through the helpers below */
} atomic_t;

typedef struct {
	long counter;		/* only touched through the helpers below */
} atomic_long_t;

#define ATOMIC_INIT(val)	{ (val) }

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int val)
{
	__atomic_store_n(&v->counter, val, __ATOMIC_RELAXED);
}

static inline void atomic_add(int val, atomic_t *v)
{
	__atomic_fetch_add(&v->counter, val, __ATOMIC_RELAXED);
}

static inline void atomic_sub(int val, atomic_t *v)
{
	__atomic_fetch_sub(&v->counter, val, __ATOMIC_RELAXED);
}

#define atomic_inc(v)		atomic_add(1, (v))
#define atomic_dec(v)		atomic_sub(1, (v))

static inline int atomic_add_return(int val, atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, val, __ATOMIC_SEQ_CST);
}

#define atomic_inc_return(v)	atomic_add_return(1, (v))
#define atomic_dec_return(v)	atomic_add_return(-1, (v))
#define atomic_dec_and_test(v)	(atomic_dec_return(v) == 0)

static inline long atomic_long_read(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_long_add(long val, atomic_long_t *v)
{
	__atomic_fetch_add(&v->counter, val, __ATOMIC_RELAXED);
}

#endif /* HARNESS_LINUX_ATOMIC_H */
