// SPDX-License-Identifier: GPL-2.0
/*
 * The fork model (fork/mm.h) checked: dup_mmap() with both strategies
 * against the parent it copied, then every allocation of each strategy
 * failed in turn.
 *
 * Truth is the parent: a child must hold, in order and at the same ranges,
 * one copy of each parent VMA without VM_DONTCOPY, and nothing else.  A
 * census per mm counts the VMAs made and freed for it by vm_id, so a leak
 * (allocs > frees) and a double free (frees > 1) are seen per VMA, not only
 * through nr_allocated.
 *
 * The failure sweep fails allocation k = 0, 1, 2, ... of one dup_mmap()
 * (harness_fail_nth_alloc(), counted in objects, bulk included) until the
 * dup no longer reaches allocation k.  A failure is either returned
 * (-ENOMEM) or absorbed by a retry inside the tree (mas_store_gfp() retries
 * with GFP_KERNEL after a partial allocation); either way, after
 * exit_mmap() every VMA made for the child is freed exactly once, none of
 * the parent's is, and nr_allocated is back where it started.
 *
 * A subject without __mt_dup() (Linux 6.1, say) has only the old
 * strategy: the new one is reported as a skipped part.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"
#include "../fork/mm.h"

/* Shapes every check builds; the last one is drawn from --seed. */
static const struct mm_layout fork_layouts[] = {
	{ .nr_vmas = 1 },
	{ .nr_vmas = MM_BASE_VMAS, .dontcopy_every = 5 },
	{ .nr_vmas = 300, .gap_every = 3, .dontcopy_every = 7 },
	{ .nr_vmas = 2000, .dontcopy_every = 13 },
};

/* Layouts the failure sweep runs on (indices into fork_layouts). */
static const unsigned int sweep_layouts[] = { 1, 2 };

/* Totals of a failure sweep, printed with -v. */
struct sweep_stats {
	unsigned long points;		/* allocations failed in turn */
	unsigned long returned;		/* ... that made dup_mmap() fail */
	unsigned long absorbed;		/* ... that a retry got past */
	unsigned long leaks;		/* VMAs made and never freed */
	unsigned long double_frees;	/* VMAs freed more than once */
	long node_leaks;		/* objects left over (nr_allocated) */
};

static int census_init(struct vma_census *census, unsigned long nr)
{
	census->nr = nr;
	census->allocs = calloc(nr, sizeof(*census->allocs));
	census->frees = calloc(nr, sizeof(*census->frees));
	return census->allocs && census->frees ? 0 : -ENOMEM;
}

static void census_reset(struct vma_census *census)
{
	memset(census->allocs, 0, census->nr * sizeof(*census->allocs));
	memset(census->frees, 0, census->nr * sizeof(*census->frees));
}

static void census_release(struct vma_census *census)
{
	free(census->allocs);
	free(census->frees);
}

/*
 * After an mm's teardown: every VMA made for it freed exactly once.  Adds
 * what it finds to @stats (may be NULL); returns whether all was well.
 */
static bool census_balanced(struct check_ctx *ctx, const char *who,
			    const struct vma_census *census,
			    struct sweep_stats *stats)
{
	unsigned long id, leaks = 0, doubles = 0;

	for (id = 0; id < census->nr; id++) {
		if (census->frees[id] > 1)
			doubles++;
		if (census->allocs[id] > census->frees[id])
			leaks += census->allocs[id] - census->frees[id];
		else if (census->frees[id] > census->allocs[id])
			doubles++;
	}
	if (stats) {
		stats->leaks += leaks;
		stats->double_frees += doubles;
	}
	return CHECK(ctx, NULL, leaks == 0 && doubles == 0,
		     "%s: %lu VMAs leaked, %lu freed twice", who, leaks,
		     doubles);
}

/* No VMA of the parent freed while it lives. */
static bool parent_untouched(struct check_ctx *ctx, const struct mm *parent)
{
	unsigned long id, freed = 0;

	for (id = 0; id < parent->census->nr; id++)
		freed += parent->census->frees[id];
	return CHECK(ctx, NULL, freed == 0,
		     "%lu of the parent's VMAs freed by the child", freed);
}

static bool vma_same(const struct vma *copy, const struct vma *vma)
{
	return copy->vm_start == vma->vm_start && copy->vm_end == vma->vm_end &&
	       copy->vm_flags == vma->vm_flags &&
	       copy->vm_pgoff == vma->vm_pgoff && copy->vm_id == vma->vm_id &&
	       !memcmp(copy->vm_payload, vma->vm_payload,
		       sizeof(vma->vm_payload));
}

/*
 * A successful child against its parent, entry by entry, and both trees
 * validated.  Takes both mmap_locks for reading.
 */
static bool child_matches(struct check_ctx *ctx, struct mm *child,
			  struct mm *parent, enum dup_strategy strategy)
{
	MA_STATE(pmas, &parent->mm_mt, 0, 0);
	MA_STATE(cmas, &child->mm_mt, 0, 0);
	const char *how = dup_strategy_name(strategy);
	unsigned long copies = 0;
	struct vma *vma, *copy;
	bool ok = true;

	down_read(&parent->mmap_lock);
	down_read_nested(&child->mmap_lock, SINGLE_DEPTH_NESTING);
	mas_for_each(&pmas, vma, ULONG_MAX) {
		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		copy = mas_find(&cmas, ULONG_MAX);
		ok = CHECK(ctx, &child->mm_mt, copy && !xa_is_zero(copy),
			   "%s: no copy of VMA %u [%#lx, %#lx)", how,
			   vma->vm_id, vma->vm_start, vma->vm_end) &&
		     CHECK(ctx, &child->mm_mt,
			   copy != vma && copy->vm_mm == child,
			   "%s: child's entry at %#lx is not its own VMA", how,
			   vma->vm_start) &&
		     CHECK(ctx, &child->mm_mt,
			   cmas.index == vma->vm_start &&
			   cmas.last == vma->vm_end - 1 && vma_same(copy, vma),
			   "%s: child's [%#lx, %#lx] holds VMA %u, parent's [%#lx, %#lx) VMA %u",
			   how, cmas.index, cmas.last, copy->vm_id,
			   vma->vm_start, vma->vm_end, vma->vm_id);
		if (!ok)
			break;
		copies++;
	}
	if (ok) {
		copy = mas_find(&cmas, ULONG_MAX);
		ok = CHECK(ctx, &child->mm_mt, !copy,
			   "%s: child has an extra entry %p at [%#lx, %#lx]",
			   how, copy, cmas.index, cmas.last) &&
		     CHECK(ctx, &child->mm_mt, child->map_count == copies,
			   "%s: child's map_count %lu, %lu copies", how,
			   child->map_count, copies);
	}
	mt_validate(&child->mm_mt);
	mt_validate(&parent->mm_mt);
	up_read(&child->mmap_lock);
	up_read(&parent->mmap_lock);
	return ok;
}

/*
 * A child whose dup_mmap() failed, before its teardown: its own copies
 * first (map_count of them), then for DUP_NEW the marker and the parent's
 * VMAs behind it, or nothing at all if __mt_dup() itself failed.
 */
static bool failed_child_sane(struct check_ctx *ctx, struct mm *child,
			      struct mm *parent, enum dup_strategy strategy,
			      unsigned long k)
{
	MA_STATE(mas, &child->mm_mt, 0, 0);
	/* VMAs by owner, before [0] and after [1] the first marker */
	unsigned long own[2] = { 0 }, foreign[2] = { 0 }, stray = 0;
	unsigned long markers = 0;
	const char *how = dup_strategy_name(strategy);
	struct vma *vma;
	bool ok;

	down_read(&child->mmap_lock);
	mas_for_each(&mas, vma, ULONG_MAX) {
		int side = markers ? 1 : 0;

		if (xa_is_zero(vma))
			markers++;
		else if (vma->vm_mm == child)
			own[side]++;
		else if (vma->vm_mm == parent)
			foreign[side]++;
		else
			stray++;
	}
	mt_validate(&child->mm_mt);
	up_read(&child->mmap_lock);

	ok = CHECK(ctx, &child->mm_mt,
		   own[0] == child->map_count && !own[1] && !foreign[0] &&
		   !stray && markers <= 1,
		   "%s, failure at %lu: before the marker %lu own VMAs (map_count %lu) and %lu of the parent's; after it %lu own; %lu markers, %lu stray",
		   how, k, own[0], child->map_count, foreign[0], own[1],
		   markers, stray);
	if (strategy == DUP_OLD)
		return ok && CHECK(ctx, &child->mm_mt, !markers,
				   "old, failure at %lu: a marker", k);
	/* New, 7.x's recovery: nothing left at all, the tree destroyed. */
	if (dup_recovery_now() == DUP_RECOVER_DESTROY)
		return ok && CHECK(ctx, &child->mm_mt,
				   mtree_empty(&child->mm_mt) &&
				   !child->map_count,
				   "new (7.x recovery), failure at %lu: the "
				   "child still holds %lu own VMAs, %lu markers",
				   k, own[0], markers);
	/* New: a marker, or nothing at all if __mt_dup() itself failed. */
	return ok && CHECK(ctx, &child->mm_mt,
			   markers == 1 || (!own[0] && !foreign[1]),
			   "new, failure at %lu: no marker, yet %lu own VMAs",
			   k, own[0]);
}

static void layout_name(char *buf, size_t len, const struct mm_layout *layout)
{
	snprintf(buf, len, "%lu VMAs (gap every %u, dontcopy every %u)",
		 layout->nr_vmas, layout->gap_every, layout->dontcopy_every);
}

/* Build @parent with a census of its own; false (and reported) on failure. */
static bool parent_build(struct check_ctx *ctx, struct mm *parent,
			 struct vma_census *census,
			 const struct mm_layout *layout)
{
	int ret;

	mm_init(parent);
	if (!CHECK(ctx, NULL, census_init(census, layout->nr_vmas) == 0,
		   "no memory for a census of %lu", layout->nr_vmas))
		return false;
	parent->census = census;
	ret = mm_build(parent, layout);
	return CHECK(ctx, &parent->mm_mt, ret == 0 &&
		     parent->map_count == layout->nr_vmas,
		     "building %lu VMAs: %d, map_count %lu", layout->nr_vmas,
		     ret, parent->map_count);
}

static void parent_release(struct check_ctx *ctx, struct mm *parent)
{
	exit_mmap(parent);
	census_balanced(ctx, "parent", parent->census, NULL);
	census_release(parent->census);
}

/* ----------------------------------------------------- the copies */

static void dup_both_ways(struct check_ctx *ctx, const struct mm_layout *layout)
{
	static const enum dup_strategy strategies[] = { DUP_OLD, DUP_NEW };
	struct vma_census parent_census, child_census;
	struct mm parent, child;
	long base = nr_allocated;
	unsigned int s;
	int ret;

	if (!parent_build(ctx, &parent, &parent_census, layout))
		goto out;
	if (census_init(&child_census, layout->nr_vmas))
		goto out_child;
	for (s = 0; s < ARRAY_SIZE(strategies); s++) {
		if (!dup_strategy_available(strategies[s]))
			continue;	/* check_fork_model() says so */
		mm_init(&child);
		child.census = &child_census;
		census_reset(&child_census);
		ret = dup_mmap(&child, &parent, strategies[s]);
		CHECK(ctx, NULL, ret == 0, "%s: dup_mmap of %lu VMAs: %d",
		      dup_strategy_name(strategies[s]), layout->nr_vmas, ret);
		if (!ret)
			child_matches(ctx, &child, &parent, strategies[s]);
		exit_mmap(&child);
		census_balanced(ctx, "child", &child_census, NULL);
		parent_untouched(ctx, &parent);
	}
out_child:
	census_release(&child_census);
out:
	parent_release(ctx, &parent);
	rcu_barrier();	/* 7.x frees every node through kfree_rcu() */
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked",
	      nr_allocated - base);
}

/* ------------------------------------------------ the failure sweep */

/* Objects one dup_mmap() of @parent allocates when nothing fails. */
static unsigned long dup_allocations(struct mm *parent,
				     enum dup_strategy strategy)
{
	unsigned long start = harness_alloc_count();
	struct mm child;

	mm_init(&child);
	dup_mmap(&child, parent, strategy);
	start = harness_alloc_count() - start;
	exit_mmap(&child);
	return start;
}

/* Fail allocation @k of one dup_mmap(); false if a check failed. */
static bool sweep_point(struct check_ctx *ctx, struct mm *parent,
			struct vma_census *child_census,
			enum dup_strategy strategy, unsigned long k,
			struct sweep_stats *stats, bool *reached)
{
	unsigned long start, warnings = harness_warnings;
	struct mm child;
	bool ok = true;
	long base;
	int ret;

	rcu_barrier();	/* 7.x frees every node through kfree_rcu() */
	base = nr_allocated;
	mm_init(&child);
	child.census = child_census;
	census_reset(child_census);

	start = harness_alloc_count();
	harness_fail_nth_alloc(k);
	ret = dup_mmap(&child, parent, strategy);
	harness_fail_nth_alloc(-1);
	*reached = harness_alloc_count() - start > k;

	if (!*reached) {
		ok = CHECK(ctx, NULL, ret == 0,
			   "%s: dup_mmap failed (%d) without a failure",
			   dup_strategy_name(strategy), ret) &&
		     child_matches(ctx, &child, parent, strategy);
	} else if (ret) {
		stats->returned++;
		ok = CHECK(ctx, NULL, ret == -ENOMEM,
			   "%s: failure at %lu returned %d",
			   dup_strategy_name(strategy), k, ret) &&
		     failed_child_sane(ctx, &child, parent, strategy, k);
	} else {
		stats->absorbed++;
		ok = child_matches(ctx, &child, parent, strategy);
	}

	exit_mmap(&child);
	ok &= census_balanced(ctx, "child", child_census, stats);
	ok &= parent_untouched(ctx, parent);
	rcu_barrier();	/* 7.x frees every node through kfree_rcu() */
	stats->node_leaks += nr_allocated - base;
	ok &= CHECK(ctx, NULL, nr_allocated == base,
		    "%s: failure at %lu: %ld objects leaked",
		    dup_strategy_name(strategy), k, nr_allocated - base);
	ok &= CHECK(ctx, NULL, harness_warnings == warnings,
		    "%s: failure at %lu: %lu WARN_ON hits",
		    dup_strategy_name(strategy), k,
		    harness_warnings - warnings);
	return ok;
}

static void sweep(struct check_ctx *ctx, const struct mm_layout *layout,
		  enum dup_strategy strategy, unsigned long *total_points)
{
	struct vma_census parent_census, child_census;
	struct sweep_stats stats = { 0 };
	unsigned long k, expected;
	struct mm parent;
	bool reached = true;
	char name[96];

	layout_name(name, sizeof(name), layout);
	if (!parent_build(ctx, &parent, &parent_census, layout))
		goto out;
	if (census_init(&child_census, layout->nr_vmas))
		goto out_child;

	expected = dup_allocations(&parent, strategy);
	for (k = 0; reached; k++) {
		if (!sweep_point(ctx, &parent, &child_census, strategy, k,
				 &stats, &reached))
			break;
		if (reached)
			stats.points++;
		if (!CHECK(ctx, NULL, k <= expected,
			   "%s: allocation %lu still reached after %lu expected",
			   dup_strategy_name(strategy), k, expected))
			break;
	}
	CHECK(ctx, NULL, stats.points == expected,
	      "%s: %lu allocation points failed, a clean dup makes %lu",
	      dup_strategy_name(strategy), stats.points, expected);
	*total_points += stats.points;
	if (ctx->verbose)
		printf("  sweep %s%s, %s: %lu allocation points: %lu returned -ENOMEM, %lu absorbed by a retry; %lu VMAs leaked, %lu double frees, %ld objects leaked\n",
		       dup_strategy_name(strategy),
		       strategy == DUP_OLD ? "" :
		       dup_recovery_now() == DUP_RECOVER_DESTROY ?
		       " (7.x recovery)" : " (6.x marker)", name, stats.points,
		       stats.returned, stats.absorbed, stats.leaks,
		       stats.double_frees, stats.node_leaks);
out_child:
	census_release(&child_census);
out:
	parent_release(ctx, &parent);
}

/* ------------------------------------------------------- the check */

static void check_fork_model(struct check_ctx *ctx)
{
	unsigned long long state = ctx->seed;
	struct mm_layout random_layout = {
		.nr_vmas = 22 + check_random(&state) % 600,
		.gap_every = check_random(&state) % 5,
		.dontcopy_every = check_random(&state) % 10,
	};
	static const enum dup_recovery recoveries[] = {
		DUP_RECOVER_MARK, DUP_RECOVER_DESTROY,
	};
	enum dup_recovery recovery = dup_recovery_now();
	unsigned long points = 0;
	unsigned int i, r;
	long base = nr_allocated;

	if (!CHECK(ctx, NULL, mm_model_init() == 0, "no VMA cache"))
		return;
	/* Non-blocking node allocations fail, whatever earlier tests left. */
	mt_set_non_kernel(0);

	for (i = 0; i < ARRAY_SIZE(fork_layouts); i++)
		dup_both_ways(ctx, &fork_layouts[i]);
	dup_both_ways(ctx, &random_layout);

	/* The new strategy in both recoveries: 6.x's marker, 7.x's unwind. */
	for (r = 0; r < ARRAY_SIZE(recoveries); r++) {
		dup_set_recovery(recoveries[r]);
		for (i = 0; i < ARRAY_SIZE(sweep_layouts); i++)
			if (dup_strategy_available(DUP_NEW))
				sweep(ctx, &fork_layouts[sweep_layouts[i]],
				      DUP_NEW, &points);
		if (dup_strategy_available(DUP_NEW))
			sweep(ctx, &random_layout, DUP_NEW, &points);
	}
	dup_set_recovery(recovery);
	for (i = 0; i < ARRAY_SIZE(sweep_layouts); i++)
		sweep(ctx, &fork_layouts[sweep_layouts[i]], DUP_OLD, &points);
	sweep(ctx, &random_layout, DUP_OLD, &points);
	if (!dup_strategy_available(DUP_NEW))
		check_skip_part(ctx, "the new strategy: %s has no __mt_dup()",
				SUBJECT_NAME);
	if (ctx->verbose)
		printf("  %lu allocation points failed in turn, seed %lu\n",
		       points, ctx->seed);

	mm_model_exit();
	rcu_barrier();	/* 7.x frees every node through kfree_rcu() */
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked",
	      nr_allocated - base);
}
DEFINE_CHECK(check_fork_model,
	     "fork model: dup_mmap old and new match the parent; every allocation failed in turn, new in 6.x's and 7.x's recovery");
