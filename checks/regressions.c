// SPDX-License-Identifier: GPL-2.0
/*
 * regressions.c: the maple tree fixes upstream made after Linux 6.12 (and
 * the CVEs before it that stable backported), each as a deterministic
 * check of the subject's public behaviour.  Each reproducer is our own,
 * written from the fix's description of its trigger.
 *
 * Every check prints one line per subject, whatever the outcome:
 *
 *	check_regress_X: <fix>: bug present|absent on <subject>[: what was seen]
 *
 * On our tree a present bug is a failure.  On a kernel subject
 * (HARNESS_SUBJECT_KERNEL) it is the kernel's, reported and counted as
 * passed, as checks/kernel_bugs.c does, so a kernel tree stays usable as a
 * subject and a backport shows up as "absent".
 *
 *   check                            upstream fix (first release)
 *   -------------------------------  --------------------------------------
 *   check_regress_spanning_end       CVE-2024-50200 "correct tree corruption
 *                                    on spanning store" (6.12-rc5); "correct
 *                                    right ma_wr_state end pivot in
 *                                    mas_wr_spanning_store()" (the 7.x
 *                                    maple-copy rewrite)
 *   check_regress_end_piv            CVE-2023-54135 mas_wr_end_piv() reads
 *                                    past the pivots (6.5)
 *   check_regress_alloc_cyclic       "reload mas before the second call for
 *                                    mas_empty_area" / "fix
 *                                    mas_alloc_cyclic() second search" (6.13)
 *   check_regress_destroy_leaf_root  "fix mt_destroy_walk() on root leaf
 *                                    node" (6.16)
 *   check_regress_walk_restart       "restart walk on correct status" (6.17)
 *                                    (performance only: reported, never a
 *                                    failure)
 *   check_regress_restore_active     "fix status setup on restore to
 *                                    active" (6.17)
 *   check_regress_prealloc_twice     "fix MA_STATE_PREALLOC flag in
 *                                    mas_preallocate()" (6.14)
 *   check_regress_rebalance          the rebalance calculation off-by-one
 *                                    (7.1, the maple-copy mas_wr_rebalance())
 *                                    and every erase-driven rebalance
 *   check_regress_empty_area_nodeless  "fix mas_empty_area_rev() null
 *                                    pointer dereference" (6.5)
 *   check_regress_reader_emptied     no upstream fix: found by this file, a
 *                                    reader whose leaf died and whose walk
 *                                    again finds an empty tree
 *
 * Scenarios that may crash a buggy subject, or whose mt_validate() would
 * count a kernel's broken invariant as our failure, run in a child process
 * (fork(), no exec): the child answers with its exit status and a line on
 * a pipe.  Those children use only trees outside RCU mode, which free
 * nodes at once: the call_rcu() worker thread does not exist in a child.
 * check_regress_walk_restart reads the parent's counters in-process.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"
#include "../support/model.h"
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* What a scenario found: the answer the child sends back. */
enum regress_outcome {
	REGRESS_ABSENT = 0,	/* behaved as the fixed tree does */
	REGRESS_PRESENT = 1,	/* behaved as the tree before the fix */
	REGRESS_UNSEEN = 2,	/* the subject cannot show it (the reason) */
	REGRESS_OTHER = 3,	/* not this bug, but an answer Linux 6.12's
				 * contract calls wrong: our failure, a
				 * kernel's report */
};

/* A scenario: fills @why (what it saw) and says what it found. */
typedef enum regress_outcome (*regress_fn)(struct check_ctx *ctx,
					   char *why, size_t len);

/*
 * In the child: the pipe to the parent.  The child sends a line before
 * each operation that may crash ("doing") and its answer last; the parent
 * keeps the last line, so a child that dies (of a signal, or of a
 * sanitizer's report) is described by the operation it was doing.
 */
static int regress_pipe = -1;

static void regress_send(const char *line)
{
	size_t n = strlen(line);

	if (regress_pipe >= 0 && (write(regress_pipe, line, n) < 0 ||
				  write(regress_pipe, "\n", 1) < 0))
		regress_pipe = -1;
}

static void regress_doing_set(const char *what)
{
	regress_send(what);
}

static unsigned long assertions_failed(void)
{
	return atomic_read(&maple_tree_tests_run) -
	       atomic_read(&maple_tree_tests_passed);
}

/*
 * Print the verdict line and count it: a present bug fails on our tree,
 * is reported on a kernel's; @perf_only fixes are reported everywhere.
 */
static void regress_verdict(struct check_ctx *ctx, const char *fix,
			    bool present, bool perf_only, const char *seen)
{
	bool fail = present && !perf_only;

	printf("  %s: %s: bug %s on %s%s%s\n", ctx->name, fix,
	       present ? "present" : "absent", SUBJECT_NAME,
	       seen[0] ? ": " : "", seen);
#ifdef HARNESS_SUBJECT_KERNEL
	fail = false;
#endif
	CHECK(ctx, NULL, !fail, "%s: bug present: %s", fix, seen);
}

/*
 * Run @fn in a child process.  Exit 0/1/2/3 is the outcome; death by a
 * signal (a BUG_ON(), a wild pointer) is the bug's too.  A scenario whose
 * bug @may_crash a kernel subject is skipped there under valgrind, which
 * would count the child's fault as the run's error (as kernel_bugs.c does).
 */
static void regress_isolated(struct check_ctx *ctx, const char *fix,
			     regress_fn fn, bool perf_only, bool may_crash)
{
	char why[400] = "", line[400];
	ssize_t got, used = 0;
	int fds[2], status = 0;
	pid_t pid;

#ifdef HARNESS_SUBJECT_KERNEL
	if (may_crash && RUNNING_ON_VALGRIND) {
		check_skip(ctx, "under valgrind: %s may crash a kernel subject",
			   fix);
		return;
	}
#else
	(void)may_crash;
#endif
	if (!CHECK(ctx, NULL, pipe(fds) == 0, "%s: pipe() failed", fix))
		return;
	rcu_barrier();	/* the call_rcu() worker idle, its lock free */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		enum regress_outcome out;

		close(fds[0]);
		regress_pipe = fds[1];
		out = fn(ctx, why, sizeof(why));
		regress_send(why);
		fflush(stdout);
		_exit(out);
	}
	close(fds[1]);
	if (!CHECK(ctx, NULL, pid > 0, "%s: fork() failed", fix)) {
		close(fds[0]);
		return;
	}
	/* keep the last complete line */
	while ((got = read(fds[0], line + used, sizeof(line) - 1 - used)) > 0) {
		char *nl;

		used += got;
		line[used] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			snprintf(why, sizeof(why), "%s", line);
			used -= nl + 1 - line;
			memmove(line, nl + 1, used + 1);
		}
		if (used == (ssize_t)sizeof(line) - 1)
			used = 0;	/* a line too long: drop it */
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status) || WEXITSTATUS(status) > REGRESS_OTHER) {
		size_t n = strlen(why);

		if (WIFSIGNALED(status))
			snprintf(why + n, sizeof(why) - n, "%sthe child died "
				 "of signal %d", n ? ": " : "",
				 WTERMSIG(status));
		else
			snprintf(why + n, sizeof(why) - n, "%sthe child "
				 "stopped with status %d (a sanitizer's report "
				 "above)", n ? ": " : "", WEXITSTATUS(status));
		regress_verdict(ctx, fix, true, perf_only, why);
		return;
	}
	switch (WEXITSTATUS(status)) {
	case REGRESS_ABSENT:
		regress_verdict(ctx, fix, false, perf_only, why);
		break;
	case REGRESS_UNSEEN:
		check_skip_part(ctx, "%s: %s", fix, why);
		break;
	case REGRESS_OTHER:
		printf("  %s: %s: bug absent on %s, but its answer differs "
		       "from Linux 6.12's contract: %s\n", ctx->name, fix,
		       SUBJECT_NAME, why);
#ifdef HARNESS_SUBJECT_KERNEL
		CHECK(ctx, NULL, true, "%s", why);
#else
		CHECK(ctx, NULL, false, "%s: wrong answer: %s", fix, why);
#endif
		break;
	default:
		regress_verdict(ctx, fix, true, perf_only, why);
		break;
	}
}

/* Ranges [10i, 10i + 5] = value i, i < @nr, in @mt and in @m. */
static void build_spaced(struct maple_tree *mt, struct model *m,
			 unsigned long nr, unsigned int flags)
{
	unsigned long i;

	mt_init_flags(mt, flags);
	model_init(m);
	for (i = 0; i < nr; i++) {
		mtree_store_range(mt, i * 10, i * 10 + 5, xa_mk_value(i),
				  GFP_KERNEL);
		model_store(m, i * 10, i * 10 + 5, xa_mk_value(i));
	}
}

/*
 * Does @mt hold the model's ranges, and does mt_validate() find nothing?
 * In a child, on our tree, a difference is reported with a dump of the
 * tree (CHECK() prints it); on a kernel's, only the verdict line speaks.
 */
static bool regress_tree_ok(struct check_ctx *ctx, struct maple_tree *mt,
			    const struct model *m, const char *op,
			    char *why, size_t len)
{
	char diff[160];
	unsigned long bad = assertions_failed();
	int quiet = harness_quiet;
	bool ok;

	ok = check_tree_matches(mt, m, diff, sizeof(diff));
	if (ok) {
		harness_quiet = 1;
		mtree_lock(mt);
		mt_validate(mt);
		mtree_unlock(mt);
		harness_quiet = quiet;
		if (assertions_failed() != bad) {
			snprintf(diff, sizeof(diff),
				 "mt_validate() found a broken invariant");
			ok = false;
		}
	}
	if (!ok) {
		snprintf(why, len, "after %s: %s", op, diff);
#ifndef HARNESS_SUBJECT_KERNEL
		CHECK(ctx, mt, false, "%s", why);
#endif
	}
	return ok;
}

/* ------------------------------------------------ spanning store ends */

/*
 * CVE-2024-50200.  A store spanning two leaves walks a second state to
 * the index after its end to find what survives on the right.  When the
 * store ends exactly where a leaf ends and that leaf is the last child of
 * its parent, that walk stays in the consumed leaf, and its last range was
 * copied back behind the new entry: a range the store had overwritten
 * came back, out of order.  The fix copies the right side only when
 * something lies beyond the store's end.
 *
 * Our reproducer needs no knowledge of where the nodes end: in a tree of
 * three levels it stores over windows ending at every pivot (a range's
 * end, a gap's end) and inside ranges, NULL and not, each on a fresh
 * tree, so some window ends at each parent's last leaf.  The same sweep
 * covers the right state's end pivot: windows ending one before a pivot
 * and inside a range leave a remainder on the right that must survive.
 */
/* 200 ranges make three levels of 16-slot nodes; 32-bit nodes hold 32 */
#define SPAN_RANGES	(200 * (MAPLE_RANGE64_SLOTS / 16) * \
			 (MAPLE_RANGE64_SLOTS / 16))

static enum regress_outcome sc_spanning_end(struct check_ctx *ctx,
					    char *why, size_t len)
{
	static const unsigned long ends[] = { 2, 5, 8, 9 };
	static const unsigned long spans[] = { 30, 120 };
	unsigned long i, e, s, v, first, last, cases = 0;
	struct maple_tree mt;
	struct model m;
	char op[96];

	for (i = 3; i < SPAN_RANGES; i++) {
		for (e = 0; e < ARRAY_SIZE(ends); e++) {
			for (s = 0; s < ARRAY_SIZE(spans); s++) {
				for (v = 0; v < 2; v++) {
					void *entry = v ? xa_mk_value(99999) :
							  NULL;

					last = i * 10 + ends[e];
					if (spans[s] > last)
						continue;
					first = last + 1 - spans[s];
					build_spaced(&mt, &m, SPAN_RANGES, 0);
					if (mt_height(&mt) < 3) {
						snprintf(why, len, "the tree "
							 "has %u levels, not 3",
							 mt_height(&mt));
						mtree_destroy(&mt);
						model_destroy(&m);
						return REGRESS_UNSEEN;
					}
					snprintf(op, sizeof(op), "store %s "
						 "over [%lu, %lu]", entry ?
						 "a value" : "NULL", first,
						 last);
					regress_doing_set(op);
					mtree_store_range(&mt, first, last,
							  entry, GFP_KERNEL);
					model_store(&m, first, last, entry);
					cases++;
					if (!regress_tree_ok(ctx, &mt, &m, op,
							     why, len)) {
						mtree_destroy(&mt);
						model_destroy(&m);
						return REGRESS_PRESENT;
					}
					mtree_destroy(&mt);
					model_destroy(&m);
				}
			}
		}
	}
	snprintf(why, len, "%lu spanning stores right", cases);
	return REGRESS_ABSENT;
}

static void check_regress_spanning_end(struct check_ctx *ctx)
{
	regress_isolated(ctx, "CVE-2024-50200 spanning store consuming a "
			 "parent's last leaf", sc_spanning_end, false, false);
}
DEFINE_CHECK(check_regress_spanning_end,
	     "regression: spanning stores ending at every pivot of a "
	     "3-level tree (CVE-2024-50200)");

/* --------------------------------------------------- end pivot read */

/*
 * CVE-2023-54135.  mas_wr_end_piv() advanced through the pivots while the
 * write's end lay beyond the current one, and in a full node a write
 * ending in the last slot read one pivot past the array: the word there
 * is the node's first slot.  When that word, read as a number, lies
 * between the write's end and the node's end, it became the end of the
 * range after the write, and what lay beyond it was lost.
 *
 * Reproducer: a single full leaf whose first slot holds a value entry
 * (xa_mk_value(k) is the word 2k + 1, so k picks the number), a last
 * range that runs to ULONG_MAX, and writes that start in the slot before
 * the last and end a little into it.  k is picked so that the stray word
 * equals the write's end (the tree then believes the write consumes the
 * last range: ULONG_MAX is lost), and lies beyond it.
 */
static enum regress_outcome sc_end_piv(struct check_ctx *ctx, char *why,
				       size_t len)
{
	static const unsigned long starts[] = { 0, 5 };
	unsigned long slots = MAPLE_RANGE64_SLOTS;
	unsigned long top = (slots - 1) * 10;	/* the last range starts here */
	unsigned long kk, f, last, cases = 0;
	void *last_entry = xa_mk_value(424242);
	struct maple_tree mt;
	struct model m;
	char op[96];

	for (last = top + 1; last <= top + 41; last += 2) {
		unsigned long ks[] = { (last - 1) / 2, 5000 };

		for (kk = 0; kk < ARRAY_SIZE(ks); kk++) {
			for (f = 0; f < ARRAY_SIZE(starts); f++) {
				unsigned long i, first = top - 10 + starts[f];

				mt_init_flags(&mt, 0);
				model_init(&m);
				for (i = 0; i + 1 < slots; i++) {
					void *e = xa_mk_value(i ? i : ks[kk]);

					mtree_store_range(&mt, i * 10,
							  i * 10 + 9, e,
							  GFP_KERNEL);
					model_store(&m, i * 10, i * 10 + 9, e);
				}
				mtree_store_range(&mt, top, ULONG_MAX,
						  last_entry, GFP_KERNEL);
				model_store(&m, top, ULONG_MAX, last_entry);
				if (mt_height(&mt) != 1) {
					snprintf(why, len, "%lu ranges did not "
						 "fit one leaf", slots);
					mtree_destroy(&mt);
					model_destroy(&m);
					return REGRESS_UNSEEN;
				}
				snprintf(op, sizeof(op), "store over [%lu, "
					 "%lu] in a full leaf, slot 0 = "
					 "xa_mk_value(%lu)", first, last,
					 ks[kk]);
				regress_doing_set(op);
				mtree_store_range(&mt, first, last,
						  xa_mk_value(777), GFP_KERNEL);
				model_store(&m, first, last, xa_mk_value(777));
				cases++;
				if (!regress_tree_ok(ctx, &mt, &m, op, why,
						     len) ||
				    mtree_load(&mt, ULONG_MAX) != last_entry) {
					if (!why[0])
						snprintf(why, len, "after %s: "
							 "ULONG_MAX lost", op);
					mtree_destroy(&mt);
					model_destroy(&m);
					return REGRESS_PRESENT;
				}
				mtree_destroy(&mt);
				model_destroy(&m);
			}
		}
	}
	snprintf(why, len, "%lu writes into the last slot right", cases);
	return REGRESS_ABSENT;
}

static void check_regress_end_piv(struct check_ctx *ctx)
{
	regress_isolated(ctx, "CVE-2023-54135 mas_wr_end_piv() past the "
			 "pivots", sc_end_piv, false, false);
}
DEFINE_CHECK(check_regress_end_piv,
	     "regression: a write ending in a full leaf's last slot "
	     "(CVE-2023-54135)");

/* ----------------------------------------------- cyclic, second search */

/*
 * mas_alloc_cyclic() searches [next, hi] first and, when that fails,
 * [lo, hi].  Before the fix the failed first search left the state in an
 * error, and the second search gave up at once: -EBUSY while an index
 * was free.  tmpfs (simple_offset_add()) met it as the 1,025th file that
 * could not be created once one of the first 1,024 was removed.
 *
 * Two windows: [next, hi] full of cyclic allocations (the tmpfs case) and
 * [next, hi] taken by one stored range; in both one index below next is
 * then erased, and the allocation must wrap to it (return 1).
 */
#ifdef HAVE_MTREE_ALLOC_CYCLIC
static enum regress_outcome sc_alloc_cyclic(struct check_ctx *ctx, char *why,
					    size_t len)
{
	static const unsigned long his[] = { 1025, 5000 };
	unsigned long h;

	for (h = 0; h < ARRAY_SIZE(his); h++) {
		unsigned long next = 0, start = 0, i;
		struct maple_tree mt;
		struct model m;
		char op[96];
		int ret;

		mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
		model_init(&m);
		for (i = 2; i <= 1025; i++) {
			ret = mtree_alloc_cyclic(&mt, &start, xa_mk_value(i),
						 2, his[h], &next, GFP_KERNEL);
			if (ret != 0 || start != i) {
				snprintf(why, len, "allocation %lu of [2, %lu]"
					 " returned %d at %lu", i - 1, his[h],
					 ret, start);
				mtree_destroy(&mt);
				model_destroy(&m);
				return REGRESS_PRESENT;
			}
			model_store(&m, i, i, xa_mk_value(i));
		}
		if (his[h] > 1025) {	/* fill the rest of [next, hi] */
			mtree_store_range(&mt, 1026, his[h], xa_mk_value(1),
					  GFP_KERNEL);
			model_store(&m, 1026, his[h], xa_mk_value(1));
		}
		mtree_erase(&mt, 700);
		model_store(&m, 700, 700, NULL);
		ret = mtree_alloc_cyclic(&mt, &start, xa_mk_value(2), 2,
					 his[h], &next, GFP_KERNEL);
		if (ret == 1 && start == 700)
			model_store(&m, 700, 700, xa_mk_value(2));
		snprintf(op, sizeof(op), "erase 700, then alloc_cyclic in "
			 "[2, %lu] from next %lu", his[h], 1026UL);
		if (ret != 1 || start != 700) {
			snprintf(why, len, "%s: returned %d at %lu, expected "
				 "1 (wrapped) at 700", op, ret, start);
			mtree_destroy(&mt);
			model_destroy(&m);
			return REGRESS_PRESENT;
		}
		if (!regress_tree_ok(ctx, &mt, &m, op, why, len)) {
			mtree_destroy(&mt);
			model_destroy(&m);
			return REGRESS_PRESENT;
		}
		mtree_destroy(&mt);
		model_destroy(&m);
	}
	snprintf(why, len, "both windows wrapped to the freed index");
	return REGRESS_ABSENT;
}
#endif

static void check_regress_alloc_cyclic(struct check_ctx *ctx)
{
#ifdef HAVE_MTREE_ALLOC_CYCLIC
	regress_isolated(ctx, "mtree_alloc_cyclic() second search after a "
			 "failed first", sc_alloc_cyclic, false, false);
#else
	check_skip(ctx, "%s has no mtree_alloc_cyclic()", SUBJECT_NAME);
#endif
}
DEFINE_CHECK(check_regress_alloc_cyclic,
	     "regression: mtree_alloc_cyclic() wraps to a freed index when "
	     "[next, hi] is full");

/* -------------------------------------------- destroying a root leaf */

/*
 * A reader in rcu_read_lock() keeps a state on a node; when a writer
 * replaces the node, the node is marked dead and the reader walks again.
 * mt_destroy_walk() marked dead only the nodes it descended through, so
 * a root that is a single leaf was freed (after a grace period) alive:
 * the reader went on through the old leaf and returned entries the tree
 * no longer held.  A store over [0, ULONG_MAX] retires the root leaf that
 * way and leaves a new one-leaf root; the reader steps on with mas_next()
 * (mas_walk() could hide it, see check_regress_walk_restart) and must not
 * return the old leaf's second range.
 *
 * Emptying the tree (a store of NULL over [0, ULONG_MAX], or
 * mtree_destroy()) retires the root leaf the same way, but then the
 * reader's walk again finds no node at all: a second check below, for
 * what this work found there.
 *
 * In the child the write runs inside the reader's read section (nothing
 * frees the old leaf there: no call_rcu() worker runs in a child), so the
 * reader meets a leaf that is retired but still in memory, as a reader
 * on another CPU would.
 */
static enum regress_outcome sc_retire_root_leaf(struct check_ctx *ctx,
						char *why, size_t len,
						bool destroy)
{
	const char *op = destroy ? "a store of NULL over [0, ULONG_MAX]" :
				   "a store over [0, ULONG_MAX]";
	void *was_a = xa_mk_value(1), *was_b = xa_mk_value(2);
	void *now = xa_mk_value(3);
	struct maple_tree mt;
	struct model m;
	void *first, *next;
	MA_STATE(mas, &mt, 10, 10);

	mt_init_flags(&mt, MT_FLAGS_USE_RCU);
	model_init(&m);
	mtree_store_range(&mt, 10, 19, was_a, GFP_KERNEL);
	mtree_store_range(&mt, 30, 39, was_b, GFP_KERNEL);
	if (mt_height(&mt) != 1) {
		snprintf(why, len, "two ranges made %u levels", mt_height(&mt));
		return REGRESS_UNSEEN;
	}
	rcu_read_lock();
	first = mas_find(&mas, ULONG_MAX);
	/* inside the read section: a writer there may not sleep */
	if (destroy) {
		/* a plain write empties the tree: no destroy needed */
		mtree_store_range(&mt, 0, ULONG_MAX, NULL, check_atomic_gfp());
	} else {
		mtree_store_range(&mt, 0, ULONG_MAX, now, check_atomic_gfp());
		model_store(&m, 0, ULONG_MAX, now);
	}
	check_atomic_end();
	/* the old leaf is not freed before this read section ends */
	snprintf(why, len, "mas_next() of a reader after %s", op);
	regress_doing_set(why);
	why[0] = '\0';
	next = mas_next(&mas, ULONG_MAX);
	rcu_read_unlock();
	if (first != was_a || next == was_a || next == was_b) {
		snprintf(why, len, "after %s, the reader's mas_find() gave %p, "
			 "then mas_next() %p from the old leaf", op, first,
			 next);
		return REGRESS_PRESENT;
	}
	if (!regress_tree_ok(ctx, &mt, &m, op, why, len))
		return REGRESS_PRESENT;
	mtree_destroy(&mt);
	model_destroy(&m);
	snprintf(why, len, "mas_next() after %s walked again and returned %p",
		 op, next);
	return REGRESS_ABSENT;
}

static enum regress_outcome sc_destroy_leaf_root(struct check_ctx *ctx,
						 char *why, size_t len)
{
	return sc_retire_root_leaf(ctx, why, len, false);
}

static void check_regress_destroy_leaf_root(struct check_ctx *ctx)
{
	regress_isolated(ctx, "mt_destroy_walk() leaves a root leaf alive",
			 sc_destroy_leaf_root, false, false);
}
DEFINE_CHECK(check_regress_destroy_leaf_root,
	     "regression: a reader on a retired root leaf does not see its "
	     "old entries (RCU)");

/*
 * Not an upstream fix: found by the check above.  A writer stores NULL
 * over [0, ULONG_MAX] (plain use of the API; mtree_destroy() does the
 * same) while a reader in rcu_read_lock() stands on the root leaf.  The
 * reader's node is dead, its walk again finds an empty tree, and it must
 * answer NULL; Linux 6.1's and 6.12's mas_next_slot() (and our
 * mas_step_next()) go on with the NULL node that walk left and crash.
 */
static enum regress_outcome sc_reader_emptied(struct check_ctx *ctx,
					      char *why, size_t len)
{
	return sc_retire_root_leaf(ctx, why, len, true);
}

static void check_regress_reader_emptied(struct check_ctx *ctx)
{
	regress_isolated(ctx, "a reader whose leaf died re-walks into an "
			 "empty tree (found here, no upstream fix known)",
			 sc_reader_emptied, false, true);
}
DEFINE_CHECK(check_regress_reader_emptied,
	     "finding: mas_next() of an RCU reader whose tree a writer "
	     "emptied answers NULL");

/* ------------------------------------------------------ walk restart */

/*
 * mas_walk() on an active state should walk from the node it is on;
 * Linux 6.6 through 6.16 tested "not active OR not start", which is always
 * true, and walked from the root every time.  Results are the same, so
 * upstream calls it a performance fix; we report it and never fail on it.
 *
 * What we observe is the harness's count of RCU-protected loads
 * (rcu_dereference_check()) that happen outside rcu_read_lock() and the
 * tree's lock (debug builds, CONFIG_PROVE_RCU): the walk of a fresh state
 * loads the root and one slot per level; a walk that starts from the leaf
 * loads one slot.  The counter is put back afterwards.  Returns the loads
 * of the fresh walk and of the second walk, or false where loads are not
 * counted.
 */
static bool regress_walk_loads(unsigned long *fresh, unsigned long *again)
{
	unsigned long saved = harness_rcu_suspicious_count, c0, c1;
	int quiet = harness_rcu_quiet;
	struct maple_tree mt;
	struct model m;
	void *e1, *e2;
	MA_STATE(mas, &mt, 1003, 1003);

	build_spaced(&mt, &m, SPAN_RANGES, 0);
	model_destroy(&m);
	harness_rcu_quiet = 1;
	c0 = harness_rcu_suspicious_count;
	e1 = mas_walk(&mas);		/* single-threaded: no writer runs */
	c1 = harness_rcu_suspicious_count;
	mas.index = mas.last = 1004;	/* same range, state still active */
	e2 = mas_walk(&mas);
	*fresh = c1 - c0;
	*again = harness_rcu_suspicious_count - c1;
	harness_rcu_suspicious_count = saved;
	harness_rcu_quiet = quiet;
	mtree_destroy(&mt);
	return *fresh > 1 && e1 == xa_mk_value(100) && e2 == e1;
}

static void check_regress_walk_restart(struct check_ctx *ctx)
{
	static const char fix[] = "mas_walk() walks again from the root";
	unsigned long fresh = 0, again = 0;
	char seen[160];

	if (!regress_walk_loads(&fresh, &again)) {
		check_skip(ctx, "this build does not count RCU-protected loads"
			   " (CONFIG_PROVE_RCU is off), or the walk went wrong:"
			   " %lu loads", fresh);
		return;
	}
	snprintf(seen, sizeof(seen), "an active state's walk made %lu "
		 "protected loads, a fresh one %lu", again, fresh);
	regress_verdict(ctx, fix, again >= fresh, true, seen);
}
DEFINE_CHECK(check_regress_walk_restart,
	     "regression (performance, reported only): mas_walk() on an "
	     "active state starts from its node");

/* ---------------------------------------------- restore to ma_active */

/*
 * A first call on a fresh state may stop at once with ma_underflow or
 * ma_overflow (mas_prev() at its minimum, mas_next() at its maximum)
 * before any node was set in mas->node.  The next call in the other
 * direction restored ma_active with that NULL node and walked it; only
 * mas_walk()'s restart from the root (above) hid the crash.  The fix
 * restores ma_active only with a node.
 *
 * Reproducer: each direction after each early stop, on a one-leaf tree
 * and a three-level one, compared with the model.  On a subject whose
 * mas_walk() restarts, mas_next(), mas_prev() and mas_find() hide the
 * bug; mas_find_rev() after ma_overflow does not call mas_walk() and
 * shows it.  The bug walks a NULL node, so it shows as a crash; a wrong
 * answer without one is another matter (Linux 6.1 has neither state and
 * its own answers), reported as such.
 */
/* The model's first range starting above @at, or its last ending below. */
static const struct model_range *model_beyond(const struct model *m,
					      unsigned long at, bool up)
{
	size_t i;

	if (up) {
		for (i = 0; i < m->nr; i++)
			if (m->ranges[i].first > at)
				return &m->ranges[i];
		return NULL;
	}
	for (i = m->nr; i-- > 0;)
		if (m->ranges[i].last < at)
			return &m->ranges[i];
	return NULL;
}

#define RESTORE_WAYS	6

static bool regress_restore_one(struct maple_tree *mt, const struct model *m,
				unsigned long at, int how, char *why,
				size_t len)
{
	static const char * const names[RESTORE_WAYS] = {
		"mas_prev(min = index), then mas_next()",
		"mas_prev(min = index), then mas_find()",
		"mas_next(max = index), then mas_prev()",
		"mas_next(max = index), then mas_find_rev()",
		"mas_next(max = index), then mas_next(max = ULONG_MAX)",
		"mas_prev(min = index), then mas_prev(min = 0)",
	};
	const struct model_range *want;
	void *stop, *got;
	MA_STATE(mas, mt, at, at);

	snprintf(why, len, "%s at %lu on %u levels", names[how], at,
		 mt_height(mt));
	regress_doing_set(why);
	why[0] = '\0';
	rcu_read_lock();
	switch (how) {
	case 0:
	case 1:	/* the walk finds the range at the index first */
		stop = mas_prev(&mas, at);
		got = how == 0 ? mas_next(&mas, ULONG_MAX) :
				 mas_find(&mas, ULONG_MAX);
		want = model_find(m, at, ULONG_MAX);
		break;
	case 2:
	case 3:
		stop = mas_next(&mas, at);
		got = how == 2 ? mas_prev(&mas, 0) : mas_find_rev(&mas, 0);
		want = model_find_rev(m, at, 0);
		break;
	case 4:	/* the limit moved: go on past the range at the index */
		stop = mas_next(&mas, at);
		got = mas_next(&mas, ULONG_MAX);
		want = model_beyond(m, at, true);
		break;
	default:
		stop = mas_prev(&mas, at);
		got = mas_prev(&mas, 0);
		want = model_beyond(m, at, false);
		break;
	}
	rcu_read_unlock();
	if (stop == NULL && got == (want ? want->entry : NULL) &&
	    (!got || (mas.index == want->first && mas.last == want->last)))
		return true;
	snprintf(why, len, "%s at %lu: stopped with %p, then %p [%lu, %lu], "
		 "expected %p", names[how], at, stop, got, mas.index, mas.last,
		 want ? want->entry : NULL);
	return false;
}

/* The way the next child tries (set before fork(), read in the child). */
static int regress_restore_way;

static enum regress_outcome sc_restore_active(struct check_ctx *ctx,
					      char *why, size_t len)
{
	static const unsigned long sizes[] = { 4, SPAN_RANGES };
	static const unsigned long ats[] = { 10, 12, 17, 1000, 1003 };
	unsigned long s, a;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct maple_tree mt;
		struct model m;

		build_spaced(&mt, &m, sizes[s], 0);
		for (a = 0; a < ARRAY_SIZE(ats); a++) {
			if (regress_restore_one(&mt, &m, ats[a],
						regress_restore_way, why, len))
				continue;
#ifndef HARNESS_SUBJECT_KERNEL
			CHECK(ctx, &mt, false, "%s", why);
#endif
			mtree_destroy(&mt);
			model_destroy(&m);
			/* the bug walks a NULL node: it crashes */
			return REGRESS_OTHER;
		}
		mtree_destroy(&mt);
		model_destroy(&m);
	}
	snprintf(why, len, "right at every index, on 1 and 3 levels");
	return REGRESS_ABSENT;
}

/* One child per way, so that each way's verdict is printed. */
static void check_regress_restore_active(struct check_ctx *ctx)
{
	static const char * const ways[RESTORE_WAYS] = {
		"underflow, then mas_next()", "underflow, then mas_find()",
		"overflow, then mas_prev()", "overflow, then mas_find_rev()",
		"overflow, then mas_next() with a higher max",
		"underflow, then mas_prev() with a lower min",
	};
	unsigned long fresh = 0, again = 0;
	char fix[120];

	if (regress_walk_loads(&fresh, &again) && again >= fresh)
		printf("  %s: note: %s's mas_walk() walks from the root every "
		       "time, which hides this bug from the ways that call "
		       "it\n", ctx->name, SUBJECT_NAME);
	for (regress_restore_way = 0; regress_restore_way < RESTORE_WAYS;
	     regress_restore_way++) {
		snprintf(fix, sizeof(fix), "ma_active restored with no node "
			 "(%s)", ways[regress_restore_way]);
		regress_isolated(ctx, fix, sc_restore_active, false, true);
	}
}
DEFINE_CHECK(check_regress_restore_active,
	     "regression: mas_next/prev/find after an early underflow or "
	     "overflow");

/* --------------------------------------------- preallocating twice */

/*
 * mas_preallocate() called again on a state that already preallocated
 * (the VMA code does) must top the state up to what the new store needs.
 * Before the fix the flag left by the first call made the allocator
 * return early: the second store ran out of nodes (a BUG_ON() or a NULL
 * node).  Reproducer: preallocate for a store inside one range (one
 * node) or over one range exactly (no node), then for a store spanning
 * most of a three-level tree, then mas_store_prealloc(), which must not
 * allocate at all.
 */
#ifdef HAVE_MAS_PREALLOCATE
static enum regress_outcome sc_prealloc_twice(struct check_ctx *ctx,
					      char *why, size_t len)
{
	static const unsigned long spans[][2] = {
		{ 1000, 1005 }, { 15, 1888 },	/* exact fit, then wide */
		{ 1002, 1003 }, { 15, 1888 },	/* one node, then wide */
		{ 500, 505 }, { 0, 1995 },	/* exact fit, then almost all */
	};
	unsigned long p, before, after;
	struct maple_tree mt;
	struct model m;
	char op[96];
	int r1, r2;

	for (p = 0; p < ARRAY_SIZE(spans); p += 2) {
		MA_STATE(mas, &mt, spans[p][0], spans[p][1]);

		build_spaced(&mt, &m, SPAN_RANGES, 0);
		snprintf(op, sizeof(op), "preallocate for [%lu, %lu], then "
			 "for [%lu, %lu], then store", spans[p][0], spans[p][1],
			 spans[p + 1][0], spans[p + 1][1]);
		regress_doing_set(op);
		mtree_lock(&mt);
		r1 = mas_preallocate(&mas, xa_mk_value(5), check_atomic_gfp());
		mas_set_range(&mas, spans[p + 1][0], spans[p + 1][1]);
		r2 = mas_preallocate(&mas, xa_mk_value(6), check_atomic_gfp());
		check_atomic_end();
		before = harness_alloc_count();
		if (!r1 && !r2)
			mas_store_prealloc(&mas, xa_mk_value(6));
		after = harness_alloc_count();
		mas_destroy(&mas);
		mtree_unlock(&mt);
		if (r1 || r2 || after != before) {
			snprintf(why, len, "%s: returned %d and %d, the store "
				 "allocated %lu nodes", op, r1, r2,
				 after - before);
			mtree_destroy(&mt);
			model_destroy(&m);
			return REGRESS_PRESENT;
		}
		model_store(&m, spans[p + 1][0], spans[p + 1][1],
			    xa_mk_value(6));
		if (!regress_tree_ok(ctx, &mt, &m, op, why, len)) {
			mtree_destroy(&mt);
			model_destroy(&m);
			return REGRESS_PRESENT;
		}
		mtree_destroy(&mt);
		model_destroy(&m);
	}
	snprintf(why, len, "the second preallocation covered both stores");
	return REGRESS_ABSENT;
}
#endif

static void check_regress_prealloc_twice(struct check_ctx *ctx)
{
#ifdef HAVE_MAS_PREALLOCATE
	regress_isolated(ctx, "a second mas_preallocate() allocates nothing",
			 sc_prealloc_twice, false, true);
#else
	check_skip(ctx, "%s has no mas_preallocate()", SUBJECT_NAME);
#endif
}
DEFINE_CHECK(check_regress_prealloc_twice,
	     "regression: mas_preallocate() twice, then a store that needs "
	     "the second");

/* ------------------------------------- gap search on a nodeless tree */

/*
 * Linux 6.5 ("fix mas_empty_area_rev() null pointer dereference", in
 * 6.1 stable): the reverse gap search read the data end of the node the
 * state's start left, and on a tree with no node (empty, or one entry at
 * index 0 kept in the root pointer) that node is NULL.  Reproducer: both
 * searches, both directions, on both nodeless trees, answers compared
 * with the model.
 */
static enum regress_outcome sc_empty_area_nodeless(struct check_ctx *ctx,
						   char *why, size_t len)
{
	int shape, rev, ret;

	for (shape = 0; shape < 2; shape++) {
		struct maple_tree mt;
		struct model m;

		mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
		model_init(&m);
		if (shape) {
			mtree_store_range(&mt, 0, 0, xa_mk_value(1),
					  GFP_KERNEL);
			model_store(&m, 0, 0, xa_mk_value(1));
		}
		for (rev = 0; rev < 2; rev++) {
			unsigned long want = 0;
			bool found;
			MA_STATE(mas, &mt, 0, 0);

			snprintf(why, len, "mas_empty_area%s(0, 100, 10) on %s",
				 rev ? "_rev" : "", shape ?
				 "a tree of [0, 0] in the root" :
				 "an empty tree");
			regress_doing_set(why);
			found = model_empty_area(&m, 0, 100, 10, rev, &want);
			rcu_read_lock();
			ret = rev ? mas_empty_area_rev(&mas, 0, 100, 10) :
				    mas_empty_area(&mas, 0, 100, 10);
			rcu_read_unlock();
			if (!found || ret || mas.index != want ||
			    mas.last != want + 9) {
				size_t n = strlen(why);

				snprintf(why + n, len - n, ": returned %d [%lu,"
					 " %lu], expected [%lu, %lu]", ret,
					 mas.index, mas.last, want, want + 9);
				mtree_destroy(&mt);
				model_destroy(&m);
				return REGRESS_OTHER;
			}
		}
		mtree_destroy(&mt);
		model_destroy(&m);
	}
	snprintf(why, len, "every search on a nodeless tree answered right");
	return REGRESS_ABSENT;
}

static void check_regress_empty_area_nodeless(struct check_ctx *ctx)
{
	regress_isolated(ctx, "mas_empty_area_rev() on a tree with no node",
			 sc_empty_area_nodeless, false, true);
}
DEFINE_CHECK(check_regress_empty_area_nodeless,
	     "regression: gap searches on an empty tree and a root-entry "
	     "tree");

/* ---------------------------------------------------------- rebalance */

/*
 * Erasing drives leaves and their parents below their minimum fill, and
 * the tree rebalances them with a neighbour or merges them; Linux 7.1
 * fixed an off-by-one in how much data such a rebalance moves.  The sweep
 * erases every range of a three-level tree in four orders (from the
 * right, which rebalances last children with their left neighbour; from
 * the left; every third range first, which leaves nodes at the minimum;
 * from the middle outwards), and also erases runs of 2 to 5 ranges at
 * every position of a fresh tree, checking the content and mt_validate()
 * after every write.
 */
static enum regress_outcome sc_rebalance(struct check_ctx *ctx, char *why,
					 size_t len)
{
	unsigned long nr = SPAN_RANGES, i, k, run, order, writes = 0;
	unsigned long seq[SPAN_RANGES];
	struct maple_tree mt;
	struct model m;
	char op[96];

	for (order = 0; order < 4; order++) {
		for (k = 0, i = 0; i < nr; i++) {
			switch (order) {
			case 0:		/* from the right */
				seq[i] = nr - 1 - i;
				break;
			case 1:		/* from the left */
				seq[i] = i;
				break;
			case 2:	/* 0, 3, 6, ..., then 1, 4, ..., then 2, ... */
				seq[i] = k;
				k += 3;
				if (k >= nr)
					k = k % 3 + 1;
				break;
			default:	/* nr/2, nr/2 - 1, nr/2 + 1, ... */
				seq[i] = i & 1 ? nr / 2 - 1 - i / 2 :
						 nr / 2 + i / 2;
				break;
			}
		}
		build_spaced(&mt, &m, nr, 0);
		for (k = 0; k < nr; k++) {
			i = seq[k];
			snprintf(op, sizeof(op), "erase order %lu, erase %lu "
				 "of %lu (range %lu)", order, k + 1, nr, i);
			regress_doing_set(op);
			mtree_erase(&mt, i * 10 + 1);
			model_store(&m, i * 10, i * 10 + 5, NULL);
			writes++;
			if (!regress_tree_ok(ctx, &mt, &m, op, why, len)) {
				mtree_destroy(&mt);
				model_destroy(&m);
				return REGRESS_PRESENT;
			}
		}
		mtree_destroy(&mt);
		model_destroy(&m);
	}
	for (run = 2; run <= 5; run++) {
		for (i = 0; i + run <= nr; i++) {
			build_spaced(&mt, &m, nr, 0);
			snprintf(op, sizeof(op), "erase ranges %lu to %lu",
				 i, i + run - 1);
			regress_doing_set(op);
			for (k = 0; k < run; k++) {
				mtree_erase(&mt, (i + k) * 10);
				model_store(&m, (i + k) * 10, (i + k) * 10 + 5,
					    NULL);
			}
			writes++;
			if (!regress_tree_ok(ctx, &mt, &m, op, why, len)) {
				mtree_destroy(&mt);
				model_destroy(&m);
				return REGRESS_PRESENT;
			}
			mtree_destroy(&mt);
			model_destroy(&m);
		}
	}
	snprintf(why, len, "%lu erasing writes right", writes);
	return REGRESS_ABSENT;
}

static void check_regress_rebalance(struct check_ctx *ctx)
{
	regress_isolated(ctx, "rebalance after erases (7.1 off-by-one)",
			 sc_rebalance, false, false);
}
DEFINE_CHECK(check_regress_rebalance,
	     "regression: every erase order and run of a 3-level tree "
	     "rebalances right");
