/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMP memory barriers mapped onto liburcu's, which follow the kernel's
 * definitions for each architecture (smp_wmb() orders stores against
 * stores, smp_rmb() loads against loads, smp_mb() everything).
 */
#ifndef HARNESS_ASM_BARRIER_H
#define HARNESS_ASM_BARRIER_H

#include <urcu/arch.h>

#include <linux/compiler.h>

/* Each barrier is a stress point too (STRESS=1; see linux/compiler.h). */
#define smp_mb()	do { harness_stress_point(); cmm_smp_mb(); } while (0)
#define smp_rmb()	do { harness_stress_point(); cmm_smp_rmb(); } while (0)
#define smp_wmb()	do { harness_stress_point(); cmm_smp_wmb(); } while (0)
#define mb()		cmm_mb()
#define rmb()		cmm_rmb()
#define wmb()		cmm_wmb()

/* Store with release semantics / load with acquire semantics. */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

#endif /* HARNESS_ASM_BARRIER_H */
