// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator self-test: every kmem_cache semantic the maple tree and its
 * tests rely on, checked on a cache of our own.
 *
 * `make selftest-mutants` rebuilds the harness with one semantic broken at a
 * time (HARNESS_MUTANT_*) and requires this check to fail for each.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <harness.h>
#include "checks.h"

/* What a successful kmem_cache_alloc_bulk() of @n returns (linux/slab.h). */
#define BULK_OK(n)	(HARNESS_SLAB_API >= 7 ? 1 : (n))

#define OBJ_SIZE	256
#define OBJ_ALIGN	256
#define CTOR_BYTE	0xc5

static void test_ctor(void *objp)
{
	memset(objp, CTOR_BYTE, OBJ_SIZE);
}

static int callback_calls;
static void *callback_arg;

static void test_callback(void *private)
{
	callback_calls++;
	callback_arg = private;
}

static bool all_bytes(const void *objp, unsigned char byte, size_t len)
{
	const unsigned char *p = objp;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != byte)
			return false;
	return true;
}

static void selftest_basic(struct check_ctx *ctx, struct kmem_cache *cache)
{
	long base = nr_allocated;
	void *a, *b;

	a = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(ctx, NULL, a != NULL, "GFP_KERNEL allocation failed");
	CHECK(ctx, NULL, ((unsigned long)a & (OBJ_ALIGN - 1)) == 0,
	      "object %p not aligned to %d", a, OBJ_ALIGN);
	CHECK(ctx, NULL, all_bytes(a, CTOR_BYTE, OBJ_SIZE),
	      "object not built by the constructor");
	CHECK(ctx, NULL, nr_allocated == base + 1,
	      "nr_allocated %ld, expected %ld", nr_allocated, base + 1);
	CHECK(ctx, NULL, kmem_cache_nr_allocated(cache) == 1,
	      "cache counts %u live objects, expected 1",
	      kmem_cache_nr_allocated(cache));
	CHECK(ctx, NULL, kmem_cache_get_alloc(cache) == OBJ_SIZE,
	      "cache reports %lu bytes, expected %d",
	      kmem_cache_get_alloc(cache), OBJ_SIZE);

	b = kmem_cache_alloc(cache, GFP_KERNEL | __GFP_ZERO);
	CHECK(ctx, NULL, b && all_bytes(b, 0, OBJ_SIZE),
	      "__GFP_ZERO object not zeroed");
	CHECK(ctx, NULL, kmem_cache_nr_tallocated(cache) == 2,
	      "total allocated %u, expected 2", kmem_cache_nr_tallocated(cache));
	/* A cache with a constructor takes its objects back constructed. */
	test_ctor(b);
	kmem_cache_free(cache, a);
	kmem_cache_free(cache, b);
	CHECK(ctx, NULL, nr_allocated == base, "nr_allocated %ld after free, "
	      "expected %ld", nr_allocated, base);
	CHECK(ctx, NULL, kmem_cache_nr_tallocated(cache) == 2,
	      "frees must not lower the total (%u)",
	      kmem_cache_nr_tallocated(cache));
	kmem_cache_zero_nr_tallocated(cache);
	CHECK(ctx, NULL, kmem_cache_nr_tallocated(cache) == 0,
	      "total not zeroed (%u)", kmem_cache_nr_tallocated(cache));
}

/* Allocations that may not sleep spend the non-kernel budget, per object. */
static void selftest_budget(struct check_ctx *ctx, struct kmem_cache *cache)
{
	long base = nr_allocated;
	void *objs[8];
	void *one;
	int ret;

	kmem_cache_set_non_kernel(cache, 0);
	one = kmem_cache_alloc(cache, GFP_NOWAIT);
	CHECK(ctx, NULL, one == NULL, "GFP_NOWAIT succeeded with no budget");

	kmem_cache_set_non_kernel(cache, 2);
	objs[0] = kmem_cache_alloc(cache, GFP_NOWAIT);
	objs[1] = kmem_cache_alloc(cache, GFP_ATOMIC);
	objs[2] = kmem_cache_alloc(cache, GFP_NOWAIT);
	CHECK(ctx, NULL, objs[0] && objs[1] && !objs[2],
	      "budget 2 gave %p %p %p", objs[0], objs[1], objs[2]);
	kmem_cache_free(cache, objs[0]);
	kmem_cache_free(cache, objs[1]);

	/* Bulk: the budget must cover every object or none is allocated. */
	kmem_cache_set_non_kernel(cache, 3);
	ret = kmem_cache_alloc_bulk(cache, GFP_NOWAIT, 4, objs);
	CHECK(ctx, NULL, ret == 0, "bulk of 4 with budget 3 returned %d", ret);
	CHECK(ctx, NULL, nr_allocated == base, "failed bulk left %ld objects",
	      nr_allocated - base);
	ret = kmem_cache_alloc_bulk(cache, GFP_NOWAIT, 3, objs);
	CHECK(ctx, NULL, ret == BULK_OK(3), "bulk of 3 with budget 3 returned %d", ret);
	one = kmem_cache_alloc(cache, GFP_NOWAIT);
	CHECK(ctx, NULL, one == NULL,
	      "a bulk of 3 must spend a budget of 3; one more succeeded");
	if (one)
		kmem_cache_free(cache, one);
	if (ret == BULK_OK(3))
		kmem_cache_free_bulk(cache, 3, objs);

	/* Sleeping allocations ignore the budget. */
	ret = kmem_cache_alloc_bulk(cache, GFP_KERNEL, 5, objs);
	CHECK(ctx, NULL, ret == BULK_OK(5), "GFP_KERNEL bulk of 5 returned %d", ret);
	if (ret == BULK_OK(5))
		kmem_cache_free_bulk(cache, 5, objs);
	CHECK(ctx, NULL, nr_allocated == base, "budget test leaked %ld",
	      nr_allocated - base);
}

/*
 * A bulk allocation that fails part-way frees what it took, returns 0, and
 * leaves the stale pointers in the array, as the kernel does.
 */
static void selftest_bulk_failure(struct check_ctx *ctx,
				  struct kmem_cache *cache)
{
	void *sentinel = (void *)0x5a5a5a5aUL;
	long base = nr_allocated;
	void *objs[6];
	int i, ret;

	for (i = 0; i < 6; i++)
		objs[i] = sentinel;
	harness_fail_nth_alloc(2);	/* objects 0 and 1 succeed */
	ret = kmem_cache_alloc_bulk(cache, GFP_KERNEL, 6, objs);
	harness_fail_nth_alloc(-1);
	CHECK(ctx, NULL, ret == 0, "bulk failing at object 2 returned %d", ret);
	CHECK(ctx, NULL, objs[0] != sentinel && objs[0] != NULL &&
	      objs[1] != sentinel && objs[1] != NULL,
	      "the objects taken before the failure must stay in the array "
	      "(%p %p)", objs[0], objs[1]);
	CHECK(ctx, NULL, objs[3] == sentinel && objs[4] == sentinel,
	      "slots after the failure must be untouched");
	CHECK(ctx, NULL, nr_allocated == base,
	      "failed bulk kept %ld objects", nr_allocated - base);
	CHECK(ctx, NULL, kmem_cache_nr_allocated(cache) == 0,
	      "cache counts %u live objects after a failed bulk",
	      kmem_cache_nr_allocated(cache));
}

/* After a failure, the next allocation runs the callback, once. */
static void selftest_callback(struct check_ctx *ctx, struct kmem_cache *cache)
{
	int cookie;
	void *a, *b;

	/* Consume a failure left pending by the tests before this one. */
	kmem_cache_free(cache, kmem_cache_alloc(cache, GFP_KERNEL));
	callback_calls = 0;
	callback_arg = NULL;
	kmem_cache_set_callback(cache, test_callback);
	kmem_cache_set_private(cache, &cookie);
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(ctx, NULL, callback_calls == 0, "callback ran without a failure");

	kmem_cache_set_non_kernel(cache, 0);
	b = kmem_cache_alloc(cache, GFP_NOWAIT);
	CHECK(ctx, NULL, b == NULL, "GFP_NOWAIT with no budget succeeded");
	CHECK(ctx, NULL, callback_calls == 0,
	      "callback ran in the failing allocation itself");
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(ctx, NULL, callback_calls == 1 && callback_arg == &cookie,
	      "callback calls %d (arg %p), expected 1 (%p)", callback_calls,
	      callback_arg, (void *)&cookie);
	kmem_cache_free(cache, b);
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(ctx, NULL, callback_calls == 1, "callback ran again (%d)",
	      callback_calls);
	kmem_cache_free(cache, a);
	kmem_cache_free(cache, b);
	kmem_cache_set_callback(cache, NULL);
	kmem_cache_set_private(cache, NULL);
}

static void selftest_kmalloc(struct check_ctx *ctx)
{
	long base = nr_allocated;
	char *p = kzalloc(100, GFP_KERNEL);

	CHECK(ctx, NULL, p && all_bytes(p, 0, 100), "kzalloc not zeroed");
	CHECK(ctx, NULL, nr_allocated == base + 1, "kmalloc not counted");
	kfree(p);
	kfree(NULL);
	CHECK(ctx, NULL, nr_allocated == base, "kfree not counted");
	harness_fail_nth_alloc(0);
	p = kmalloc(10, GFP_KERNEL);
	harness_fail_nth_alloc(-1);
	CHECK(ctx, NULL, p == NULL, "injected kmalloc failure did not fail");
	kfree(p);
}

/* The verbose switch reports every allocation and free. */
static void selftest_verbose(struct check_ctx *ctx, struct kmem_cache *cache)
{
	char line[256];
	bool alloc_seen = false, free_seen = false;
	FILE *trace = tmpfile();
	int saved;
	void *objp;

	if (!CHECK(ctx, NULL, trace != NULL, "tmpfile() failed"))
		return;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(trace), STDOUT_FILENO);
	kmalloc_verbose = 1;
	objp = kmem_cache_alloc(cache, GFP_KERNEL);
	kmem_cache_free(cache, objp);
	kmalloc_verbose = 0;
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(trace);
	while (fgets(line, sizeof(line), trace)) {
		alloc_seen |= strstr(line, "Allocating") != NULL;
		free_seen |= strstr(line, "Freeing") != NULL;
	}
	fclose(trace);
	CHECK(ctx, NULL, alloc_seen && free_seen,
	      "verbose trace: allocation %s, free %s",
	      alloc_seen ? "seen" : "missing", free_seen ? "seen" : "missing");
}

/*
 * A write to a freed object is caught: the poison is verified when the
 * object is handed out again (debug build), or by ASan at the write.  The
 * child process does the damage; valgrind runs skip it (it reports the
 * write itself, as an error of this run).
 */
static void selftest_poison(struct check_ctx *ctx, struct kmem_cache *cache)
{
	int status;
	pid_t pid;

	if (check_under_valgrind())
		return;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		unsigned char *objp;

		harness_quiet = 1;
		close(STDERR_FILENO);
		objp = kmem_cache_alloc(cache, GFP_KERNEL);
		kmem_cache_free(cache, objp);
		objp[100] = 0;			/* the use after free */
		objp = kmem_cache_alloc(cache, GFP_KERNEL);
		_exit(0);			/* not caught */
	}
	CHECK(ctx, NULL, pid > 0, "fork failed");
	if (pid <= 0)
		return;
	waitpid(pid, &status, 0);
#ifdef HARNESS_NO_POISON
	(void)status;
#else
	CHECK(ctx, NULL, !(WIFEXITED(status) && WEXITSTATUS(status) == 0),
	      "a write after free went unnoticed");
#endif
}


/* A cache with sheaves of 8, for the sheaf tests. */
#define SHEAF_CAP	8

static void sheaf_empty_back(struct kmem_cache *cache, struct slab_sheaf *sheaf)
{
	if (sheaf)
		kmem_cache_return_sheaf(cache, GFP_KERNEL, sheaf);
}

/*
 * Sheaves (7.x): prefill, allocation until dry, refill within and past the
 * capacity, return; the gfp rules and the budget, injected failures and
 * the bulk modes through them; the kernel's top-up and spare.  Objects in
 * a sheaf are not counted as allocated; the sheaf is, until returned.
 */
static void selftest_sheaves(struct check_ctx *ctx)
{
	struct kmem_cache_args args = { .align = OBJ_ALIGN,
					 .sheaf_capacity = SHEAF_CAP,
					 .ctor = test_ctor };
	enum harness_sheaf_fill fill = harness_sheaf_fill(HARNESS_SHEAF_EXACT);
	struct kmem_cache *cache;
	struct slab_sheaf *sheaf, *first;
	void *objs[4];
	long base = nr_allocated;
	int i, ret;

	cache = kmem_cache_create("sheaves", OBJ_SIZE, &args, 0);
	if (!CHECK(ctx, NULL, cache != NULL, "kmem_cache_create(args) failed")) {
		harness_sheaf_fill(fill);
		return;
	}
	CHECK(ctx, NULL, !kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 0),
	      "a sheaf of 0 objects was handed out");

	/* prefill, then allocate until it runs dry: no fallback */
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 3);
	if (!CHECK(ctx, NULL, sheaf && kmem_cache_sheaf_size(sheaf) == 3,
		   "prefill of 3 gave %u objects",
		   sheaf ? kmem_cache_sheaf_size(sheaf) : 0))
		goto out;
	CHECK(ctx, NULL, nr_allocated == base + 1 &&
	      kmem_cache_nr_allocated(cache) == 0,
	      "a sheaf counts once, its objects not: %ld and %u",
	      nr_allocated - base, kmem_cache_nr_allocated(cache));
	for (i = 0; i < 3; i++) {
		objs[i] = kmem_cache_alloc_from_sheaf(cache, GFP_KERNEL, sheaf);
		CHECK(ctx, NULL, objs[i] && all_bytes(objs[i], CTOR_BYTE, OBJ_SIZE),
		      "object %d from the sheaf missing or not constructed", i);
	}
	CHECK(ctx, NULL, kmem_cache_nr_allocated(cache) == 3,
	      "objects from a sheaf are counted when handed out (%u)",
	      kmem_cache_nr_allocated(cache));
	objs[3] = kmem_cache_alloc_from_sheaf(cache, GFP_KERNEL, sheaf);
	CHECK(ctx, NULL, objs[3] == NULL, "a dry sheaf handed out %p", objs[3]);
	if (objs[3])
		kmem_cache_free(cache, objs[3]);
	kmem_cache_free_bulk(cache, 3, objs);

	/* refill within the capacity, past it (oversize), and bad input */
	ret = kmem_cache_refill_sheaf(cache, GFP_KERNEL, &sheaf, 5);
	CHECK(ctx, NULL, !ret && kmem_cache_sheaf_size(sheaf) >= 5,
	      "refill to 5: %d, %u objects", ret, kmem_cache_sheaf_size(sheaf));
	first = sheaf;
	ret = kmem_cache_refill_sheaf(cache, GFP_KERNEL, &sheaf, 3 * SHEAF_CAP);
	CHECK(ctx, NULL, !ret && sheaf != first &&
	      kmem_cache_sheaf_size(sheaf) == 3 * SHEAF_CAP,
	      "refill past the capacity: %d, %u objects, %s sheaf", ret,
	      kmem_cache_sheaf_size(sheaf), sheaf != first ? "a new" : "the same");
	CHECK(ctx, NULL, kmem_cache_refill_sheaf(cache, GFP_KERNEL, NULL, 1) ==
	      -EINVAL, "refill of no sheaf is not -EINVAL");
	kmem_cache_return_sheaf(cache, GFP_KERNEL, sheaf);
	CHECK(ctx, NULL, nr_allocated == base && harness_sheaves_out() == 0,
	      "after the return: %ld objects, %lu sheaves out",
	      nr_allocated - base, harness_sheaves_out());

	/* gfp rules: a non-blocking fill spends the budget, all or none */
	kmem_cache_set_non_kernel(cache, 2);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_NOWAIT, 4);
	CHECK(ctx, NULL, sheaf == NULL, "GFP_NOWAIT prefill of 4 on a budget of 2");
	sheaf_empty_back(cache, sheaf);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_NOWAIT, 2);
	CHECK(ctx, NULL, sheaf != NULL, "GFP_NOWAIT prefill of 2 on a budget of 2");
	sheaf_empty_back(cache, sheaf);
	kmem_cache_set_non_kernel(cache, 0);

	/* an injected failure reaches a sheaf's objects */
	harness_fail_nth_alloc(1);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 3);
	harness_fail_nth_alloc(-1);
	CHECK(ctx, NULL, sheaf == NULL, "a prefill whose object 1 fails succeeded");
	sheaf_empty_back(cache, sheaf);

	/*
	 * A refill that stops part way keeps its part and says -ENOMEM.  The
	 * bulk modes touch requests that may not sleep (GFP_ATOMIC here, on a
	 * budget that covers them), never a sleeping one.
	 */
	kmem_cache_set_non_kernel(cache, 1000);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 1);
	harness_bulk_mode(HARNESS_BULK_SHORT, 0);
	ret = sheaf ? kmem_cache_refill_sheaf(cache, GFP_KERNEL, &sheaf, 7) : 0;
	CHECK(ctx, NULL, sheaf && !ret && kmem_cache_sheaf_size(sheaf) == 7,
	      "a sleeping refill was cut: %d, %u objects", ret,
	      sheaf ? kmem_cache_sheaf_size(sheaf) : 0);
	sheaf_empty_back(cache, sheaf);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 1);
	ret = sheaf ? kmem_cache_refill_sheaf(cache, GFP_ATOMIC, &sheaf, 7) : 0;
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	CHECK(ctx, NULL, sheaf && ret == -ENOMEM &&
	      kmem_cache_sheaf_size(sheaf) == 1 + 3,
	      "short refill: %d, %u objects (want -ENOMEM, 4)", ret,
	      sheaf ? kmem_cache_sheaf_size(sheaf) : 0);
	harness_bulk_mode(HARNESS_BULK_LATE_FAIL, 0);
	ret = sheaf ? kmem_cache_refill_sheaf(cache, GFP_ATOMIC, &sheaf, 8) : 0;
	harness_bulk_mode(HARNESS_BULK_SIZE_CAP, 2);
	CHECK(ctx, NULL, sheaf && ret == -ENOMEM &&
	      kmem_cache_sheaf_size(sheaf) == 7,
	      "late-failing refill: %d, %u objects (want -ENOMEM, 7)", ret,
	      sheaf ? kmem_cache_sheaf_size(sheaf) : 0);
	sheaf_empty_back(cache, sheaf);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_ATOMIC, 3);
	CHECK(ctx, NULL, sheaf == NULL, "a prefill of 3 past a cap of 2");
	sheaf_empty_back(cache, sheaf);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_ATOMIC, 2);
	CHECK(ctx, NULL, sheaf != NULL, "a prefill of 2 within a cap of 2");
	sheaf_empty_back(cache, sheaf);
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	kmem_cache_set_non_kernel(cache, 0);
	CHECK(ctx, NULL, nr_allocated == base && kmem_cache_nr_allocated(cache) == 0,
	      "sheaves under failures leaked %ld objects", nr_allocated - base);

	/* the kernel's fill: topped up to capacity, a returned one kept */
	harness_sheaf_fill(HARNESS_SHEAF_KERNEL);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 2);
	CHECK(ctx, NULL, sheaf && kmem_cache_sheaf_size(sheaf) == SHEAF_CAP,
	      "the kernel's prefill of 2 holds %u, not its capacity %u",
	      sheaf ? kmem_cache_sheaf_size(sheaf) : 0, SHEAF_CAP);
	first = sheaf;
	sheaf_empty_back(cache, sheaf);
	kmem_cache_set_non_kernel(cache, 0);
	sheaf = kmem_cache_prefill_sheaf(cache, GFP_NOWAIT, 2);
	CHECK(ctx, NULL, sheaf && sheaf == first,
	      "the spare sheaf was not reused (%p, then %p)", (void *)first,
	      (void *)sheaf);
	sheaf_empty_back(cache, sheaf);
out:
	harness_sheaf_fill(fill);
	kmem_cache_destroy(cache);	/* drops the spare */
	CHECK(ctx, NULL, nr_allocated == base,
	      "sheaf tests leaked %ld objects", nr_allocated - base);
}

/*
 * The bulk modes, kfree() of a cache's object, kfree_rcu(), and
 * __GFP_NOFAIL, which no injected failure may touch.
 */
struct rcu_obj {
	char bytes[OBJ_SIZE - sizeof(struct rcu_head)];
	struct rcu_head rcu;
};

static void selftest_bulk_modes(struct check_ctx *ctx, struct kmem_cache *cache)
{
	long base = nr_allocated;
	struct rcu_obj *robj;
	void *objs[4], *one;
	int ret;

	/* the modes cut what may not sleep; a sleeping request is whole */
	kmem_cache_set_non_kernel(cache, 1000);
	harness_bulk_mode(HARNESS_BULK_SIZE_CAP, 1);
	ret = kmem_cache_alloc_bulk(cache, GFP_KERNEL, 4, objs);
	CHECK(ctx, NULL, ret == BULK_OK(4), "a sleeping bulk of 4 was cut: %d", ret);
	if (ret == BULK_OK(4))
		kmem_cache_free_bulk(cache, 4, objs);
	harness_bulk_mode(HARNESS_BULK_SHORT, 0);
	ret = kmem_cache_alloc_bulk(cache, GFP_ATOMIC, 4, objs);
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	if (HARNESS_SLAB_API >= 7) {
		CHECK(ctx, NULL, ret == 0, "a bool bulk cut short returned %d", ret);
	} else {
		CHECK(ctx, NULL, ret == 2 && nr_allocated == base + 2,
		      "a short count: %d, %ld objects the caller's", ret,
		      nr_allocated - base);
		if (ret > 0)
			kmem_cache_free_bulk(cache, ret, objs);
	}
	harness_bulk_mode(HARNESS_BULK_LATE_FAIL, 0);
	ret = kmem_cache_alloc_bulk(cache, GFP_ATOMIC, 4, objs);
	CHECK(ctx, NULL, ret == 0 && nr_allocated == base,
	      "late failure: %d, %ld objects kept", ret, nr_allocated - base);
	harness_bulk_mode(HARNESS_BULK_SIZE_CAP, 3);
	ret = kmem_cache_alloc_bulk(cache, GFP_ATOMIC, 4, objs);
	CHECK(ctx, NULL, ret == 0, "bulk of 4 past a cap of 3 returned %d", ret);
	ret = kmem_cache_alloc_bulk(cache, GFP_ATOMIC, 3, objs);
	CHECK(ctx, NULL, ret == BULK_OK(3), "bulk of 3 within a cap of 3: %d", ret);
	if (ret == BULK_OK(3))
		kmem_cache_free_bulk(cache, 3, objs);
	harness_bulk_mode(HARNESS_BULK_PLAIN, 0);
	kmem_cache_set_non_kernel(cache, 0);

	harness_fail_nth_alloc(0);
	one = kmem_cache_alloc(cache, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(ctx, NULL, one && harness_fail_pending(),
	      "__GFP_NOFAIL met an injected failure (%p)", one);
	harness_fail_nth_alloc(-1);
	kfree(one);	/* a cache's object, through kfree() */
	CHECK(ctx, NULL, kmem_cache_nr_allocated(cache) == 0 &&
	      nr_allocated == base, "kfree() of a cache object: %u live",
	      kmem_cache_nr_allocated(cache));
	robj = kmem_cache_alloc(cache, GFP_KERNEL);
	if (robj) {
		kfree_rcu(robj, rcu);
		rcu_barrier();
	}
	CHECK(ctx, NULL, robj && nr_allocated == base,
	      "kfree_rcu() left %ld objects", nr_allocated - base);
}

static void check_alloc_selftest(struct check_ctx *ctx)
{
	struct kmem_cache *cache;

	cache = kmem_cache_create("selftest", OBJ_SIZE, OBJ_ALIGN, 0, test_ctor);
	if (!CHECK(ctx, NULL, cache != NULL, "kmem_cache_create failed"))
		return;
	selftest_basic(ctx, cache);
	selftest_budget(ctx, cache);
	selftest_bulk_failure(ctx, cache);
	selftest_callback(ctx, cache);
	selftest_kmalloc(ctx);
	selftest_verbose(ctx, cache);
	selftest_poison(ctx, cache);
	selftest_bulk_modes(ctx, cache);
	kmem_cache_destroy(cache);
	selftest_sheaves(ctx);
}
DEFINE_CHECK(check_alloc_selftest,
	     "kmem_cache semantics: budget, bulk and its failure modes, sheaves, "
	     "callback, accounting, poison, kfree_rcu(), __GFP_NOFAIL");
