/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link-time proof that every unit agrees on the word size.
 *
 * Each unit that includes <linux/kernel.h> keeps a reference to a symbol
 * named after the configuration it was compiled with.  linux.c defines only
 * the one matching the library's own configuration, so a unit built with the
 * other layout (16 vs 32 slots per node) fails to link instead of corrupting
 * trees at run time.
 */
#ifndef HARNESS_LINUX_LAYOUT_H
#define HARNESS_LINUX_LAYOUT_H

#ifdef CONFIG_64BIT
extern const int harness_layout_is_64bit;
static const int *const harness_layout_ref __attribute__((__used__)) =
	&harness_layout_is_64bit;
#else
extern const int harness_layout_is_32bit;
static const int *const harness_layout_ref __attribute__((__used__)) =
	&harness_layout_is_32bit;
#endif

#endif /* HARNESS_LINUX_LAYOUT_H */
