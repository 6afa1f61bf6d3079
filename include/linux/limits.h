/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Limits.  The C library's <limits.h> includes <linux/limits.h> for the UAPI
 * ones and finds this file first, so it passes that include on to the next
 * <linux/limits.h>; the C library's own limits carry the kernel's names.
 */
#ifndef HARNESS_LINUX_LIMITS_H
#define HARNESS_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <limits.h>
#include <stdint.h>

#ifndef U8_MAX
#define U8_MAX		((unsigned char)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		UINT32_MAX
#endif
#ifndef U64_MAX
#define U64_MAX		UINT64_MAX
#endif

#endif /* HARNESS_LINUX_LIMITS_H */
