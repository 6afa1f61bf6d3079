/* SPDX-License-Identifier: GPL-2.0 */
/*
 * min()/max() that evaluate each argument once.  Unlike the kernel's they do
 * not reject mixed signedness at compile time; -Wsign-compare covers some of it.
 */
#ifndef HARNESS_LINUX_MINMAX_H
#define HARNESS_LINUX_MINMAX_H

#define min(a, b) ({							\
	__typeof__(a) __min_a = (a);					\
	__typeof__(b) __min_b = (b);					\
	__min_a < __min_b ? __min_a : __min_b;				\
})

#define max(a, b) ({							\
	__typeof__(a) __max_a = (a);					\
	__typeof__(b) __max_b = (b);					\
	__max_a > __max_b ? __max_a : __max_b;				\
})

#define min_t(type, a, b)	min((type)(a), (type)(b))
#define max_t(type, a, b)	max((type)(a), (type)(b))
#define clamp(val, lo, hi)	min(max(val, lo), hi)

#define swap(a, b) do {							\
	__typeof__(a) __swap_tmp = (a);					\
	(a) = (b);							\
	(b) = __swap_tmp;						\
} while (0)

#endif /* HARNESS_LINUX_MINMAX_H */
