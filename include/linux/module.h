/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Modules in userspace: a test module is linked into the driver.
 *
 * module_init(fn) defines harness_module_init(), the one entry point the
 * driver calls (fn is usually static).  module_exit(fn) does the same for
 * harness_module_exit().  A binary links exactly one test module.
 */
#ifndef HARNESS_LINUX_MODULE_H
#define HARNESS_LINUX_MODULE_H

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/export.h>
/* A kernel module sees these through the headers above; so does ours. */
#include <linux/slab.h>
#include <linux/xarray.h>
#include <harness.h>

#define module_init(fn)							\
	int harness_module_init(void) { return fn(); }
#define module_exit(fn)							\
	void harness_module_exit(void) { fn(); }

#define MODULE_AUTHOR(text)
#define MODULE_DESCRIPTION(text)
#define MODULE_LICENSE(text)
#define MODULE_ALIAS(text)
#define module_param(name, type, perm)
#define MODULE_PARM_DESC(name, text)

#endif /* HARNESS_LINUX_MODULE_H */
