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
#include <harness.h>
#include "checks.h"

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
	CHECK(ctx, NULL, ret == 3, "bulk of 3 with budget 3 returned %d", ret);
	one = kmem_cache_alloc(cache, GFP_NOWAIT);
	CHECK(ctx, NULL, one == NULL,
	      "a bulk of 3 must spend a budget of 3; one more succeeded");
	if (one)
		kmem_cache_free(cache, one);
	if (ret == 3)
		kmem_cache_free_bulk(cache, 3, objs);

	/* Sleeping allocations ignore the budget. */
	ret = kmem_cache_alloc_bulk(cache, GFP_KERNEL, 5, objs);
	CHECK(ctx, NULL, ret == 5, "GFP_KERNEL bulk of 5 returned %d", ret);
	if (ret == 5)
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
	kmem_cache_destroy(cache);
}
DEFINE_CHECK(check_alloc_selftest,
	     "kmem_cache semantics: budget, bulk, callback, accounting, poison");
