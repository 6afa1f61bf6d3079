// SPDX-License-Identifier: GPL-2.0
/*
 * Gaps: the free-space search of allocation trees, checked against the
 * reference model (support/model.h) after every kind of write.
 *
 * An allocation tree (MT_FLAGS_ALLOC_RANGE) keeps, for every child of an
 * internal node, the largest run of empty indices below it; every write
 * shape (exact fit, append, split, spanning store, rebalance after erase,
 * RCU copy, bulk mode) must keep those figures right.  Each scenario below
 * builds a tree by one kind of write, and after every write
 *
 *  - mt_validate() must find nothing (both subjects check the gaps), and
 *  - mas_empty_area() and mas_empty_area_rev() must agree with
 *    model_empty_area() on a set of (min, max, size) windows: random ones,
 *    windows exactly the size of a gap of the model, windows touching 0
 *    and ULONG_MAX, and malformed ones.
 *
 * The contract compared:  -EINVAL for size 0, min > max, or a window of
 * fewer than size indices; -EBUSY when no run of size empty indices lies
 * in [min, max]; else 0 with ms.index the lowest (rev: highest) start of
 * such a run and ms.last = ms.index + size - 1.
 *
 * The same model judges mtree_alloc_range(), mtree_alloc_rrange(),
 * mtree_alloc_cyclic() and mas_alloc_cyclic(), whose contract (Linux 6.12)
 * is: search [max(lo, *next), hi] for one free index; if that fails and
 * *next was above lo, search [lo, hi] again and return 1 ("wrapped");
 * after storing at start set *next = start + 1, and when that overflows
 * to 0 set MT_FLAGS_ALLOC_WRAPPED, so that the next allocation that does
 * not wrap itself returns 1 and clears the flag.
 *
 * Known misbehaviour of Linux 6.12 (see kernel_bugs.c), reported and not
 * failed when the subject is a kernel tree (HARNESS_SUBJECT_KERNEL):
 * with a range near ULONG_MAX, the reverse search answers -EBUSY where a
 * run fits (check_alloc_rrange_top),
 * and on a tree without MT_FLAGS_ALLOC_RANGE, which keeps no gap figures,
 * mas_empty_area*() answer -EBUSY although a run exists (a tree that cannot
 * answer must say -EINVAL, never a wrong answer).  Linux 6.1 adds two:
 * mas_empty_area*() check their arguments otherwise (a one-index window is
 * -EINVAL, size 0 or a window smaller than the size is not;
 * check_empty_area_args), and mtree_alloc_range() never uses the top @size
 * indices of its window (check_alloc_range_window).
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"
#include "../support/model.h"

/* One scenario's state: the tree, its model, the figures for -v. */
struct gap_run {
	struct check_ctx *ctx;
	struct maple_tree *mt;
	struct model m;
	unsigned long long rnd;		/* check_random() state */
	unsigned long base;		/* lowest index the scenario writes */
	unsigned long span;		/* it writes in [base, base + span - 1] */
	const char *scenario;
	const char *op;			/* the last write, for messages */
	unsigned long writes;		/* writes made */
	unsigned long windows;		/* windows compared */
	unsigned long reported;		/* kernel misbehaviours reported */
	/*
	 * NULL: the tree's spinlock, taken by the mtree_*() API.  Else the
	 * tree is locked as the mm locks mm_mt, by this rwsem
	 * (MT_FLAGS_LOCK_EXTERN), and written through the mas_*() API under
	 * it: mas_expected_entries() allocates with GFP_KERNEL inside the
	 * lock, which must then be one it may sleep under.
	 */
	struct rw_semaphore *sem;
};

static void run_lock(struct gap_run *r)
{
	if (r->sem)
		down_write(r->sem);
	else
		mtree_lock(r->mt);
}

static void run_unlock(struct gap_run *r)
{
	if (r->sem)
		up_write(r->sem);
	else
		mtree_unlock(r->mt);
}

/* Totals over the whole check, for -v and the kernel report. */
static unsigned long windows_compared;
static unsigned long allocs_compared;
static unsigned long kernel_rev_busy;	/* 6.12: rev -EBUSY, a run fits */
static unsigned long kernel_plain_busy;	/* 6.12: non-alloc tree -EBUSY */
static unsigned long kernel_args;	/* 6.1: other argument checks */
static unsigned long kernel_window;	/* 6.1: top of the window unused */
static unsigned long plain_einval;	/* non-alloc tree answered -EINVAL */

static unsigned long rnd(struct gap_run *r, unsigned long n)
{
	return n ? check_random(&r->rnd) % n : 0;
}

static unsigned long assertions_failed(void)
{
	return atomic_read(&maple_tree_tests_run) -
	       atomic_read(&maple_tree_tests_passed);
}

/* An entry that names where it was written (never NULL, never internal). */
static void *gap_entry(unsigned long first)
{
	return xa_mk_value(first & (LONG_MAX >> 1));
}

/* ------------------------------------------------------- the contract */

#ifdef HARNESS_SUBJECT_KERNEL
/*
 * Linux 6.12's wrong reverse -EBUSY (check_alloc_rrange_top), and nothing
 * wider: the tree's last range ends near ULONG_MAX, the window reaches it,
 * and the run that fits (from @start, @size long) lies wholly below it.
 * Any other wrong -EBUSY is a failure, so that a new regression shows.
 * Only a kernel subject is excused, so only its build has this.
 */
static bool rev_busy_below_top(const struct model *m, unsigned long max,
			       unsigned long start, unsigned long size)
{
	const struct model_range *top;

	if (!m->nr)
		return false;
	top = &m->ranges[m->nr - 1];
	return top->last >= ULONG_MAX - (1UL << 20) && max >= top->first &&
	       start + size - 1 < top->first;
}
#endif

/* What mas_empty_area*() must answer for this window, from the model. */
static int expect_area(const struct model *m, unsigned long min,
		       unsigned long max, unsigned long size, bool rev,
		       unsigned long *start)
{
	if (!size || min > max || max - min < size - 1)
		return -EINVAL;
	return model_empty_area(m, min, max, size, rev, start) ? 0 : -EBUSY;
}

/*
 * Compare one window, forward or reverse.  @plain: the tree has no
 * MT_FLAGS_ALLOC_RANGE, so -EINVAL is also an acceptable answer.
 */
static void compare_window(struct gap_run *r, unsigned long min,
			   unsigned long max, unsigned long size, bool rev,
			   bool plain)
{
	MA_STATE(ms, r->mt, 0, 0);
	unsigned long start = 0;
	int want, ret;
	bool right;

	want = expect_area(&r->m, min, max, size, rev, &start);
	rcu_read_lock();
	if (rev)
		ret = mas_empty_area_rev(&ms, min, max, size);
	else
		ret = mas_empty_area(&ms, min, max, size);
	rcu_read_unlock();
	windows_compared++;
	r->windows++;

	right = ret == want &&
		(ret || (ms.index == start && ms.last == start + size - 1));
	if (!right && plain && ret == -EINVAL) {
		plain_einval++;		/* cannot answer, and says so */
		right = true;
	}
#ifdef HARNESS_SUBJECT_KERNEL
	if (!right && ret == -EBUSY && want == 0) {
		/* Linux 6.12's known wrong -EBUSY: report, do not fail. */
		if (plain) {
			if (!kernel_plain_busy++)
				printf("  check_gaps: kernel misbehaviour "
				       "reproduced: %s on a tree without "
				       "MT_FLAGS_ALLOC_RANGE: -EBUSY for [%lu, "
				       "%lu] size %lu, but %lu fits\n",
				       rev ? "mas_empty_area_rev" :
				       "mas_empty_area", min, max, size, start);
			right = true;
			r->reported++;
		} else if (rev && rev_busy_below_top(&r->m, max, start, size)) {
			if (!kernel_rev_busy++)
				printf("  check_gaps: kernel misbehaviour "
				       "reproduced: mas_empty_area_rev -EBUSY "
				       "for [%lu, %lu] size %lu, but %lu fits "
				       "(%s, after %s)\n", min, max, size,
				       start, r->scenario, r->op);
			right = true;
			r->reported++;
		}
	}
	if (!right && ((want == -EINVAL && ret != -EINVAL) ||
		       (ret == -EINVAL && min == max))) {
		/* Linux 6.1's argument checks: check_empty_area_args. */
		if (!kernel_args++)
			printf("  check_gaps: kernel misbehaviour reproduced: "
			       "%s(min %lu, max %lu, size %lu) returned %d, "
			       "want %d\n", rev ? "mas_empty_area_rev" :
			       "mas_empty_area", min, max, size, ret, want);
		right = true;
		r->reported++;
	}
#endif
	CHECK(r->ctx, r->mt, right, "%s, after %s (write %lu): "
	      "mas_empty_area%s(min %lu, max %lu, size %lu) returned %d "
	      "[%lu, %lu], want %d [%lu, %lu]", r->scenario, r->op, r->writes,
	      rev ? "_rev" : "", min, max, size, ret, ms.index, ms.last,
	      want, start, start + size - 1);
}

/* Both directions. */
static void compare_both(struct gap_run *r, unsigned long min,
			 unsigned long max, unsigned long size, bool plain)
{
	compare_window(r, min, max, size, false, plain);
	compare_window(r, min, max, size, true, plain);
}

/* The model's gap number @i (0: before the first range): false if empty. */
static bool model_gap(const struct model *m, size_t i, unsigned long *lo,
		      unsigned long *hi)
{
	*lo = i ? m->ranges[i - 1].last + 1 : 0;
	*hi = i < m->nr ? m->ranges[i].first - 1 : ULONG_MAX;
	if (i && m->ranges[i - 1].last == ULONG_MAX)
		return false;
	if (i < m->nr && m->ranges[i].first == 0)
		return false;
	return *lo <= *hi;
}

/* A size drawn towards small runs, at most @room (>= 1). */
static unsigned long small_size(struct gap_run *r, unsigned long room)
{
	unsigned long size;

	switch (rnd(r, 4)) {
	case 0:
		size = 1;
		break;
	case 1:
		size = 1 + rnd(r, 8);
		break;
	case 2:
		size = 1 + rnd(r, 200);
		break;
	default:
		size = 1 + rnd(r, r->span);
		break;
	}
	return size > room ? room : size;
}

/* Compare @nr windows of every kind against the model. */
static void compare_windows(struct gap_run *r, unsigned int nr, bool plain)
{
	unsigned long lo, hi, min, max, size, top = r->base + r->span - 1;
	unsigned int n;

	for (n = 0; n < nr; n++) {
		switch (n % 6) {
		case 0:		/* random, inside the written span */
			min = r->base + rnd(r, r->span);
			max = min + rnd(r, top - min + 1);
			size = small_size(r, max - min + 1);
			break;
		case 1:		/* exactly a gap of the model, maybe widened */
		case 2: {
			size_t g = rnd(r, r->m.nr + 1);

			if (!model_gap(&r->m, g, &lo, &hi)) {
				min = r->base;
				max = top;
				size = 1;
				break;
			}
			min = lo;
			max = hi;
			size = hi - lo + 1;
			if (!size)	/* the whole index space is free */
				size = ULONG_MAX;
			if (n % 6 == 2) {	/* widen, or ask one too many */
				if (rnd(r, 2) && size < ULONG_MAX) {
					size++;
				} else {
					min = min > 50 ? min - rnd(r, 50) : 0;
					max = max < ULONG_MAX - 50 ?
					      max + rnd(r, 50) : ULONG_MAX;
				}
			}
			break;
		}
		case 3:		/* touching 0 */
			min = 0;
			max = rnd(r, 2) ? ULONG_MAX : r->base + rnd(r, r->span);
			size = rnd(r, 2) ? small_size(r, max + 1 ? max + 1 :
						      ULONG_MAX) :
			       (max >> (1 + rnd(r, 4))) + 1;
			break;
		case 4:		/* touching ULONG_MAX */
			max = ULONG_MAX;
			min = rnd(r, 3) ? r->base + rnd(r, r->span) :
			      ULONG_MAX - rnd(r, 100);
			size = small_size(r, max - min + 1 ? max - min + 1 :
					  ULONG_MAX);
			if (!rnd(r, 4))
				size = max - min + 1 ? max - min + 1 : ULONG_MAX;
			break;
		default:	/* malformed: size 0, min > max, too small */
			min = r->base + rnd(r, r->span);
			max = min + rnd(r, 100);
			switch (rnd(r, 3)) {
			case 0:
				size = 0;
				break;
			case 1:
				size = 1;
				lo = min;
				min = max + 1 + rnd(r, 10);
				max = lo;
				if (min <= max)	/* max was at the top */
					min = max + 1, max = max - 1;
				break;
			default:
				size = max - min + 2;
				break;
			}
			break;
		}
		compare_both(r, min, max, size, plain);
	}
}

/* After a write: content, validation, then @nr windows. */
static void after_write(struct gap_run *r, const char *op, unsigned int nr)
{
	unsigned long bad;
	char why[160];

	r->op = op;
	r->writes++;
	CHECK(r->ctx, r->mt, check_tree_matches(r->mt, &r->m, why, sizeof(why)),
	      "%s, after %s (write %lu): content differs from the model: %s",
	      r->scenario, op, r->writes, why);
	bad = assertions_failed();
	harness_quiet = !r->ctx->verbose;
	run_lock(r);
	mt_validate(r->mt);
	run_unlock(r);
	harness_quiet = 0;
	CHECK(r->ctx, r->mt, assertions_failed() == bad, "%s, after %s (write "
	      "%lu): mt_validate failed", r->scenario, op, r->writes);
	compare_windows(r, nr, !(r->mt->ma_flags & MT_FLAGS_ALLOC_RANGE));
}

/* ------------------------------------------------------------ writes */

static void store(struct gap_run *r, unsigned long first, unsigned long last,
		  void *entry, const char *op, unsigned int windows)
{
	MA_STATE(mas, r->mt, first, last);
	int ret;

	if (r->sem) {
		run_lock(r);
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		run_unlock(r);
	} else {
		ret = mtree_store_range(r->mt, first, last, entry, GFP_KERNEL);
	}

	CHECK(r->ctx, r->mt, ret == 0, "%s: %s [%lu, %lu] returned %d",
	      r->scenario, op, first, last, ret);
	model_store(&r->m, first, last, entry);
	after_write(r, op, windows);
}

/* A random range of the span, of a length drawn towards short ones. */
static void random_range(struct gap_run *r, unsigned long maxlen,
			 unsigned long *first, unsigned long *last)
{
	unsigned long len = 1 + rnd(r, rnd(r, 4) ? 40 : maxlen);

	if (len > r->span)
		len = r->span;
	*first = r->base + rnd(r, r->span - len + 1);
	*last = *first + len - 1;
}

/* Erase the range holding a random stored index: a rebalance, often. */
static void erase_random(struct gap_run *r, unsigned int windows)
{
	const struct model_range *range;
	void *entry;

	if (!r->m.nr)
		return;
	range = &r->m.ranges[rnd(r, r->m.nr)];
	if (r->sem) {
		MA_STATE(mas, r->mt, range->first, range->first);

		run_lock(r);
		entry = mas_erase(&mas);
		run_unlock(r);
	} else {
		entry = mtree_erase(r->mt, range->first);
	}
	CHECK(r->ctx, r->mt, entry == range->entry, "%s: erase %lu returned %p",
	      r->scenario, range->first, entry);
	model_store(&r->m, range->first, range->last, NULL);
	after_write(r, "erase", windows);
}

/* ------------------------------------------------------- scenarios */

static void run_init(struct gap_run *r, struct check_ctx *ctx,
		     struct maple_tree *mt, unsigned int flags,
		     const char *scenario, unsigned long base,
		     unsigned long span, unsigned long salt)
{
	*r = (struct gap_run){ .ctx = ctx, .mt = mt, .scenario = scenario,
			       .base = base, .span = span,
			       .rnd = (ctx->seed ? ctx->seed : 1) * 1000003 +
				      salt, .op = "nothing" };
	mt_init_flags(mt, flags);
	model_init(&r->m);
}

static void run_end(struct gap_run *r)
{
	compare_windows(r, 300, !(r->mt->ma_flags & MT_FLAGS_ALLOC_RANGE));
	if (r->ctx->verbose)
		printf("  %-36s %5lu writes %7lu windows, %lu answers "
		       "reported as the kernel's\n", r->scenario, r->writes,
		       r->windows, r->reported);
	if (r->sem) {
		run_lock(r);
		__mt_destroy(r->mt);
		run_unlock(r);
	} else {
		mtree_destroy(r->mt);
	}
	model_destroy(&r->m);
}

/* Appends with gaps between, then overwrites that split and merge. */
static void scenario_append(struct check_ctx *ctx, unsigned int flags,
			    const char *name, unsigned long salt)
{
	struct maple_tree mt;
	struct gap_run r;
	unsigned long at, len, i, first, last;

	run_init(&r, ctx, &mt, flags, name, 0, 12000, salt);
	for (at = rnd(&r, 3), i = 0; i < 300; i++) {
		len = 1 + rnd(&r, 20);
		store(&r, at, at + len - 1, gap_entry(at), "append", 12);
		at += len + rnd(&r, 3) * rnd(&r, 20);
	}
	r.span = at;
	for (i = 0; i < 120; i++) {
		random_range(&r, 60, &first, &last);
		store(&r, first, last, rnd(&r, 3) ? gap_entry(first) : NULL,
		      rnd(&r, 2) ? "split store" : "overwrite", 12);
	}
	run_end(&r);
}

/* Random stores, NULL stores and spanning stores in random order. */
static void scenario_random(struct check_ctx *ctx, unsigned int flags,
			    const char *name, unsigned long base,
			    unsigned long salt)
{
	struct maple_tree mt;
	struct gap_run r;
	unsigned long i, first, last;

	run_init(&r, ctx, &mt, flags, name, base, 20000, salt);
	for (i = 0; i < 500; i++) {
		unsigned int kind = rnd(&r, 10);

		if (kind < 6) {
			random_range(&r, 100, &first, &last);
			store(&r, first, last, gap_entry(first), "store", 12);
		} else if (kind < 8) {
			random_range(&r, 3000, &first, &last);
			store(&r, first, last, rnd(&r, 2) ? gap_entry(first) :
			      NULL, "spanning store", 12);
		} else {
			erase_random(&r, 12);
		}
	}
	run_end(&r);
}

/* A full tree, then most of it erased: rebalancing all the way up. */
static void scenario_erase(struct check_ctx *ctx, unsigned int flags,
			   const char *name, unsigned long salt)
{
	struct maple_tree mt;
	struct gap_run r;
	unsigned long i;

	run_init(&r, ctx, &mt, flags, name, 0, 8 * 600, salt);
	for (i = 0; i < 600; i++) {
		mtree_store_range(&mt, i * 8, i * 8 + 4, gap_entry(i * 8),
				  GFP_KERNEL);
		model_store(&r.m, i * 8, i * 8 + 4, gap_entry(i * 8));
	}
	after_write(&r, "build", 50);
	while (r.m.nr > 20)
		erase_random(&r, 4);
	for (i = 0; i < 100; i++) {
		unsigned long first, last;

		random_range(&r, 30, &first, &last);
		store(&r, first, last, gap_entry(first), "store after erase",
		      6);
	}
	run_end(&r);
}

/* Bulk mode: mas_expected_entries(), ordered stores, then erases. */
#ifdef HAVE_MAS_EXPECTED_ENTRIES
static void scenario_bulk(struct check_ctx *ctx, const char *name,
			  unsigned long salt)
{
	struct rw_semaphore sem;
	struct maple_tree mt;
	struct gap_run r;
	unsigned long i, nr = 700, at = 0;
	int ret;

	/* the old dup_mmap()'s way: under the mmap_lock, an rwsem */
	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN,
		 name, 0, 1, salt);
	init_rwsem(&sem);
	mt_set_external_lock(&mt, &sem);
	r.sem = &sem;
	{
		MA_STATE(ms, &mt, 0, 0);

		run_lock(&r);
		ret = mas_expected_entries(&ms, nr);
		CHECK(ctx, &mt, ret == 0, "mas_expected_entries(%lu): %d", nr,
		      ret);
		for (i = 0; !ret && i < nr; i++) {
			unsigned long len = 1 + rnd(&r, 10);

			at += rnd(&r, 4) * rnd(&r, 9);
			mas_set_range(&ms, at, at + len - 1);
			mas_store(&ms, gap_entry(at));
			model_store(&r.m, at, at + len - 1, gap_entry(at));
			at += len;
		}
		mas_destroy(&ms);
		run_unlock(&r);
	}
	r.span = at;
	after_write(&r, "bulk build", 400);
	for (i = 0; i < 150; i++)
		erase_random(&r, 6);
	run_end(&r);
}
#else
static void scenario_bulk(struct check_ctx *ctx, const char *name,
			  unsigned long salt)
{
	check_skip_part(ctx, "%s: %s has no mas_expected_entries()", name,
			SUBJECT_NAME);
}
#endif

/* Inserts into free space the model names, then allocations. */
static void scenario_insert_alloc(struct check_ctx *ctx, unsigned long base,
				  const char *name, unsigned long salt)
{
	struct maple_tree mt;
	struct gap_run r;
	unsigned long i, first, last, start, want_start = 0, size, min, max;
	int ret, want;

	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE, name, base, 6000, salt);
	for (i = 0; i < 150; i++) {
		random_range(&r, 50, &first, &last);
		want = model_occupied(&r.m, first, last) ? -EEXIST : 0;
		if (want)
			continue;	/* only into free space (see kernel_bugs.c) */
		ret = mtree_insert_range(&mt, first, last, gap_entry(first),
					 GFP_KERNEL);
		CHECK(ctx, &mt, ret == 0, "%s: insert [%lu, %lu]: %d", name,
		      first, last, ret);
		model_store(&r.m, first, last, gap_entry(first));
		after_write(&r, "insert", 6);
	}
	for (i = 0; i < 300; i++) {
		bool rev = rnd(&r, 2);

		min = base + rnd(&r, r.span);
		max = rnd(&r, 4) ? min + rnd(&r, base + r.span - min) :
		      ULONG_MAX;
		size = small_size(&r, max - min + 1 ? max - min + 1 :
				  ULONG_MAX);
		if (!rnd(&r, 8))
			erase_random(&r, 4);
		want = expect_area(&r.m, min, max, size, rev, &want_start);
		start = ~0UL;
		if (rev)
			ret = mtree_alloc_rrange(&mt, &start, gap_entry(min),
						 size, min, max, GFP_KERNEL);
		else
			ret = mtree_alloc_range(&mt, &start, gap_entry(min),
						size, min, max, GFP_KERNEL);
		allocs_compared++;
#ifdef HARNESS_SUBJECT_KERNEL
		if (rev && ret == -EBUSY && want == 0 &&
		    rev_busy_below_top(&r.m, max, want_start, size)) {
			if (!kernel_rev_busy++)
				printf("  check_gaps: kernel misbehaviour "
				       "reproduced: mtree_alloc_rrange -EBUSY "
				       "for [%lu, %lu] size %lu, but %lu fits "
				       "(%s)\n", min, max, size, want_start,
				       name);
			r.reported++;
			continue;
		}
		if (!rev && want == 0 && ret == -EBUSY &&
		    max - (want_start + size - 1) < size) {
			/*
			 * Linux 6.1 looks in [min, max - size] only
			 * (check_alloc_range_window): the first block that
			 * fits ends above that, so every later one does too.
			 */
			if (!kernel_window++)
				printf("  check_gaps: kernel misbehaviour "
				       "reproduced: mtree_alloc_range -EBUSY for "
				       "[%lu, %lu] size %lu, but %lu fits (%s)\n",
				       min, max, size, want_start, name);
			r.reported++;
			continue;
		}
#endif
		CHECK(ctx, &mt, ret == want && (ret || start == want_start),
		      "%s: mtree_alloc_%srange(size %lu, [%lu, %lu]) returned "
		      "%d at %lu, want %d at %lu", name, rev ? "r" : "", size,
		      min, max, ret, start, want, want_start);
		if (!ret) {
			model_store(&r.m, start, start + size - 1,
				    gap_entry(min));
			after_write(&r, rev ? "mtree_alloc_rrange" :
				    "mtree_alloc_range", 4);
		}
	}
	run_end(&r);
}

/*
 * A tree without MT_FLAGS_ALLOC_RANGE keeps no gap figures: it must answer
 * right or refuse with -EINVAL (compare_window(..., plain)).
 */
static void scenario_plain(struct check_ctx *ctx, const char *name,
			   unsigned long salt)
{
	struct maple_tree mt;
	struct gap_run r;
	unsigned long i, first, last;

	run_init(&r, ctx, &mt, 0, name, 0, 10000, salt);
	for (i = 0; i < 200; i++) {
		random_range(&r, 200, &first, &last);
		store(&r, first, last, gap_entry(first), "store", 4);
	}
	for (i = 0; i < 60; i++)
		erase_random(&r, 4);
	run_end(&r);
}

/* ------------------------------------------------------- cyclic */

#ifdef HAVE_MTREE_ALLOC_CYCLIC

struct cyclic_model {
	unsigned long next;	/* the caller's *next */
	bool wrapped;		/* MT_FLAGS_ALLOC_WRAPPED */
};

/* What mtree_alloc_cyclic() must return and where, per the contract. */
static int expect_cyclic(const struct model *m, struct cyclic_model *c,
			 unsigned long lo, unsigned long hi,
			 unsigned long *start)
{
	unsigned long from = max(lo, c->next);
	int ret;

	if (from <= hi && model_empty_area(m, from, hi, 1, false, start))
		ret = 0;
	else if (from > lo && lo <= hi &&
		 model_empty_area(m, lo, hi, 1, false, start))
		ret = 1;
	else
		return lo > hi ? -EINVAL : -EBUSY;
	if (c->wrapped && ret == 0) {
		c->wrapped = false;
		ret = 1;
	}
	c->next = *start + 1;
	if (!c->next)
		c->wrapped = true;
	return ret;
}

/* One cyclic allocation through the locked API or mas_alloc_cyclic(). */
static void cyclic_one(struct gap_run *r, struct cyclic_model *c,
		       unsigned long *next, unsigned long lo, unsigned long hi,
		       bool use_mas)
{
	unsigned long start = ~0UL, want_start = ~0UL;
	struct cyclic_model before = *c;
	void *entry = gap_entry(r->writes);
	int ret, want;

	CHECK(r->ctx, r->mt, *next == c->next, "%s: *next %lu, model %lu",
	      r->scenario, *next, c->next);
	want = expect_cyclic(&r->m, c, lo, hi, &want_start);
#ifndef HAVE_MAS_ALLOC_CYCLIC
	use_mas = false;	/* check_cyclic() said so */
#endif
	if (use_mas) {
#ifdef HAVE_MAS_ALLOC_CYCLIC
		MA_STATE(ms, r->mt, 0, 0);

		mtree_lock(r->mt);
		ret = mas_alloc_cyclic(&ms, &start, entry, lo, hi, next,
				       GFP_KERNEL);
		mtree_unlock(r->mt);
#endif
	} else {
		ret = mtree_alloc_cyclic(r->mt, &start, entry, lo, hi, next,
					 GFP_KERNEL);
	}
	allocs_compared++;
	CHECK(r->ctx, r->mt, ret == want && (ret < 0 || start == want_start),
	      "%s: %s(lo %lu, hi %lu, next %lu%s) returned %d at %lu, want "
	      "%d at %lu", r->scenario, use_mas ? "mas_alloc_cyclic" :
	      "mtree_alloc_cyclic", lo, hi, before.next,
	      before.wrapped ? ", wrapped" : "", ret, start, want, want_start);
#ifdef HAVE_MT_FLAGS_ALLOC_WRAPPED
	CHECK(r->ctx, r->mt, !!(r->mt->ma_flags & MT_FLAGS_ALLOC_WRAPPED) ==
	      c->wrapped, "%s: MT_FLAGS_ALLOC_WRAPPED is %d, want %d",
	      r->scenario, !!(r->mt->ma_flags & MT_FLAGS_ALLOC_WRAPPED),
	      c->wrapped);
#endif
	if (ret >= 0 && ret == want && start == want_start)
		model_store(&r->m, start, start, entry);
	c->next = *next;	/* follow the tree, so one error shows once */
	after_write(r, use_mas ? "mas_alloc_cyclic" : "mtree_alloc_cyclic",
		    2);
}

static void check_cyclic(struct check_ctx *ctx)
{
	struct maple_tree mt;
	struct gap_run r;
	struct cyclic_model c = { 0 };
	unsigned long next, i, start;
	int ret;

	/* From 0 in [2, ULONG_MAX]: 2, 3, 4, ... and next one above. */
	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE, "cyclic from 2", 0, 300,
		 101);
	for (next = 0, i = 0; i < 100; i++)
		cyclic_one(&r, &c, &next, 2, ULONG_MAX, i & 1);
	CHECK(ctx, &mt, next == 102, "100 cyclic allocations from 2: next %lu",
	      next);
	run_end(&r);

	/* Overflow: ULONG_MAX - 1, ULONG_MAX (wraps *next), then 2 with 1. */
	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE, "cyclic overflow", 0, 300,
		 102);
	c = (struct cyclic_model){ .next = ULONG_MAX - 1 };
	next = ULONG_MAX - 1;
	for (i = 0; i < 5; i++)
		cyclic_one(&r, &c, &next, 2, ULONG_MAX, i & 1);
	run_end(&r);

	/* A small, busy range: frees, *next beyond hi, full (-EBUSY). */
	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE, "cyclic in [10, 73]", 0,
		 100, 103);
	c = (struct cyclic_model){ 0 };
	next = 0;
	for (i = 0; i < 600; i++) {
		unsigned int kind = rnd(&r, 10);

		if (kind == 0) {
			erase_random(&r, 2);
		} else if (kind == 1) {
			next = c.next = rnd(&r, 100);	/* the caller's choice */
		}
		cyclic_one(&r, &c, &next, 10, 73, rnd(&r, 2));
	}
	run_end(&r);

	/* At the top of the index space, where *next wraps to 0 often. */
	run_init(&r, ctx, &mt, MT_FLAGS_ALLOC_RANGE, "cyclic at the top",
		 ULONG_MAX - 40, 41, 104);
	c = (struct cyclic_model){ .next = ULONG_MAX - 30 };
	next = ULONG_MAX - 30;
	for (i = 0; i < 200; i++) {
		if (!rnd(&r, 4))
			erase_random(&r, 2);
		cyclic_one(&r, &c, &next, ULONG_MAX - 35, ULONG_MAX,
			   rnd(&r, 2));
	}
	run_end(&r);

	/* Not an allocation tree; lo > hi. */
	mt_init_flags(&mt, 0);
	next = 0;
	ret = mtree_alloc_cyclic(&mt, &start, xa_mk_value(1), 0, 100, &next,
				 GFP_KERNEL);
	CHECK(ctx, &mt, ret == -EINVAL && mtree_empty(&mt),
	      "mtree_alloc_cyclic on a plain tree: %d", ret);
	mtree_destroy(&mt);
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	ret = mtree_alloc_cyclic(&mt, &start, xa_mk_value(1), 100, 10, &next,
				 GFP_KERNEL);
	CHECK(ctx, &mt, ret == -EINVAL && mtree_empty(&mt),
	      "mtree_alloc_cyclic with lo > hi: %d", ret);
	mtree_destroy(&mt);
#ifndef HAVE_MAS_ALLOC_CYCLIC
	check_skip_part(ctx, "cyclic allocations through the state: %s has "
			"no mas_alloc_cyclic()", SUBJECT_NAME);
#endif
#ifndef HAVE_MT_FLAGS_ALLOC_WRAPPED
	check_skip_part(ctx, "the wrap flag: %s has no MT_FLAGS_ALLOC_WRAPPED",
			SUBJECT_NAME);
#endif
}
#else
static void check_cyclic(struct check_ctx *ctx)
{
	check_skip_part(ctx, "cyclic allocations: %s has no "
			"mtree_alloc_cyclic()", SUBJECT_NAME);
}
#endif /* HAVE_MTREE_ALLOC_CYCLIC */

/* ------------------------------------------------------------ check */

static void check_gaps(struct check_ctx *ctx)
{
	const unsigned int alloc = MT_FLAGS_ALLOC_RANGE;
	long base;

	windows_compared = allocs_compared = 0;
	kernel_rev_busy = kernel_plain_busy = plain_einval = 0;
	kernel_args = kernel_window = 0;
	rcu_barrier();
	base = nr_allocated;

	scenario_append(ctx, alloc, "appends", 1);
	scenario_append(ctx, alloc | MT_FLAGS_USE_RCU, "appends, RCU", 2);
	scenario_random(ctx, alloc, "random stores", 0, 3);
	scenario_random(ctx, alloc | MT_FLAGS_USE_RCU, "random stores, RCU",
			0, 4);
	scenario_random(ctx, alloc, "random stores at ULONG_MAX",
			ULONG_MAX - 20000 + 1, 5);
	scenario_erase(ctx, alloc, "erase to a few", 6);
	scenario_erase(ctx, alloc | MT_FLAGS_USE_RCU, "erase to a few, RCU", 7);
	scenario_bulk(ctx, "bulk", 8);
	scenario_insert_alloc(ctx, 0, "insert and allocate", 9);
	scenario_insert_alloc(ctx, ULONG_MAX - 6000 + 1,
			      "insert and allocate at ULONG_MAX", 10);
	scenario_plain(ctx, "no MT_FLAGS_ALLOC_RANGE", 11);
	check_cyclic(ctx);

	rcu_barrier();
	rcu_barrier();	/* 7.x frees every node through kfree_rcu() */
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked",
	      nr_allocated - base);
	if (ctx->verbose)
		printf("  %lu windows compared with the model, %lu allocations; "
		       "plain tree refused %lu windows with -EINVAL; %ld "
		       "objects leaked\n", windows_compared, allocs_compared,
		       plain_einval, nr_allocated - base);
	if (kernel_rev_busy || kernel_plain_busy)
		printf("  check_gaps: kernel misbehaviour reproduced %lu times "
		       "(reverse search -EBUSY although a run fits) and %lu "
		       "times (no MT_FLAGS_ALLOC_RANGE: -EBUSY although a run "
		       "fits)\n", kernel_rev_busy, kernel_plain_busy);
	if (kernel_args || kernel_window)
		printf("  check_gaps: kernel misbehaviour reproduced %lu times "
		       "(mas_empty_area* argument checks) and %lu times "
		       "(mtree_alloc_range leaves the top of its window "
		       "unused)\n", kernel_args, kernel_window);
}
DEFINE_CHECK(check_gaps,
	     "mas_empty_area*/alloc_range/alloc_cyclic agree with the model "
	     "after every write shape; mt_validate checks gaps");
