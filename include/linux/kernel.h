/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grab-bag kernel header: arithmetic helpers, array and container
 * macros, and the headers kernel code expects <linux/kernel.h> to bring in.
 */
#ifndef HARNESS_LINUX_KERNEL_H
#define HARNESS_LINUX_KERNEL_H

/*
 * Node layouts depend on CONFIG_64BIT.  A unit that misses the generated
 * configuration would silently take the 32-bit layout and disagree with the
 * library it links, so it does not compile at all.
 */
#if !defined(CONFIG_64BIT) && !defined(CONFIG_32BIT)
#error "generated/autoconf.h was not included: build with the flags of 'make -s cflags'"
#endif
#if defined(CONFIG_64BIT) && defined(CONFIG_32BIT)
#error "both CONFIG_64BIT and CONFIG_32BIT are set"
#endif

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/atomic.h>
#include <linux/minmax.h>
#include <linux/layout.h>
#include <linux/gfp_types.h>
#include <linux/init.h>

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define BITS_PER_LONG		((int)(sizeof(long) * 8))
#define BITS_PER_BYTE		8
#define BIT(nr)			(1UL << (nr))

#ifndef container_of
#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Userspace never sleeps on behalf of the scheduler. */
/*
 * might_sleep(): the kernel's "sleeping function called from invalid
 * context" check, in the builds that have CONFIG_DEBUG_ATOMIC_SLEEP (the
 * debug ones, -Og, as a kernel built for testing has it).  A thread may not sleep while it holds a spinlock (each
 * counts in its preemption count, as in the kernel), has preemption off,
 * or reads under rcu_read_lock() in a debug build (which tracks the
 * nesting).  A violation is reported with a backtrace and counted as a
 * lockdep failure, which fails the run (harness/messages.c).
 */
void harness_might_sleep(const char *file, int line);
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP	/* debug builds, as in the kernel */
#define might_sleep()		harness_might_sleep(__FILE__, __LINE__)
#else
#define might_sleep()		do { } while (0)
#endif
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
/* might_alloc(): an allocation with @gfp could sleep here. */
#define might_alloc(gfp)	might_sleep_if(gfpflags_allow_blocking(gfp))

#define IS_ENABLED(option)	harness_is_enabled(option)
/*
 * IS_ENABLED(CONFIG_X) is 1 when CONFIG_X is defined as 1, else 0.  The
 * argument expands to "1" when set; pasting gives a helper macro that
 * inserts an extra argument, and the second argument is then picked.
 */
#define __harness_arg_placeholder_1	0,
#define harness_is_enabled(value)	__harness_is_enabled1(value)
#define __harness_is_enabled1(value)					\
	__harness_is_enabled2(__harness_arg_placeholder_##value)
#define __harness_is_enabled2(maybe)	__harness_pick_second(maybe 1, 0, 0)
#define __harness_pick_second(ignored, val, ...) val

#endif /* HARNESS_LINUX_KERNEL_H */
