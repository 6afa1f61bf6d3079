/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checks.h: how the driver's userspace checks are written.
 *
 * A check is a function returning nothing, registered with DEFINE_CHECK():
 *
 *	static void check_something(struct check_ctx *ctx)
 *	{
 *		CHECK(ctx, tree, mtree_load(tree, 5) == ptr, "load %lu", 5UL);
 *	}
 *	DEFINE_CHECK(check_something, "what it proves");
 *
 * DEFINE_CHECK puts a descriptor in the "harness_checks" section, so a new
 * file in checks/ needs no other registration: the Makefile compiles every
 * file in checks/ and the driver walks the section.  CHECK() counts one test in
 * maple_tree_tests_run/passed, like the kernel's MT_BUG_ON(); when it fails
 * it prints the check, the condition, the message, the seed of the run and
 * a dump of the tree, then (with -a) aborts for gdb.
 */
#ifndef HARNESS_CHECKS_H
#define HARNESS_CHECKS_H

#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include <harness.h>
/* SUBJECT_NAME and HAVE_* for what the subject's header offers. */
#include <subject-api.h>

struct check_ctx {
	const char *name;	/* the running check */
	unsigned long seed;	/* --seed, for random checks */
	int verbose;		/* -v given */
	unsigned long failed;	/* CHECK() failures in this check */
	char skipped[160];	/* why the check did not run, if it did not */
	unsigned int parts_skipped;	/* check_skip_part() calls */
	bool warns;		/* provokes WARN_ON() on purpose (bad input) */
};

/*
 * The check makes the subject WARN_ON() on purpose.  Without this, any
 * WARN_ON() hit during a check fails it: a warning nobody expected is a
 * finding.
 */
static inline void check_expect_warnings(struct check_ctx *ctx)
{
	ctx->warns = true;
}

struct harness_check {
	const char *name;
	const char *help;
	void (*run)(struct check_ctx *ctx);
};

#define DEFINE_CHECK(fn, text)						\
	static const struct harness_check __harness_check_##fn		\
	__attribute__((__used__, __section__("harness_checks"),		\
		       __aligned__(sizeof(void *)))) = {		\
		.name = #fn, .help = text, .run = fn,			\
	}

/*
 * The subject lacks what this check needs: say why, never a silent pass.
 * The driver prints it and counts the check as skipped.
 */
void check_skip(struct check_ctx *ctx, const char *fmt, ...) __printf(2, 3);

/*
 * Part of the check cannot run on this subject (the rest did): printed at
 * once as "check X: part skipped: <why>" and counted by the driver.  The
 * reason names the API: SUBJECT_NAME " has no mtree_dup()".
 */
void check_skip_part(struct check_ctx *ctx, const char *fmt, ...)
	__printf(2, 3);

/* Did the last operation on @mas leave it on an entry in a node? */
static inline bool check_mas_active(const struct ma_state *mas)
{
#ifdef HAVE_MAS_STATUS
	return mas->status == ma_active;
#else
	/* Before enum maple_status, the state lived in mas->node. */
	return mas->node != MAS_START && mas->node != MAS_ROOT &&
	       mas->node != MAS_NONE && mas->node != MAS_PAUSE &&
	       !mas_is_err((struct ma_state *)mas);
#endif
}

void check_failed(struct check_ctx *ctx, struct maple_tree *mt,
		  const char *file, int line, const char *cond,
		  const char *fmt, ...) __printf(6, 7);

/* Count one test; on failure report it with a dump of @mt (may be NULL). */
#define CHECK(ctx, mt, cond, fmt, ...) ({				\
	bool __check_ok = !!(cond);					\
	atomic_inc(&maple_tree_tests_run);				\
	if (likely(__check_ok))						\
		atomic_inc(&maple_tree_tests_passed);			\
	else								\
		check_failed(ctx, mt, __FILE__, __LINE__, #cond,	\
			     fmt, ##__VA_ARGS__);			\
	__check_ok;							\
})

struct model;
/*
 * Does @mt hold exactly the reference model's ranges (support/model.h)?
 * On a difference, a description goes to @why.  Takes rcu_read_lock().
 */
bool check_tree_matches(struct maple_tree *mt, const struct model *m,
			char *why, size_t len);

/*
 * Do @a and @b hold the same ranges with the same entries?  On a
 * difference, the first pair of ranges that differ goes to @why (@a's
 * first).  Takes rcu_read_lock(); nobody may write either tree meanwhile.
 */
bool check_same_ranges(struct maple_tree *a, struct maple_tree *b,
		       char *why, size_t len);

/*
 * Entries that name their range, so that whoever finds one can tell
 * whether it lies where it was stored:
 *
 *	range_entry(first, last) = xa_mk_value(first << SPAN_BITS | (last - first))
 *
 * for ranges of at most SPAN_MAX + 1 indices whose first index fits in
 * BITS_PER_LONG - 1 - SPAN_BITS bits.
 */
#define SPAN_BITS	12
#define SPAN_MAX	((1UL << SPAN_BITS) - 1)

static inline void *range_entry(unsigned long first, unsigned long last)
{
	return xa_mk_value(first << SPAN_BITS | (last - first));
}

/* The range an entry of range_entry() names: its first and last index. */
static inline unsigned long range_entry_first(void *entry)
{
	return xa_to_value(entry) >> SPAN_BITS;
}

static inline unsigned long range_entry_last(void *entry)
{
	return range_entry_first(entry) + (xa_to_value(entry) & SPAN_MAX);
}

/*
 * Are @a and @b the same node for node (checks/mtree_dup.c): type, pivots,
 * entries, gaps, metadata, tag bits; each parent pointer naming its own
 * tree's node?  *@nodes counts the pairs compared; @why says what differs.
 */
bool check_same_shape(struct maple_tree *a, struct maple_tree *b,
		      unsigned long *nodes, char *why, size_t len);

/*
 * The gfp of an allocation a check makes with a spinlock held: mtree_dup()
 * takes the trees' own locks, and __mt_dup() or mas_preallocate() under
 * mtree_lock() allocate inside them.  It may not sleep, so it is
 * GFP_NOWAIT, and the node cache's budget for such allocations is lifted
 * until check_atomic_end(), so that only an injected failure fails one.
 * (GFP_KERNEL there is what the harness's might_sleep() reports, as the
 * kernel's does with CONFIG_DEBUG_ATOMIC_SLEEP.)
 */
gfp_t check_atomic_gfp(void);
void check_atomic_end(void);

/*
 * Does the program run under valgrind?  A check that forks a child to
 * crash on purpose skips that under valgrind, which would report it.
 */
bool check_under_valgrind(void);

/* A small, seeded generator: the same seed replays the same run. */
static inline unsigned long check_random(unsigned long long *state)
{
	/* xorshift64*, folded to the word size */
	unsigned long long x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (unsigned long)((x * 0x2545f4914f6cdd1dULL) >> 11);
}

#endif /* HARNESS_CHECKS_H */
