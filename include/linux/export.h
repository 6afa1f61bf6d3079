/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HARNESS_LINUX_EXPORT_H
#define HARNESS_LINUX_EXPORT_H

/*
 * Userspace links statically: an exported symbol is just a global one.  The
 * macro still names the symbol, so a typo fails to compile.
 */
#define EXPORT_SYMBOL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS(sym, ns)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern __typeof__(sym) sym

#endif /* HARNESS_LINUX_EXPORT_H */
