// SPDX-License-Identifier: GPL-2.0
/*
 * difftest: seeded random operation sequences run on a maple tree and on
 * the reference model (model.c), every observable result compared.
 *
 * Built once per subject (make difftest KDIR=...), so the same seeds run on
 * ours and on the kernel's implementation; scripts/difftest.sh runs both.
 * What the model says is the contract; a subject that disagrees is wrong,
 * whoever wrote it.  Each disagreement prints the seed, the operation
 * number and both answers; `difftest --seed S --ops N -v` replays it.
 *
 * Compared: return codes of every write; entries of load, walk, erase,
 * mt_find, mas_find, mas_find_rev; the range (index/last) each reports;
 * empty-area searches both ways and the range allocators on allocation
 * trees; and the whole content, by iteration, every 64 operations.  After
 * every write the tree is validated (mt_validate) and a failed validation
 * counts as a disagreement too.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "../support/model.h"

#pragma weak mas_empty_area
#pragma weak mas_empty_area_rev
#pragma weak mtree_alloc_range
#pragma weak mtree_alloc_rrange

struct run {
	struct maple_tree tree;
	struct model model;
	unsigned long long rng;		/* the sequence's generator */
	unsigned long seed;
	unsigned long op;		/* operation number in this sequence */
	unsigned long ops;		/* operations run, all sequences */
	unsigned long diffs;		/* disagreements, all sequences */
	unsigned long diffs_by_kind[16];
	bool alloc;			/* MT_FLAGS_ALLOC_RANGE tree */
	const unsigned char *data;	/* fuzzing: the input, or NULL */
	size_t size, pos;		/* fuzzing: its length, bytes used */
	bool content_differs;		/* this sequence's content diverged */
	int verbose;
	char last_op[160];		/* description of the current op */
};

enum op_kind {
	OP_STORE, OP_INSERT, OP_ERASE, OP_LOAD, OP_WALK, OP_MT_FIND,
	OP_FIND, OP_FIND_REV, OP_EMPTY, OP_EMPTY_REV, OP_ALLOC, OP_RALLOC,
	OP_CONTENT, OP_VALIDATE, OP_NEXT, OP_PREV, OP_KINDS
};

static const char *const op_names[OP_KINDS] = {
	"store", "insert", "erase", "load", "walk", "mt_find", "mas_find",
	"mas_find_rev", "empty_area", "empty_area_rev", "alloc_range",
	"alloc_rrange", "content", "validate", "mas_next", "mas_prev",
};

static unsigned long rnd(struct run *r)
{
	unsigned long long x = r->rng;

	/* Fuzzing: the input decides; each draw takes the next byte(s). */
	if (r->data) {
		unsigned long v = 0;
		unsigned int i, n = 1 + (r->pos < r->size ? r->data[r->pos] % 4 : 0);

		r->pos++;
		for (i = 0; i < n && r->pos < r->size; i++)
			v = v << 8 | r->data[r->pos++];
		/* Mix so that few bytes still reach every bit. */
		return v * 0x9e3779b97f4a7c15ULL ^ (v << 1) ^ (n == 4 ? ~0UL : 0);
	}

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = x;
	return (unsigned long)((x * 0x2545f4914f6cdd1dULL) >> 7);
}

/* Indices cluster near 0, near ULONG_MAX and in a middle band. */
static unsigned long rnd_index(struct run *r)
{
	switch (rnd(r) % 8) {
	case 0:
		return rnd(r) % 64;
	case 1:
		return ULONG_MAX - rnd(r) % 64;
	case 2:
		return rnd(r);
	default:
		return 1000 + rnd(r) % 20000;
	}
}

static unsigned long rnd_len(struct run *r)
{
	switch (rnd(r) % 10) {
	case 0:
		return 0;
	case 1:
		return rnd(r) % 4000;
	case 2:
		return rnd(r) >> (rnd(r) % (BITS_PER_LONG - 1));
	default:
		return rnd(r) % 40;
	}
}

static void *rnd_entry(struct run *r)
{
	unsigned long k = rnd(r) % 100;

	if (k < 8)
		return NULL;
	if (k < 12)
		return XA_ZERO_ENTRY;
	return xa_mk_value(rnd(r) % 100000);
}

static void describe(struct run *r, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(r->last_op, sizeof(r->last_op), fmt, args);
	va_end(args);
	if (r->verbose > 1)
		printf("  op %lu: %s\n", r->op, r->last_op);
}

static void differ(struct run *r, enum op_kind kind, const char *fmt, ...)
{
	va_list args;

	r->diffs++;
	r->diffs_by_kind[kind]++;
	if (r->diffs_by_kind[kind] > 3 && !r->verbose)
		return;
	printf("DIFF seed %lu op %lu %s: ", r->seed, r->op, r->last_op);
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	printf("\n");
	/*
	 * A fuzzer's finding: stop here so that it keeps the input.  A kernel
	 * tree's misbehaviours are its own (checks/kernel_bugs.c keeps them):
	 * they are counted and the fuzzing goes on, looking for more.
	 */
#ifndef HARNESS_SUBJECT_KERNEL
	if (r->data) {
		fflush(stdout);
		abort();
	}
#endif
}

/* The subject's validator counts its findings as failed assertions. */
static void validate(struct run *r)
{
	unsigned int failed_before, failed_after;

	failed_before = atomic_read(&maple_tree_tests_run) -
			atomic_read(&maple_tree_tests_passed);
	harness_quiet = !r->verbose;
	mtree_lock(&r->tree);
	mt_validate(&r->tree);
	mtree_unlock(&r->tree);
	harness_quiet = 0;
	failed_after = atomic_read(&maple_tree_tests_run) -
		       atomic_read(&maple_tree_tests_passed);
	if (failed_after != failed_before)
		differ(r, OP_VALIDATE, "mt_validate found %u problems",
		       failed_after - failed_before);
}

/* Whole content: iterate the tree and compare with the model, in order. */
static void compare_content(struct run *r)
{
	MA_STATE(mas, &r->tree, 0, 0);
	size_t i = 0;
	void *entry;

	describe(r, "iterate everything");
	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		const struct model_range *want = i < r->model.nr ?
						 &r->model.ranges[i] : NULL;

		if (!want || want->first != mas.index ||
		    want->last != mas.last || want->entry != entry) {
			r->content_differs = true;
			differ(r, OP_CONTENT, "entry %zu: tree [%lu, %lu] %p, "
			       "model [%lu, %lu] %p", i, mas.index, mas.last,
			       entry, want ? want->first : 0,
			       want ? want->last : 0, want ? want->entry : NULL);
			break;
		}
		i++;
		if (mas.last == ULONG_MAX)
			break;
	}
	rcu_read_unlock();
	if (i < r->model.nr && !r->content_differs) {
		r->content_differs = true;
		differ(r, OP_CONTENT, "tree has %zu entries, model %zu", i,
		       r->model.nr);
	}
}

static void op_store(struct run *r)
{
	unsigned long first = rnd_index(r), last = first + rnd_len(r);
	void *entry = rnd_entry(r);
	int want = 0, got;

	if (last < first)
		last = ULONG_MAX;
	switch (rnd(r) % 40) {
	case 0:		/* bad input: inverted range */
		if (first != last)
			swap(first, last);
		want = first > last ? -EINVAL : 0;
		break;
	case 1:		/* bad input: an advanced entry */
		entry = XA_RETRY_ENTRY;
		want = -EINVAL;
		break;
	}
	describe(r, "store [%lu, %lu] %p", first, last, entry);
	got = mtree_store_range(&r->tree, first, last, entry, GFP_KERNEL);
	if (got != want)
		differ(r, OP_STORE, "returned %d, model %d", got, want);
	if (!want)
		model_store(&r->model, first, last, entry);
	validate(r);
}

static void op_insert(struct run *r)
{
	unsigned long first = rnd_index(r), last = first + rnd_len(r);
	void *entry = rnd_entry(r);
	int want, got;

	if (last < first)
		last = ULONG_MAX;
	if (rnd(r) % 16 == 0) {		/* a range covering almost all */
		first = rnd(r) % 64;
		last = ULONG_MAX - rnd(r) % 64;
	}
	if (!entry && rnd(r) % 2)
		entry = xa_mk_value(7);
	want = model_occupied(&r->model, first, last) ? -EEXIST : 0;
	describe(r, "insert [%lu, %lu] %p", first, last, entry);
	got = mtree_insert_range(&r->tree, first, last, entry, GFP_KERNEL);
	if (got != want)
		differ(r, OP_INSERT, "returned %d, model %d", got, want);
	/* Follow the tree, so that one wrong answer is not counted again. */
	if (got == 0)
		model_store(&r->model, first, last, entry);
	validate(r);
}

static void op_erase(struct run *r)
{
	unsigned long index = rnd_index(r), first, last;
	void *want, *got;

	want = model_lookup(&r->model, index, &first, &last);
	describe(r, "erase %lu", index);
	got = mtree_erase(&r->tree, index);
	if (got != want)
		differ(r, OP_ERASE, "returned %p, model %p", got, want);
	if (want)
		model_store(&r->model, first, last, NULL);
	validate(r);
}

static void op_load(struct run *r)
{
	unsigned long index = rnd_index(r), first, last;
	void *want, *got;

	want = model_lookup(&r->model, index, &first, &last);
	if (xa_is_zero(want))
		want = NULL;
	describe(r, "load %lu", index);
	got = mtree_load(&r->tree, index);
	if (got != want)
		differ(r, OP_LOAD, "returned %p, model %p", got, want);
}

static void op_walk(struct run *r)
{
	unsigned long index = rnd_index(r), first, last;
	MA_STATE(mas, &r->tree, index, index);
	void *want, *got;

	want = model_lookup(&r->model, index, &first, &last);
	describe(r, "walk %lu", index);
	rcu_read_lock();
	got = mas_walk(&mas);
	rcu_read_unlock();
	if (got != want || mas.index != first || mas.last != last)
		differ(r, OP_WALK, "returned %p [%lu, %lu], model %p [%lu, %lu]",
		       got, mas.index, mas.last, want, first, last);
}

static void op_mt_find(struct run *r)
{
	unsigned long index = rnd_index(r), max = index + rnd_len(r);
	unsigned long got_index = index, want_index = index;
	const struct model_range *range;
	void *want = NULL, *got;
	size_t i;

	if (max < index)
		max = ULONG_MAX;
	if (rnd(r) % 20 == 0)
		max = index ? index - 1 : 0;	/* a limit below the index */
	/* mt_find() skips XA_ZERO_ENTRY ranges. */
	if (index <= max) {
		range = model_find(&r->model, index, max);
		i = range ? (size_t)(range - r->model.ranges) : r->model.nr;
		while (i < r->model.nr && r->model.ranges[i].first <= max &&
		       xa_is_zero(r->model.ranges[i].entry))
			i++;
		if (i < r->model.nr && r->model.ranges[i].first <= max) {
			want = r->model.ranges[i].entry;
			want_index = r->model.ranges[i].last + 1;
		}
	}
	describe(r, "mt_find %lu max %lu", index, max);
	got = mt_find(&r->tree, &got_index, max);
	if (got != want || (want && got_index != want_index))
		differ(r, OP_MT_FIND, "returned %p index %lu, model %p index %lu",
		       got, got_index, want, want_index);
}

static void op_find(struct run *r)
{
	unsigned long index = rnd_index(r), max = index + rnd_len(r);
	const struct model_range *want;
	MA_STATE(mas, &r->tree, index, index);
	void *got;

	if (max < index)
		max = ULONG_MAX;
	want = model_find(&r->model, index, max);
	describe(r, "mas_find %lu max %lu", index, max);
	rcu_read_lock();
	got = mas_find(&mas, max);
	rcu_read_unlock();
	if (got != (want ? want->entry : NULL) ||
	    (want && (mas.index != want->first || mas.last != want->last)))
		differ(r, OP_FIND, "returned %p [%lu, %lu], model %p [%lu, %lu]",
		       got, mas.index, mas.last, want ? want->entry : NULL,
		       want ? want->first : 0, want ? want->last : 0);
}

static void op_find_rev(struct run *r)
{
	unsigned long index = rnd_index(r), min = index - rnd_len(r);
	const struct model_range *want;
	MA_STATE(mas, &r->tree, index, index);
	void *got;

	if (min > index)
		min = 0;
	want = model_find_rev(&r->model, index, min);
	describe(r, "mas_find_rev %lu min %lu", index, min);
	rcu_read_lock();
	got = mas_find_rev(&mas, min);
	rcu_read_unlock();
	if (got != (want ? want->entry : NULL) ||
	    (want && (mas.index != want->first || mas.last != want->last)))
		differ(r, OP_FIND_REV, "returned %p [%lu, %lu], model %p "
		       "[%lu, %lu]", got, mas.index, mas.last,
		       want ? want->entry : NULL, want ? want->first : 0,
		       want ? want->last : 0);
}

/*
 * Step with mas_next() (or mas_prev()) from a fresh state at an index: each
 * step must return the entry after (before) the range the previous one
 * reported, within the limit; the first step starts from the range that
 * holds the index.  Stops at the first NULL (the limit's status rules are
 * left to the white-box tests).
 */
static void op_step(struct run *r, bool backwards)
{
	unsigned long index = rnd_index(r), first, last, limit;
	const struct model_range *want;
	MA_STATE(ms, &r->tree, index, index);
	int steps = 1 + rnd(r) % 6, i;
	void *got;

	if (backwards) {
		limit = index - rnd_len(r) * 8;
		if (limit > index)
			limit = 0;
	} else {
		limit = index + rnd_len(r) * 8;
		if (limit < index)
			limit = ULONG_MAX;
	}
	model_lookup(&r->model, index, &first, &last);
	describe(r, "%d x %s from %lu limit %lu", steps,
		 backwards ? "mas_prev" : "mas_next", index, limit);
	rcu_read_lock();
	for (i = 0; i < steps; i++) {
		if (backwards)
			want = first == 0 ? NULL :
			       model_find_rev(&r->model, first - 1, limit);
		else
			want = last == ULONG_MAX ? NULL :
			       model_find(&r->model, last + 1, limit);
		got = backwards ? mas_prev(&ms, limit) : mas_next(&ms, limit);
		if (got != (want ? want->entry : NULL) ||
		    (want && (ms.index != want->first ||
			      ms.last != want->last))) {
			differ(r, backwards ? OP_PREV : OP_NEXT,
			       "step %d returned %p [%lu, %lu], model %p "
			       "[%lu, %lu]", i, got, ms.index, ms.last,
			       want ? want->entry : NULL,
			       want ? want->first : 0, want ? want->last : 0);
			break;
		}
		if (!want)
			break;
		first = want->first;
		last = want->last;
	}
	rcu_read_unlock();
}

/* A search window and size, sometimes deliberately bad. */
static void rnd_window(struct run *r, unsigned long *min, unsigned long *max,
		       unsigned long *size)
{
	*min = rnd_index(r);
	*max = *min + rnd_len(r) * 4 + rnd(r) % 64;
	if (*max < *min)
		*max = ULONG_MAX;
	*size = 1 + rnd(r) % 24;
	switch (rnd(r) % 30) {
	case 0:
		*size = 0;
		break;
	case 1:
		swap(*min, *max);
		break;
	case 2:
		*min = 0;
		*max = ULONG_MAX;
		break;
	}
}

static int model_area_ret(struct run *r, unsigned long min, unsigned long max,
			  unsigned long size, bool rev, unsigned long *start)
{
	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	return model_empty_area(&r->model, min, max, size, rev, start) ?
	       0 : -EBUSY;
}

static void op_empty_area(struct run *r, bool rev)
{
	unsigned long min, max, size, start = 0;
	MA_STATE(mas, &r->tree, 0, 0);
	int want, got;

	if (!mas_empty_area || !mas_empty_area_rev)
		return;
	rnd_window(r, &min, &max, &size);
	want = model_area_ret(r, min, max, size, rev, &start);
	describe(r, "%s [%lu, %lu] size %lu", rev ? "empty_area_rev" :
		 "empty_area", min, max, size);
	rcu_read_lock();
	got = rev ? mas_empty_area_rev(&mas, min, max, size) :
		    mas_empty_area(&mas, min, max, size);
	rcu_read_unlock();
	if (got != want || (!want && (mas.index != start ||
				      mas.last != start + size - 1)))
		differ(r, rev ? OP_EMPTY_REV : OP_EMPTY,
		       "returned %d [%lu, %lu], model %d [%lu, %lu]", got,
		       mas.index, mas.last, want, start, start + size - 1);
}

static void op_alloc(struct run *r, bool rev)
{
	unsigned long min, max, size, start = 0, got_start = 0;
	void *entry = xa_mk_value(rnd(r) % 1000);
	int want, got;

	if (!mtree_alloc_range || !mtree_alloc_rrange)
		return;
	rnd_window(r, &min, &max, &size);
	want = model_area_ret(r, min, max, size, rev, &start);
	describe(r, "%s [%lu, %lu] size %lu", rev ? "alloc_rrange" :
		 "alloc_range", min, max, size);
	got = rev ? mtree_alloc_rrange(&r->tree, &got_start, entry, size, min,
				       max, GFP_KERNEL) :
		    mtree_alloc_range(&r->tree, &got_start, entry, size, min,
				      max, GFP_KERNEL);
	if (got != want || (!want && got_start != start))
		differ(r, rev ? OP_RALLOC : OP_ALLOC,
		       "returned %d start %lu, model %d start %lu", got,
		       got_start, want, start);
	if (!got)
		model_store(&r->model, got_start, got_start + size - 1, entry);
	validate(r);
}

/*
 * One operation chosen by the generator.  Returns false when a fuzzing
 * input is used up.
 */
static bool run_one(struct run *r)
{
	unsigned long k = rnd(r) % 100;

	if (r->data && r->pos >= r->size)
		return false;
	if (k < 30)
		op_store(r);
	else if (k < 40)
		op_insert(r);
	else if (k < 48)
		op_erase(r);
	else if (k < 58)
		op_load(r);
	else if (k < 68)
		op_walk(r);
	else if (k < 74)
		op_mt_find(r);
	else if (k < 80)
		op_find(r);
	else if (k < 86)
		op_find_rev(r);
	else if (!r->alloc)
		k < 93 ? op_step(r, false) : op_step(r, true);
	else if (k < 90)
		op_empty_area(r, false);
	else if (k < 94)
		op_empty_area(r, true);
	else if (k < 97)
		op_alloc(r, false);
	else
		op_alloc(r, true);
	return true;
}

static void run_sequence(struct run *r, unsigned long seed, unsigned long ops)
{
	unsigned long diffs = r->diffs;

	r->seed = seed;
	r->rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	r->alloc = seed & 1;
	mt_init_flags(&r->tree, r->alloc ? MT_FLAGS_ALLOC_RANGE : 0);
	model_init(&r->model);
	for (r->op = 0; r->op < ops; r->op++) {
		run_one(r);
		if (r->op % 64 == 63)
			compare_content(r);
		/* Stop a sequence at its first content mismatch: later ops
		 * would only repeat it. */
		if (r->content_differs)
			break;
	}
	if (!r->content_differs)
		compare_content(r);
	r->content_differs = false;
	r->ops += r->op;
	mtree_destroy(&r->tree);
	model_destroy(&r->model);
	if (r->verbose)
		printf("seed %lu (%s tree): %lu ops, %lu disagreements\n", seed,
		       r->alloc ? "allocation" : "range", r->op,
		       r->diffs - diffs);
}

#ifdef DIFFTEST_FUZZ
/*
 * libFuzzer entry: the first byte picks the tree type, the rest drives the
 * operations; every result is checked against the model and the tree is
 * validated after each write.  A disagreement aborts (a finding).
 */
static struct run fuzz_run;
static unsigned long fuzz_inputs;

static void fuzz_report(void)
{
	int k;

	printf("fuzz: %lu operations in %lu inputs, %lu disagreements\n",
	       fuzz_run.ops, fuzz_inputs, fuzz_run.diffs);
	for (k = 0; k < OP_KINDS; k++)
		if (fuzz_run.diffs_by_kind[k])
			printf("fuzz:   %-16s %lu disagreements (subject's)\n",
			       op_names[k], fuzz_run.diffs_by_kind[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run *rp = &fuzz_run;
	static bool ready;

	if (!ready) {
		maple_tree_init();
		atexit(fuzz_report);
		ready = true;
	}
	fuzz_inputs++;
	if (size < 1)
		return 0;
	rp->data = data;
	rp->size = size;
	rp->pos = 1;
	rp->alloc = data[0] & 1;
	rp->seed = 0;
	mt_init_flags(&rp->tree, rp->alloc ? MT_FLAGS_ALLOC_RANGE : 0);
	model_init(&rp->model);
	for (rp->op = 0; rp->op < 4096 && run_one(rp); rp->op++)
		if (rp->op % 16 == 15)
			compare_content(rp);
	compare_content(rp);
	rp->ops += rp->op;
	mtree_destroy(&rp->tree);
	model_destroy(&rp->model);
	if (nr_allocated)
		rcu_barrier();	/* 7.x frees its nodes through kfree_rcu() */
	if (nr_allocated) {
		printf("fuzz: %ld objects leaked by this input\n", nr_allocated);
		abort();
	}
	return 0;
}
#else
static void usage(FILE *out)
{
	fprintf(out,
"usage: difftest [--seed S] [--seeds N] [--ops N] [-v]\n"
"Runs N seeded sequences (seeds S, S+1, ...) of random operations on the\n"
"subject and on the reference model; prints every disagreement and ends\n"
"with 'N passed, M failed' (operations that agreed / disagreed).\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "ops", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long seed = 1, seeds = 100, ops = 2000, s;
	struct run r = { 0 };
	char *end;
	int opt, k;

	while ((opt = getopt_long(argc, argv, "s:n:o:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
		case 'n':
		case 'o':
			s = strtoul(optarg, &end, 0);
			if (!*optarg || *end) {
				fprintf(stderr, "difftest: bad number '%s'\n",
					optarg);
				return 2;
			}
			if (opt == 's')
				seed = s;
			else if (opt == 'n')
				seeds = s;
			else
				ops = s;
			break;
		case 'v':
			r.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	maple_tree_init();
	for (s = seed; s < seed + seeds; s++)
		run_sequence(&r, s, ops);
	rcu_barrier();
	printf("seeds %lu..%lu, %lu operations\n", seed, seed + seeds - 1, r.ops);
	for (k = 0; k < OP_KINDS; k++)
		if (r.diffs_by_kind[k])
			printf("  %-16s %lu disagreements\n", op_names[k],
			       r.diffs_by_kind[k]);
	if (nr_allocated)
		printf("leak: %ld objects\n", nr_allocated);
	printf("%lu passed, %lu failed\n", r.ops - r.diffs,
	       r.diffs + (nr_allocated != 0));
	return r.diffs || nr_allocated ? 1 : 0;
}
#endif /* DIFFTEST_FUZZ */
