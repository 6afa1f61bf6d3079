/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Preemption: a count per thread, so that code under test can assert it
 * (preemptible()), and nothing else: the scheduler is the kernel's, not
 * ours.
 */
#ifndef HARNESS_LINUX_PREEMPT_H
#define HARNESS_LINUX_PREEMPT_H

extern __thread int harness_preempt_count;

#define preempt_disable()	do { harness_preempt_count++; } while (0)
#define preempt_enable()	do { harness_preempt_count--; } while (0)
#define preempt_count()		(harness_preempt_count)
#define preemptible()		(harness_preempt_count == 0)

#endif /* HARNESS_LINUX_PREEMPT_H */
