/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers.  The C library's <errno.h> includes <linux/errno.h> itself
 * for the UAPI values, and finds this file first; so this file takes the
 * values from the next <linux/errno.h> on the path (the UAPI one) and adds
 * only what the kernel keeps to itself.
 */
#ifndef HARNESS_LINUX_ERRNO_H
#define HARNESS_LINUX_ERRNO_H

#include_next <linux/errno.h>

/* Kernel-internal codes the C library does not define. */
#define ERESTARTSYS	512
#define ENOTSUPP	524

/* Pointers that carry an error code in the last page of the address space. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline _Bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

#endif /* HARNESS_LINUX_ERRNO_H */
