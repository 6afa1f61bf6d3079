/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width and kernel scalar types on top of <stdint.h>.
 */
#ifndef HARNESS_LINUX_TYPES_H
#define HARNESS_LINUX_TYPES_H

/* The UAPI types (__u32, __le64, __kernel_*), which UAPI headers expect. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t		u8;
typedef uint16_t	u16;
typedef uint32_t	u32;
typedef uint64_t	u64;
typedef int8_t		s8;
typedef int16_t		s16;
typedef int32_t		s32;
typedef int64_t		s64;

/* Allocation flags: see <linux/gfp_types.h> for the bits. */
typedef unsigned int	gfp_t;
typedef unsigned long	phys_addr_t;

#endif /* HARNESS_LINUX_TYPES_H */
