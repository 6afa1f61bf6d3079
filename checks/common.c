// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the checks.
 */
#include <stdarg.h>
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include "checks.h"
#include "../support/model.h"
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

/* Does the tree hold exactly the model's ranges? */
bool check_tree_matches(struct maple_tree *mt, const struct model *m,
			char *why, size_t len)
{
	MA_STATE(ms, mt, 0, 0);
	size_t i = 0;
	void *entry;
	bool ok = true;

	rcu_read_lock();
	mas_for_each(&ms, entry, ULONG_MAX) {
		if (i >= m->nr || m->ranges[i].first != ms.index ||
		    m->ranges[i].last != ms.last || m->ranges[i].entry != entry) {
			snprintf(why, len, "range %zu: tree [%lu, %lu] %p", i,
				 ms.index, ms.last, entry);
			ok = false;
			break;
		}
		i++;
	}
	rcu_read_unlock();
	if (ok && i != m->nr) {
		snprintf(why, len, "tree has %zu ranges, expected %zu", i, m->nr);
		ok = false;
	}
	return ok;
}

bool check_same_ranges(struct maple_tree *a, struct maple_tree *b,
		       char *why, size_t len)
{
	MA_STATE(ma, a, 0, 0);
	MA_STATE(mb, b, 0, 0);
	void *ea, *eb;
	bool same = true;

	rcu_read_lock();
	do {
		ea = mas_find(&ma, ULONG_MAX);
		eb = mas_find(&mb, ULONG_MAX);
		if (ea != eb || (ea && (ma.index != mb.index ||
					ma.last != mb.last))) {
			snprintf(why, len, "[%lu, %lu] %p against [%lu, %lu] %p",
				 ma.index, ma.last, ea, mb.index, mb.last, eb);
			same = false;
		}
	} while (same && ea);
	rcu_read_unlock();
	return same;
}

/* Enough for the largest tree a check copies, node by node. */
#define CHECK_ATOMIC_BUDGET	(1U << 24)

gfp_t check_atomic_gfp(void)
{
	mt_set_non_kernel(CHECK_ATOMIC_BUDGET);
	return GFP_NOWAIT;
}

void check_atomic_end(void)
{
	mt_set_non_kernel(0);
}

bool check_under_valgrind(void)
{
#ifdef RUNNING_ON_VALGRIND
	return RUNNING_ON_VALGRIND;
#else
	return false;	/* built without valgrind's header: not knowable */
#endif
}

void check_skip(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->skipped, sizeof(ctx->skipped), fmt, ap);
	va_end(ap);
}

void check_skip_part(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	ctx->parts_skipped++;
	printf("check %s: part skipped: ", ctx->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
