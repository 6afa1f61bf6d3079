/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler annotations for kernel code built in userspace.
 *
 * The kernel spreads these over compiler_types.h, compiler_attributes.h and
 * friends; here they share one file.  Annotations that only matter to
 * sparse or to the kernel's section layout expand to nothing; the ones that
 * change code generation keep their meaning.
 */
#ifndef HARNESS_LINUX_COMPILER_H
#define HARNESS_LINUX_COMPILER_H

/* Branch hints: the value of the expression is unchanged. */
#ifndef likely
#define likely(cond)		__builtin_expect(!!(cond), 1)
#endif
#ifndef unlikely
#define unlikely(cond)		__builtin_expect(!!(cond), 0)
#endif

#ifndef __always_inline	/* glibc's <sys/cdefs.h> has the same one */
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define noinline_for_stack	noinline
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __weak			__attribute__((__weak__))
#define __packed		__attribute__((__packed__))
#define __aligned(bytes)	__attribute__((__aligned__(bytes)))
#define __cold			__attribute__((__cold__))
#define __noreturn		__attribute__((__noreturn__))
#define __printf(fmt, args)	__attribute__((__format__(printf, fmt, args)))
#define fallthrough		__attribute__((__fallthrough__))

/* Sparse address spaces and lock annotations: checked by sparse only. */
#define __rcu
#define __user
#define __iomem
#define __percpu
#define __force
#define __must_hold(lock)
#define __acquires(lock)
#define __releases(lock)

/* Stop the compiler from moving memory accesses across this point. */
#ifndef barrier
#define barrier()		__asm__ __volatile__("" : : : "memory")
#endif

/*
 * READ_ONCE()/WRITE_ONCE(): one access of the full width, not torn, not
 * merged with a neighbour and not repeated, through a volatile lvalue.
 */
#if defined(HARNESS_TSAN)
/*
 * SAN=thread: marked accesses are atomics, so that ThreadSanitizer takes
 * them as intended races, and they are acquire/release: a pointer read
 * with READ_ONCE() (a parent word) heads an address dependency, which
 * orders the loads through it in the kernel's memory model; TSan knows no
 * dependencies, acquire is the nearest it understands.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELEASE)
#define harness_stress_point()	do { } while (0)
#elif !defined(HARNESS_STRESS)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)						\
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define harness_stress_point()	do { } while (0)
#else
/*
 * The stress build (STRESS=1): every marked access, barrier and RCU
 * pointer operation is also a point where the thread may give up its CPU
 * (linux.c: harness_stress_hit()), so that another thread runs between
 * two steps that are otherwise nanoseconds apart.  Which sites yield, and
 * how often, follows the seed of the check that switched it on.  The code
 * under test is compiled as it is; only these macros change.
 */
void harness_stress_hit(unsigned int site);
extern int harness_stress_on;
#define harness_stress_point() do {					\
	if (__builtin_expect(harness_stress_on, 0))			\
		harness_stress_hit(__LINE__ ^ (__COUNTER__ << 16));	\
} while (0)
#define READ_ONCE(x) ({							\
	harness_stress_point();						\
	*(const volatile __typeof__(x) *)&(x);				\
})
#define WRITE_ONCE(x, val) do {						\
	harness_stress_point();						\
	*(volatile __typeof__(x) *)&(x) = (val);			\
} while (0)
#endif

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))

/* Fail the build when cond is true; usable as a statement. */
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))
#define BUILD_BUG_ON_ZERO(cond)	((int)(sizeof(struct { int:(-!!(cond)); })))
#ifndef static_assert	/* <assert.h> may have it */
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#endif

#endif /* HARNESS_LINUX_COMPILER_H */
