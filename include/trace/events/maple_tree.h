/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maple tree's trace points, as no-ops.
 *
 * They are static inline functions rather than empty macros so that every
 * call still type-checks its arguments and nothing is left unused.
 */
#ifndef HARNESS_TRACE_EVENTS_MAPLE_TREE_H
#define HARNESS_TRACE_EVENTS_MAPLE_TREE_H

struct ma_state;

/* A string the trace buffer would keep by address; here just the string. */
#define tracepoint_string(str)	(str)

static inline void trace_ma_op(const char *fn, struct ma_state *mas)
{
	(void)fn;
	(void)mas;
}

static inline void trace_ma_read(const char *fn, struct ma_state *mas)
{
	(void)fn;
	(void)mas;
}

static inline void trace_ma_write(const char *fn, struct ma_state *mas,
				  unsigned long piv, void *val)
{
	(void)fn;
	(void)mas;
	(void)piv;
	(void)val;
}

#endif /* HARNESS_TRACE_EVENTS_MAPLE_TREE_H */
