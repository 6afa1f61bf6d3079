/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU variables as per-thread ones: a userspace thread stands for the
 * CPU it runs on, and a thread is never preempted by another that uses the
 * same copy (there are no interrupts).  this_cpu_xchg() is atomic all the
 * same, as the kernel's is against interrupts on its CPU.
 */
#ifndef HARNESS_LINUX_PERCPU_H
#define HARNESS_LINUX_PERCPU_H

#include <linux/preempt.h>

#define DECLARE_PER_CPU(type, name)	extern __thread type name
#define DEFINE_PER_CPU(type, name)	__thread type name

#define this_cpu_ptr(ptr)		(ptr)
#define this_cpu_read(var)		(var)
#define this_cpu_xchg(var, val)		__atomic_exchange_n(&(var), (val), \
							    __ATOMIC_SEQ_CST)

#endif /* HARNESS_LINUX_PERCPU_H */
