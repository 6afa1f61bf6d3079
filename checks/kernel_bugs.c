// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal reproducers of misbehaviours the differential test found in
 * Linux 6.12's maple tree (difftest/), and the checks in Linux 6.1's
 * (Debian 12's 6.1.192).  Each runs against every subject: our tree must
 * get it right; when the subject is a kernel tree (HARNESS_SUBJECT_KERNEL)
 * the check reports what the kernel did and passes, so a kernel tree stays
 * usable as a subject and a fixed kernel shows up as "fixed".  The 6.1
 * ones, but for the allocation failure (which needs our injection),
 * reproduce the same way with the kernel's own userspace harness
 * (tools/testing/radix-tree of the same tarball).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

/* Count the outcome: right, or a kernel's known wrong answer reported. */
static void expect_or_report(struct check_ctx *ctx, struct maple_tree *mt,
			     bool right, const char *what, const char *seen)
{
#ifdef HARNESS_SUBJECT_KERNEL
	if (!right) {
		printf("  %s: kernel misbehaviour reproduced: %s (%s)\n",
		       ctx->name, what, seen);
		right = true;
	} else if (ctx->verbose) {
		printf("  %s: this kernel gets it right: %s\n", ctx->name,
		       what);
	}
#endif
	CHECK(ctx, mt, right, "%s: %s", what, seen);
}

/*
 * mtree_insert_range() must refuse any range that is partly occupied.
 * Linux 6.12 checks only the entry at the first index, so on a tree whose
 * root is a single leaf it overwrites (or, inserting NULL, erases) entries
 * inside the range and returns 0.
 */
static void check_insert_range_occupied(struct check_ctx *ctx)
{
	char seen[96];
	void *entry;
	int ret;
	DEFINE_MTREE(mt);

	mtree_store_range(&mt, 10, 20, xa_mk_value(1), GFP_KERNEL);
	ret = mtree_insert_range(&mt, 0, ULONG_MAX, xa_mk_value(2), GFP_KERNEL);
	entry = mtree_load(&mt, 15);
	snprintf(seen, sizeof(seen), "returned %d, index 15 now holds %p",
		 ret, entry);
	expect_or_report(ctx, &mt, ret == -EEXIST && entry == xa_mk_value(1),
			 "insert [0, ULONG_MAX] over [10, 20]", seen);
	mtree_destroy(&mt);

	mtree_store_range(&mt, 10, 20, xa_mk_value(1), GFP_KERNEL);
	ret = mtree_insert_range(&mt, 5, 100, NULL, GFP_KERNEL);
	entry = mtree_load(&mt, 15);
	snprintf(seen, sizeof(seen), "returned %d, index 15 now holds %p",
		 ret, entry);
	expect_or_report(ctx, &mt, ret == -EEXIST && entry == xa_mk_value(1),
			 "insert NULL at [5, 100] over [10, 20]", seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_insert_range_occupied,
	     "reproducer: insert over a partly occupied range is -EEXIST");

/*
 * mtree_alloc_rrange() near ULONG_MAX: with one entry at
 * [ULONG_MAX - 23, ULONG_MAX - 8], a window [ULONG_MAX - 61, ULONG_MAX]
 * still has 38 free indices below the entry; 19 of them fit.  Linux 6.12
 * answers -EBUSY.  (Found by difftest --seed 191.)
 */
static void check_alloc_rrange_top(struct check_ctx *ctx)
{
	unsigned long start = 0;
	char seen[96];
	int ret;
	DEFINE_MTREE(mt);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_store_range(&mt, ULONG_MAX - 23, ULONG_MAX - 8, xa_mk_value(1),
			  GFP_KERNEL);
	ret = mtree_alloc_rrange(&mt, &start, xa_mk_value(2), 19,
				 ULONG_MAX - 61, ULONG_MAX, GFP_KERNEL);
	snprintf(seen, sizeof(seen), "returned %d, start ULONG_MAX - %lu",
		 ret, ULONG_MAX - start);
	expect_or_report(ctx, &mt, ret == 0 && start == ULONG_MAX - 42,
			 "alloc_rrange of 19 in [ULONG_MAX - 61, ULONG_MAX]",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_alloc_rrange_top,
	     "reproducer: reverse allocation below an entry near ULONG_MAX");

/*
 * mtree_erase() cannot report -ENOMEM, so it must not fail silently: in RCU
 * mode an erase allocates, and when that allocation fails Linux 6.12's
 * mas_erase() returns the entry as if erased but leaves it in the tree.
 * (Found by check_failure_sweep.)
 */
static void check_erase_nomem(struct check_ctx *ctx)
{
	char seen[96];
	void *entry, *left;
	unsigned long i;
	DEFINE_MTREE(mt);

	mt_init_flags(&mt, MT_FLAGS_USE_RCU);
	for (i = 0; i < 300; i++)
		mtree_store_range(&mt, i * 16, i * 16 + 7, xa_mk_value(i),
				  GFP_KERNEL);
	harness_fail_nth_alloc(0);
	entry = mtree_erase(&mt, 77 * 16);
	harness_fail_nth_alloc(-1);
	left = mtree_load(&mt, 77 * 16);
	snprintf(seen, sizeof(seen), "returned %p, index %d still holds %p",
		 entry, 77 * 16, left);
	expect_or_report(ctx, &mt, entry == xa_mk_value(77) && left == NULL,
			 "erase in RCU mode with its first allocation failing",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_erase_nomem,
	     "reproducer: an erase whose allocation fails still erases");

/*
 * mas_find_rev() must not return an entry below its limit.  When the root
 * holds a single entry at index 0 directly, Linux 6.12 returns it whatever
 * the limit.  (Found by the fuzzer, make fuzz.)
 */
static void check_find_rev_root_entry(struct check_ctx *ctx)
{
	char seen[96];
	void *entry;
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 7816, 7816);

	mtree_store_range(&mt, 0, 0, xa_mk_value(5), GFP_KERNEL);
	rcu_read_lock();
	entry = mas_find_rev(&mas, 7789);
	rcu_read_unlock();
	snprintf(seen, sizeof(seen), "returned %p [%lu, %lu]", entry,
		 mas.index, mas.last);
	expect_or_report(ctx, &mt, entry == NULL,
			 "mas_find_rev(7816, min 7789) on a tree of [0, 0]",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_find_rev_root_entry,
	     "reproducer: mas_find_rev honours its limit on a root entry");

/* ------------------------------------------- found in Linux 6.1.192 */

/* An allocation tree of @nr ranges [i * 100, i * 100 + 49]: 3 levels. */
static void build_hundreds(struct maple_tree *mt, unsigned long nr)
{
	unsigned long i;

	mt_init_flags(mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < nr; i++)
		mtree_store_range(mt, i * 100, i * 100 + 49, xa_mk_value(i),
				  GFP_KERNEL);
}

/*
 * mtree_alloc_range() must use its whole window [min, max].  Linux 6.1
 * looks for the whole block in [min, max - size], so the top @size indices
 * of the window are never used: 50 indices in [5000, 5099], free only in
 * [5050, 5099], is -EBUSY.  (Found by check_gaps on 6.1.)
 */
static void check_alloc_range_window(struct check_ctx *ctx)
{
	unsigned long start = 0;
	char seen[96];
	int ret;
	struct maple_tree mt;

	build_hundreds(&mt, 100);
	ret = mtree_alloc_range(&mt, &start, xa_mk_value(1), 50, 5000, 5099,
				GFP_KERNEL);
	snprintf(seen, sizeof(seen), "returned %d, start %lu", ret, start);
	expect_or_report(ctx, &mt, ret == 0 && start == 5050 &&
			 mtree_load(&mt, 5099) == xa_mk_value(1),
			 "alloc_range of 50 in [5000, 5099], gap [5050, 5099]",
			 seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_alloc_range_window,
	     "reproducer: mtree_alloc_range uses the top of its window");

/*
 * mtree_alloc_range() whose node allocations all fail must say so.  Linux
 * 6.1's mas_alloc() ignores the failed store and returns 0, and when
 * mas_nomem() cannot allocate either, mtree_alloc_range() returns 0 and a
 * start with nothing stored.  (Found by check_failure_sweep on 6.1.)
 */
static void check_alloc_range_nomem(struct check_ctx *ctx)
{
	unsigned long start = 0;
	char seen[96];
	void *entry;
	int ret;
	struct maple_tree mt;

	build_hundreds(&mt, 100);
	mt_set_non_kernel(0);
	harness_fail_nth_alloc(0);
	ret = mtree_alloc_range(&mt, &start, xa_mk_value(1), 10, 5000,
				ULONG_MAX, GFP_KERNEL);
	harness_fail_nth_alloc(-1);
	entry = ret ? NULL : mtree_load(&mt, start);
	snprintf(seen, sizeof(seen), "returned %d, start %lu holds %p", ret,
		 start, entry);
	expect_or_report(ctx, &mt, ret == -ENOMEM ||
			 (ret == 0 && entry == xa_mk_value(1)),
			 "alloc_range with its allocations failing", seen);
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_alloc_range_nomem,
	     "reproducer: mtree_alloc_range never reports a lost store as done");

/*
 * mas_empty_area() and mas_empty_area_rev() take any window of at least
 * one index and refuse bad arguments with -EINVAL (Linux 6.12's contract).
 * Linux 6.1 refuses a one-index window (min == max), accepts size 0
 * forward (0, with last = index - 1) and answers -EBUSY for size 0 in
 * reverse and for a window smaller than the size.  (Found by check_gaps
 * and check_bad_input on 6.1.)
 */
static void check_empty_area_args(struct check_ctx *ctx)
{
	static const struct {
		unsigned long min, max, size;
		bool rev;
		int want;
		unsigned long index;
	} calls[] = {
		{ 60, 60, 1, false, 0, 60 },		/* one free index */
		{ 60, 60, 1, true, 0, 60 },
		{ 50, 99, 0, false, -EINVAL, 0 },	/* size 0 */
		{ 50, 99, 0, true, -EINVAL, 0 },
		{ 50, 59, 11, false, -EINVAL, 0 },	/* window < size */
		{ 50, 59, 11, true, -EINVAL, 0 },
	};
	struct maple_tree mt;
	char what[96], seen[96];
	size_t i;
	int ret;

	build_hundreds(&mt, 100);
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		MA_STATE(mas, &mt, 0, 0);

		rcu_read_lock();
		if (calls[i].rev)
			ret = mas_empty_area_rev(&mas, calls[i].min,
						 calls[i].max, calls[i].size);
		else
			ret = mas_empty_area(&mas, calls[i].min, calls[i].max,
					     calls[i].size);
		rcu_read_unlock();
		snprintf(what, sizeof(what), "mas_empty_area%s(min %lu, max "
			 "%lu, size %lu)", calls[i].rev ? "_rev" : "",
			 calls[i].min, calls[i].max, calls[i].size);
		snprintf(seen, sizeof(seen), "returned %d [%lu, %lu], want %d",
			 ret, mas.index, mas.last, calls[i].want);
		expect_or_report(ctx, &mt, ret == calls[i].want &&
				 (ret || (mas.index == calls[i].index &&
					  mas.last == calls[i].index +
					  calls[i].size - 1)), what, seen);
	}
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_empty_area_args,
	     "reproducer: mas_empty_area* take one-index windows, refuse "
	     "bad sizes");

/*
 * mtree_alloc_rrange() on a tree that is a single leaf.  Linux 6.1's
 * mas_fill_gap() takes the leaf's bounds from its "parent" (the leaf
 * itself), so the store goes down the spanning path with wrong limits and
 * reads through a NULL pivot array: a crash.  Run in a child process so
 * that a crashing subject is reported, not fatal (valgrind runs of a
 * kernel subject skip it: memcheck would report the child's fault).
 */
static void check_alloc_one_leaf(struct check_ctx *ctx)
{
	unsigned long start = 0;
	char seen[96];
	int status = 0;
	pid_t pid;

#ifdef HARNESS_SUBJECT_KERNEL
	if (check_under_valgrind()) {
		check_skip(ctx, "under valgrind: it may crash a kernel subject");
		return;
	}
#endif
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		struct maple_tree mt;
		unsigned int bad = atomic_read(&maple_tree_tests_run) -
				   atomic_read(&maple_tree_tests_passed);
		bool right;
		int ret;

		harness_quiet = 1;
		close(STDERR_FILENO);
		mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
		mtree_store_range(&mt, 0, 9, xa_mk_value(1), GFP_KERNEL);
		mtree_store_range(&mt, 16, 100, xa_mk_value(2), GFP_KERNEL);
		ret = mtree_alloc_rrange(&mt, &start, xa_mk_value(3), 6, 0,
					 200, GFP_KERNEL);
		mtree_lock(&mt);
		mt_validate(&mt);
		mtree_unlock(&mt);
		right = ret == 0 && start == 195 &&
			mtree_load(&mt, 200) == xa_mk_value(3) &&
			mtree_load(&mt, 201) == NULL &&
			mtree_load(&mt, 50) == xa_mk_value(2) &&
			atomic_read(&maple_tree_tests_run) -
			atomic_read(&maple_tree_tests_passed) == bad;
		mtree_destroy(&mt);	/* nothing left for valgrind to see */
		_exit(right ? 0 : 1);
	}
	if (!CHECK(ctx, NULL, pid > 0, "fork failed"))
		return;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		snprintf(seen, sizeof(seen), "the child died of signal %d",
			 WTERMSIG(status));
	else
		snprintf(seen, sizeof(seen), "exit status %d",
			 WEXITSTATUS(status));
	expect_or_report(ctx, NULL, WIFEXITED(status) &&
			 WEXITSTATUS(status) == 0,
			 "alloc_rrange of 6 in [0, 200] on a one-leaf tree", seen);
}
DEFINE_CHECK(check_alloc_one_leaf,
	     "reproducer: allocation on a one-leaf tree (in a child process)");
