/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG() and WARN() in userspace.
 *
 * BUG_ON() is for states that cannot happen: it prints where it fired and
 * aborts, so that gdb stops there and a core dump is left.  WARN_ON() prints
 * the condition, counts it in harness_warnings and returns it, so that kernel
 * code can write "if (WARN_ON(x)) return -EINVAL;".
 */
#ifndef HARNESS_LINUX_BUG_H
#define HARNESS_LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/printk.h>

extern unsigned long harness_warnings;

void harness_bug(const char *file, int line, const char *func,
		 const char *cond) __noreturn __cold;
void harness_warn(const char *file, int line, const char *func,
		  const char *cond) __cold;
void dump_stack(void);

#define BUG()	harness_bug(__FILE__, __LINE__, __func__, "BUG()")

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			harness_bug(__FILE__, __LINE__, __func__, #cond); \
	} while (0)

#define WARN_ON(cond) ({						\
	bool __warn_hit = !!(cond);					\
	if (unlikely(__warn_hit))					\
		harness_warn(__FILE__, __LINE__, __func__, #cond);	\
	unlikely(__warn_hit);						\
})

#define WARN(cond, fmt, ...) ({						\
	bool __warn_hit = !!(cond);					\
	if (unlikely(__warn_hit)) {					\
		printk(fmt, ##__VA_ARGS__);				\
		harness_warn(__FILE__, __LINE__, __func__, #cond);	\
	}								\
	unlikely(__warn_hit);						\
})

/* Each call site reports once; later hits still return the condition. */
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned_once;					\
	bool __warn_hit = !!(cond);					\
	if (unlikely(__warn_hit) && !__warned_once) {			\
		__warned_once = true;					\
		harness_warn(__FILE__, __LINE__, __func__, #cond);	\
	}								\
	unlikely(__warn_hit);						\
})

#define WARN_ONCE(cond, fmt, ...) ({					\
	static bool __warned_once;					\
	bool __warn_hit = !!(cond);					\
	if (unlikely(__warn_hit) && !__warned_once) {			\
		__warned_once = true;					\
		printk(fmt, ##__VA_ARGS__);				\
		harness_warn(__FILE__, __LINE__, __func__, #cond);	\
	}								\
	unlikely(__warn_hit);						\
})

#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)	((void)WARN_ON_ONCE(cond))

#endif /* HARNESS_LINUX_BUG_H */
