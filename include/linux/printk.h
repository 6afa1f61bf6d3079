/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk() and the pr_*() family, written to standard output.
 *
 * Log levels are prefixes in the kernel; here they are empty strings so that
 * "KERN_INFO "fmt"" still concatenates and prints the message alone.
 */
#ifndef HARNESS_LINUX_PRINTK_H
#define HARNESS_LINUX_PRINTK_H

#include <stdio.h>
#include <linux/compiler.h>

#define KERN_EMERG	""
#define KERN_ALERT	""
#define KERN_CRIT	""
#define KERN_ERR	""
#define KERN_WARNING	""
#define KERN_NOTICE	""
#define KERN_INFO	""
#define KERN_DEBUG	""
#define KERN_CONT	""

#ifndef pr_fmt
#define pr_fmt(fmt)	fmt
#endif

/* Every message goes through one function, so a test can silence it. */
int harness_printk(const char *fmt, ...) __printf(1, 2);

#define printk(fmt, ...)	harness_printk(fmt, ##__VA_ARGS__)
#define pr_emerg(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(fmt, ##__VA_ARGS__)

/* Debug messages are compiled but never printed: the format is still checked. */
#define pr_debug(fmt, ...)						\
	do { if (0) printk(pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#define no_printk(fmt, ...)	pr_debug(fmt, ##__VA_ARGS__)

#endif /* HARNESS_LINUX_PRINTK_H */
