/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU variables as per-thread ones: a userspace thread stands for the
 * CPU it runs on, and a thread is never preempted by another that uses the
 * same copy (there are no interrupts).
 *
 * this_cpu_xchg() need only be atomic against an interrupt on its own CPU,
 * and costs what the kernel's does.  On x86 that is a cmpxchg without the
 * lock prefix, retried until it takes (xchg with memory is locked, and a
 * locked instruction waits for every store before it to reach the cache:
 * a write path that takes and gives back a per-CPU slot would pay that
 * twice).  Elsewhere it is asm-generic's: a read and a write, which with
 * no interrupts needs nothing around it.
 */
#ifndef HARNESS_LINUX_PERCPU_H
#define HARNESS_LINUX_PERCPU_H

#include <linux/compiler.h>
#include <linux/preempt.h>

#define DECLARE_PER_CPU(type, name)	extern __thread type name
#define DEFINE_PER_CPU(type, name)	__thread type name

#define this_cpu_ptr(ptr)		(ptr)
#define this_cpu_read(var)		(var)
#if defined(__x86_64__) || defined(__i386__)
#define this_cpu_xchg(var, val)						\
({									\
	__typeof__(var) __pcpu_old = (var), __pcpu_new = (val);	\
	asm volatile("1:\tcmpxchg %[nv], %[pv]\n\tjnz 1b"		\
		     : "+a" (__pcpu_old), [pv] "+m" (var)		\
		     : [nv] "r" (__pcpu_new) : "memory", "cc");	\
	__pcpu_old;							\
})
#else
#define this_cpu_xchg(var, val)						\
({									\
	__typeof__(var) __pcpu_old = (var);				\
	(var) = (val);							\
	barrier();							\
	__pcpu_old;							\
})
#endif

#endif /* HARNESS_LINUX_PERCPU_H */
