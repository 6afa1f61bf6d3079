/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cache geometry.  64-byte lines on every machine this harness targets;
 * a wrong value here would cost speed, never correctness.
 */
#ifndef HARNESS_LINUX_CACHE_H
#define HARNESS_LINUX_CACHE_H

#ifndef L1_CACHE_SHIFT
#define L1_CACHE_SHIFT		6
#endif
#define L1_CACHE_BYTES		(1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES		L1_CACHE_BYTES

#endif /* HARNESS_LINUX_CACHE_H */
