// SPDX-License-Identifier: GPL-2.0
/*
 * mtbench: maple tree workloads, timed, for one subject.
 *
 * scripts/bench.sh builds this program once per subject (ours, the
 * kernel's) with the same shims and OPT=-O2, runs them in turns and prints
 * the medians side by side with the ratio ours/kernel.  This program only
 * measures; it prints one CSV line per workload and size:
 *
 *	workload,entries,ns_per_op
 *
 * The ranges are laid out like a process's VMAs: page-aligned, of a few
 * pages each, with gaps of a few pages between them.  Functions a subject
 * may not have yet (the allocation-tree and dup APIs) are weak references;
 * their rows are skipped when absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <getopt.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <harness.h>
#include "bench.h"
#include "../support/median.h"

#ifndef HAVE___MT_DUP
/* Before the seed (Linux 6.1): declared here, absent at run time. */
int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp);
#endif
#pragma weak mas_empty_area
#pragma weak mtree_alloc_range
#pragma weak __mt_dup
/* The kernel's tree has these only with CONFIG_DEBUG_MAPLE_TREE. */
#pragma weak mt_get_alloc_size
#pragma weak mt_nr_allocated

#define PAGE		4096UL

static volatile unsigned long sink;	/* keeps results alive */

/*
 * --serial: no operation of load, walk and empty_area starts before the
 * one before it has finished.  The operations of these loops do not
 * depend on each other, so a core may start the next descent while the
 * last one still waits for memory; the difference between the two timings
 * is how much of that overlap a tree's code leaves room for (docs/
 * results.md, sixth session).
 */
static bool serial;

static inline void op_fence(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (serial)
		__asm__ __volatile__("lfence" ::: "memory");
#endif
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(BENCH_CLOCK, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Deterministic layout: entry i covers [first(i), last(i)]. */
static unsigned long vma_first(unsigned long i)
{
	return (i * 8 + 1) * PAGE;
}

static unsigned long vma_last(unsigned long i)
{
	return vma_first(i) + (1 + i % 5) * PAGE - 1;
}

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)rng_state;
}

static void build(struct maple_tree *mt, unsigned int flags, unsigned long n)
{
	unsigned long i;

	mt_init_flags(mt, flags);
	for (i = 0; i < n; i++)
		if (mtree_store_range(mt, vma_first(i), vma_last(i),
				      xa_mk_value(i), GFP_KERNEL))
			BUG();
}

/* 0 .. n-1 in a random order (the caller frees it). */
static unsigned long *shuffled(unsigned long n)
{
	unsigned long i, j, tmp, *order = malloc(n * sizeof(*order));

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	return order;
}

/* @ops random indices inside the entries of a tree of @n (caller frees). */
static unsigned long *random_keys(unsigned long n, unsigned long ops)
{
	unsigned long i, *keys = malloc(ops * sizeof(*keys));

	for (i = 0; i < ops; i++)
		keys[i] = vma_first(rnd() % n) + PAGE / 2;
	return keys;
}

static void report(const char *name, unsigned long n, double ns, double ops)
{
	printf("%s,%lu,%.2f\n", name, n, ns / ops);
}

static void bench_load(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, *keys = random_keys(n, ops);
	double t;

	build(&mt, 0, n);
	t = now_ns();
	for (i = 0; i < ops; i++) {
		op_fence();
		sink += (unsigned long)mtree_load(&mt, keys[i]);
	}
	report("load", n, now_ns() - t, ops);
	free(keys);
	mtree_destroy(&mt);
}

/*
 * What the harness's RCU frees cost the writer (not a tree's work): @ops
 * objects of a node's size, each given to kfree_rcu() as 7.x frees a
 * node, and each to call_rcu() as 6.x frees one; the time is the
 * writer's, per call, with the worker that frees them running beside it,
 * then a final rcu_barrier() outside the timing.
 */
struct rcu_obj {
	char bytes[248 - sizeof(struct rcu_head)];
	struct rcu_head rcu;
};

static struct kmem_cache *rcu_obj_cache;

static void rcu_obj_free(struct rcu_head *head)
{
	kmem_cache_free(rcu_obj_cache, container_of(head, struct rcu_obj, rcu));
}

static void bench_rcu_free(unsigned long n, unsigned long ops)
{
	struct rcu_obj *obj;
	unsigned long i;
	double t, alloc;
	int way;

	(void)n;
	if (!rcu_obj_cache)
		rcu_obj_cache = kmem_cache_create("rcu_obj", sizeof(*obj), 0, 0,
						  NULL);
	/* the allocations alone, to take off */
	t = now_ns();
	for (i = 0; i < ops; i++)
		kmem_cache_free(rcu_obj_cache,
				kmem_cache_alloc(rcu_obj_cache, GFP_KERNEL));
	alloc = now_ns() - t;
	for (way = 0; way < 2; way++) {
		rcu_barrier();
		t = now_ns();
		for (i = 0; i < ops; i++) {
			obj = kmem_cache_alloc(rcu_obj_cache, GFP_KERNEL);
			if (way)
				call_rcu(&obj->rcu, rcu_obj_free);
			else
				kfree_rcu(obj, rcu);
		}
		t = now_ns() - t - alloc;
		rcu_barrier();
		report(way ? "call_rcu" : "kfree_rcu", ops, t > 0 ? t : 0, ops);
	}
}

static void bench_walk(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, *keys = random_keys(n, ops);
	MA_STATE(ms, &mt, 0, 0);
	double t;

	build(&mt, 0, n);
	t = now_ns();
	rcu_read_lock();
	for (i = 0; i < ops; i++) {
		op_fence();
		mas_set(&ms, keys[i]);
		sink += (unsigned long)mas_walk(&ms);
	}
	rcu_read_unlock();
	report("walk", n, now_ns() - t, ops);
	free(keys);
	mtree_destroy(&mt);
}

/* Whole passes over the tree, forwards (mas_for_each) or backwards. */
static void bench_pass(unsigned long n, unsigned long ops, bool backwards)
{
	struct maple_tree mt;
	unsigned long done = 0;
	void *entry;
	double t;

	build(&mt, 0, n);
	t = now_ns();
	while (done < ops) {
		MA_STATE(ms, &mt, 0, 0);

		rcu_read_lock();
		if (backwards)
			mas_set(&ms, ULONG_MAX);
		while ((entry = backwards ? mas_prev(&ms, 0) :
					    mas_find(&ms, ULONG_MAX)) != NULL) {
			sink += (unsigned long)entry;
			done++;
		}
		rcu_read_unlock();
	}
	report(backwards ? "prev" : "iterate", n, now_ns() - t, done);
	mtree_destroy(&mt);
}

static void bench_iterate(unsigned long n, unsigned long ops)
{
	bench_pass(n, ops, false);
}

static void bench_prev(unsigned long n, unsigned long ops)
{
	bench_pass(n, ops, true);
}

static void bench_append(unsigned long n, unsigned long ops)
{
	unsigned long done = 0;
	double total = 0, t;

	while (done < ops) {
		struct maple_tree mt;

		t = now_ns();
		build(&mt, 0, n);
		total += now_ns() - t;
		done += n;
		mtree_destroy(&mt);
	}
	report("append", n, total, done);
}

static void bench_random_insert(unsigned long n, unsigned long ops)
{
	unsigned long i, done = 0, *order = shuffled(n);
	double total = 0, t;

	while (done < ops) {
		struct maple_tree mt;

		mt_init_flags(&mt, 0);
		t = now_ns();
		for (i = 0; i < n; i++)
			mtree_insert_range(&mt, vma_first(order[i]),
					   vma_last(order[i]),
					   xa_mk_value(order[i]), GFP_KERNEL);
		total += now_ns() - t;
		done += n;
		mtree_destroy(&mt);
	}
	report("random_insert", n, total, done);
	free(order);
}

static void bench_overwrite(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, k;
	MA_STATE(ms, &mt, 0, 0);
	double t;

	build(&mt, 0, n);
	t = now_ns();
	mtree_lock(&mt);
	for (i = 0; i < ops; i++) {
		k = rnd() % n;
		mas_set_range(&ms, vma_first(k), vma_last(k));
		mas_store_gfp(&ms, xa_mk_value(k + 1), GFP_KERNEL);
	}
	mtree_unlock(&mt);
	report("overwrite", n, now_ns() - t, ops);
	mtree_destroy(&mt);
}

static void bench_erase_reinsert(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, k;
	double t;

	build(&mt, 0, n);
	t = now_ns();
	for (i = 0; i < ops; i++) {
		k = rnd() % n;
		mtree_erase(&mt, vma_first(k));
		mtree_store_range(&mt, vma_first(k), vma_last(k),
				  xa_mk_value(k), GFP_KERNEL);
	}
	report("erase_reinsert", n, now_ns() - t, ops);
	mtree_destroy(&mt);
}

/* Overwrite 3..20 neighbouring entries with one range, then restore them. */
static void bench_spanning(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, k, span, j;
	double total = 0, t;

	build(&mt, 0, n);
	for (i = 0; i < ops; i++) {
		span = 3 + rnd() % 18;
		k = rnd() % (n - span);
		t = now_ns();
		mtree_store_range(&mt, vma_first(k), vma_last(k + span),
				  xa_mk_value(k), GFP_KERNEL);
		total += now_ns() - t;
		mtree_store_range(&mt, vma_first(k), vma_last(k + span), NULL,
				  GFP_KERNEL);
		for (j = k; j <= k + span; j++)
			mtree_store_range(&mt, vma_first(j), vma_last(j),
					  xa_mk_value(j), GFP_KERNEL);
	}
	report("spanning_store", n, total, ops);
	mtree_destroy(&mt);
}

/*
 * The mm's way of writing its VMA tree: in an allocation tree in RCU mode
 * (the mm's flags), each store is mas_preallocate() then
 * mas_store_prealloc().  A mapping of one page goes into the gap after a
 * random entry (an mmap), then is erased again (an munmap): two stores an
 * operation, the row is per store.
 */
static void bench_prealloc_store(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, k, lo;
	MA_STATE(ms, &mt, 0, 0);
	double t;

	build(&mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, n);
	t = now_ns();
	mtree_lock(&mt);
	for (i = 0; i < ops; i++) {
		k = rnd() % n;
		lo = vma_last(k) + 1;	/* the gap after it: >= 3 pages */
		mas_set_range(&ms, lo, lo + PAGE - 1);
		if (mas_preallocate(&ms, xa_mk_value(k), GFP_KERNEL))
			BUG();
		mas_store_prealloc(&ms, xa_mk_value(k));
		mas_set_range(&ms, lo, lo + PAGE - 1);
		if (mas_preallocate(&ms, NULL, GFP_KERNEL))
			BUG();
		mas_store_prealloc(&ms, NULL);
	}
	mtree_unlock(&mt);
	report("prealloc_store", n, now_ns() - t, 2 * ops);
	mtree_destroy(&mt);
}

static void bench_empty_area(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, lo;
	MA_STATE(ms, &mt, 0, 0);
	double t;

	if (!mas_empty_area)
		return;
	build(&mt, MT_FLAGS_ALLOC_RANGE, n);
	t = now_ns();
	rcu_read_lock();
	for (i = 0; i < ops; i++) {
		lo = vma_first(rnd() % n);
		op_fence();
		mas_reset(&ms);
		/* gaps are 3..7 pages: ask for 5 to skip some */
		sink += mas_empty_area(&ms, lo, ULONG_MAX, 5 * PAGE);
		sink += ms.index;
	}
	rcu_read_unlock();
	report("empty_area", n, now_ns() - t, ops);
	mtree_destroy(&mt);
}

/*
 * Allocations of two pages, each in the lowest gap that has room (as an
 * mmap without a hint does), ALLOC_BATCH in a row, timed together: a clock
 * read costs a third of one allocation.  The batch is then erased,
 * untimed, so every batch starts from the same tree.
 */
#define ALLOC_BATCH	32

static void bench_alloc_range(unsigned long n, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long i, j, nr, start[ALLOC_BATCH];
	double total = 0, t;

	if (!mtree_alloc_range)
		return;
	build(&mt, MT_FLAGS_ALLOC_RANGE, n);
	for (i = 0; i < ops; i += nr) {
		nr = min(ops - i, (unsigned long)ALLOC_BATCH);
		t = now_ns();
		for (j = 0; j < nr; j++)
			if (mtree_alloc_range(&mt, &start[j], xa_mk_value(1),
					      2 * PAGE, 0, ULONG_MAX,
					      GFP_KERNEL))
				BUG();
		total += now_ns() - t;
		for (j = 0; j < nr; j++)
			mtree_erase(&mt, start[j]);
	}
	report("alloc_range", n, total, ops);
	mtree_destroy(&mt);
}

/*
 * A buffer of @bytes mapped as the harness maps its slabs (linux.c): 2 MiB
 * aligned and offered to transparent huge pages, so that the memory-copy
 * bound copies memory mapped like the nodes it stands for.
 */
static char *bench_buffer(size_t bytes)
{
	size_t huge = 2UL << 20, size = (bytes + huge - 1) & ~(huge - 1);
	void *buf;

	if (posix_memalign(&buf, huge, size))
		BUG();
#ifdef MADV_HUGEPAGE
	(void)madvise(buf, size, MADV_HUGEPAGE);
#endif
	return buf;
}

/*
 * One duplication of a tree of @n is one round; the row is the median
 * round over the number of entries, so a round disturbed by another
 * process on the machine does not move it.  At least 16 rounds, or a
 * large tree would be timed once or twice.  The memory-copy bound copies
 * memory that is already mapped, so the duplications do not pay
 * first-touch page faults either: one untimed round comes first, and the
 * node cache keeps its nodes for the timed ones.
 */
static void bench_dup(unsigned long n, unsigned long ops)
{
	unsigned long r, rounds = ops / n > 16 ? ops / n : 16, bytes;
	struct maple_tree mt, copy;
	double t, *times;
	char *src, *dst;

	if (!__mt_dup)
		return;
	times = calloc(rounds + 1, sizeof(*times));
	if (!times)
		BUG();
	build(&mt, MT_FLAGS_ALLOC_RANGE, n);
	for (r = 0; r <= rounds; r++) {
		mt_init_flags(&copy, MT_FLAGS_ALLOC_RANGE);
		mtree_lock(&copy);
		mtree_lock(&mt);
		t = now_ns();
		if (__mt_dup(&mt, &copy, GFP_KERNEL))
			BUG();
		times[r] = now_ns() - t;
		mtree_unlock(&mt);
		__mt_destroy(&copy);	/* with its lock held, as it requires */
		mtree_unlock(&copy);
	}
	report("mtree_dup", n, median(times + 1, rounds), n);
	if (!mt_get_alloc_size)
		goto out;
	/* The memory-copy bound: the same number of node bytes, memcpy'd. */
	bytes = mt_get_alloc_size();
	src = bench_buffer(bytes);
	dst = bench_buffer(bytes);
	memset(src, 1, bytes);
	memset(dst, 0, bytes);
	for (r = 0; r <= rounds; r++) {
		t = now_ns();
		memcpy(dst, src, bytes);
		times[r] = now_ns() - t;
		sink += dst[r % bytes];
	}
	report("memcpy_bound", n, median(times + 1, rounds), n);
	free(src);
	free(dst);
out:
	free(times);
	mtree_destroy(&mt);
}

/*
 * Memory: bytes of nodes per entry after appending and after random
 * insertion, and nodes per 1,000 entries for every way a tree is built:
 * appended in order, inserted in random order, bulk-loaded through
 * mas_expected_entries() (as dup_mmap()'s old way does), and copied with
 * __mt_dup() from the appended tree.
 */
/*
 * Nodes per 1,000 entries.  Freed nodes waiting for a grace period still
 * count as allocated (7.x frees every node through kfree_rcu()): the
 * callbacks run first, so that each tree counts only what it holds.
 */
static void report_nodes(const char *name, unsigned long n)
{
	rcu_barrier();
	printf("%s,%lu,%.2f\n", name, n, mt_nr_allocated() * 1000.0 / n);
}

static void bench_memory(unsigned long n)
{
	struct maple_tree mt, copy;
	unsigned long i, *order;
	MA_STATE(mas, &mt, 0, 0);

	if (!mt_nr_allocated || !mt_get_alloc_size)
		return;	/* a production build: no counts */

	build(&mt, 0, n);
	rcu_barrier();	/* see report_nodes() */
	printf("bytes_seq,%lu,%.2f\n", n, (double)mt_get_alloc_size() / n);
	report_nodes("nodes_append", n);
	if (__mt_dup) {
		mt_init_flags(&copy, 0);
		mtree_lock(&copy);
		mtree_lock(&mt);
		if (__mt_dup(&mt, &copy, GFP_KERNEL))
			BUG();
		mtree_unlock(&mt);
		mtree_unlock(&copy);
		mtree_destroy(&mt);
		report_nodes("nodes_dup", n);
		mtree_destroy(&copy);
	} else {
		mtree_destroy(&mt);
	}

	order = shuffled(n);
	mt_init_flags(&mt, 0);
	for (i = 0; i < n; i++)
		mtree_store_range(&mt, vma_first(order[i]), vma_last(order[i]),
				  xa_mk_value(order[i]), GFP_KERNEL);
	rcu_barrier();
	printf("bytes_random,%lu,%.2f\n", n, (double)mt_get_alloc_size() / n);
	report_nodes("nodes_random", n);
	mtree_destroy(&mt);
	free(order);

	/*
	 * The bulk load of dup_mmap()'s old way: in order, nodes up front
	 * (7.x has no bulk mode: there each store allocates its own).
	 */
	mt_init_flags(&mt, 0);
	mtree_lock(&mt);
#ifdef HAVE_MAS_EXPECTED_ENTRIES
	if (mas_expected_entries(&mas, n))
		BUG();
#endif
	for (i = 0; i < n; i++) {
		mas_set_range(&mas, vma_first(i), vma_last(i));
#ifdef HAVE_MAS_EXPECTED_ENTRIES
		mas_store(&mas, xa_mk_value(i));
#else
		if (mas_store_gfp(&mas, xa_mk_value(i), GFP_KERNEL))
			BUG();
#endif
	}
	mas_destroy(&mas);
	mtree_unlock(&mt);
	report_nodes("nodes_bulk", n);
	mtree_destroy(&mt);
}

/*
 * layout (named only): where the nodes of a tree built as the other rows
 * build it lie in memory, level by level: how many nodes, and how many
 * distinct 4 KiB pages and 2 MiB regions hold them.  It tells whether a
 * walk's TLB misses differ between subjects (they did not: docs/
 * harness.md).  Node addresses come from mas.node and each node's parent
 * word: a node is aligned to its size, and the root's parent word has
 * bit 0 set, in every kernel's format since 6.1.
 */
static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* How many distinct values @v[0..@nr) have once shifted right by @shift. */
static unsigned long distinct(const unsigned long *v, unsigned long nr,
			      unsigned int shift)
{
	unsigned long i, d = 0, *w = malloc((nr + 1) * sizeof(*w));

	if (!w)
		BUG();
	for (i = 0; i < nr; i++)
		w[i] = v[i] >> shift;
	qsort(w, nr, sizeof(*w), cmp_ulong);
	for (i = 0; i < nr; i++)
		d += !i || w[i] != w[i - 1];
	free(w);
	return d;
}

#define LAYOUT_LEVELS	MAPLE_HEIGHT_MAX

static void bench_layout(unsigned long n, unsigned long ops)
{
	unsigned long *addr[LAYOUT_LEVELS], nr[LAYOUT_LEVELS] = { 0 };
	unsigned long last[LAYOUT_LEVELS] = { 0 };
	unsigned long i, node, parent, h;
	struct maple_tree mt;
	MA_STATE(ms, &mt, 0, 0);

	(void)ops;
	for (h = 0; h < LAYOUT_LEVELS; h++) {
		addr[h] = malloc(n * sizeof(*addr[h]));
		if (!addr[h])
			BUG();
	}
	build(&mt, MT_FLAGS_ALLOC_RANGE, n);
	rcu_read_lock();
	for (i = 0; i < n; i++) {
		mas_set(&ms, vma_first(i));
		mas_walk(&ms);
		node = (unsigned long)ms.node & ~(sizeof(struct maple_node) - 1);
		/* up from the leaf until a node already counted, or the root */
		for (h = 0; h < LAYOUT_LEVELS && node != last[h]; h++) {
			last[h] = node;
			addr[h][nr[h]++] = node;
			parent = (unsigned long)((struct maple_node *)node)->parent;
			if (parent & 1)
				break;
			node = parent & ~(sizeof(struct maple_node) - 1);
		}
	}
	rcu_read_unlock();
	for (h = 0; h < LAYOUT_LEVELS && nr[h]; h++)
		printf("layout,%lu,level %lu: %lu nodes in %lu pages, "
		       "%lu 2M regions\n", n, h, nr[h],
		       distinct(addr[h], nr[h], 12),
		       distinct(addr[h], nr[h], 21));
	for (h = 0; h < LAYOUT_LEVELS; h++)
		free(addr[h]);
	mtree_destroy(&mt);
}

struct workload {
	const char *name;
	void (*run)(unsigned long n, unsigned long ops);
	bool named_only;	/* not in a default run: it measures the harness */
};

static const struct workload workloads[] = {
	{ "load", bench_load },
	{ "walk", bench_walk },
	{ "iterate", bench_iterate },
	{ "prev", bench_prev },
	{ "append", bench_append },
	{ "random_insert", bench_random_insert },
	{ "overwrite", bench_overwrite },
	{ "erase_reinsert", bench_erase_reinsert },
	{ "spanning_store", bench_spanning },
	{ "empty_area", bench_empty_area },
	{ "alloc_range", bench_alloc_range },
	{ "prealloc_store", bench_prealloc_store },
	{ "mtree_dup", bench_dup },
	{ "rcu_free", bench_rcu_free, true },
	{ "layout", bench_layout, true },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: mtbench [--sizes N,M,...] [--ops N] [--serial] "
		"[--debug-build] [--list] [workload...]\n"
		"prints workload,entries,ns_per_op lines; workloads:");
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		fprintf(out, " %s", workloads[i].name);
	fprintf(out, " memory\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' },
		{ "serial", no_argument, NULL, 'S' },
		{ "debug-build", no_argument, NULL, 'D' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long sizes[8] = { 1000, 100000 }, ops = 200000;
	int nr_sizes = 2, opt, s, a;
	bool debug_ok = false;
	size_t w;
	char *p, *end;

	while ((opt = getopt_long(argc, argv, "s:o:Slh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			nr_sizes = 0;
			for (p = optarg; *p && nr_sizes < 8; p = end) {
				sizes[nr_sizes++] = strtoul(p, &end, 10);
				if (end == p || sizes[nr_sizes - 1] < 100) {
					fprintf(stderr, "mtbench: bad size list "
						"'%s' (each >= 100)\n", optarg);
					return 2;
				}
				if (*end == ',')
					end++;
			}
			break;
		case 'o':
			ops = strtoul(optarg, &end, 10);
			if (!ops || *end) {
				fprintf(stderr, "mtbench: bad --ops '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'S':
#if defined(__x86_64__) || defined(__i386__)
			serial = true;
			break;
#else
			fprintf(stderr, "mtbench: --serial needs x86's lfence\n");
			return 2;
#endif
		case 'D':
			debug_ok = true;
			break;
		case 'l':	/* what a run without workloads runs */
			for (w = 0; w < ARRAY_SIZE(workloads); w++)
				if (!workloads[w].named_only)
					printf("%s\n", workloads[w].name);
			printf("memory\n");
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (bench_refuse_debug_build("mtbench", debug_ok))
		return 2;
	for (a = optind; a < argc; a++) {
		bool known = !strcmp(argv[a], "memory");

		for (w = 0; w < ARRAY_SIZE(workloads); w++)
			known |= !strcmp(argv[a], workloads[w].name);
		if (!known) {
			fprintf(stderr, "mtbench: unknown workload '%s'\n",
				argv[a]);
			usage(stderr);
			return 2;
		}
	}

	maple_tree_init();
	for (s = 0; s < nr_sizes; s++) {
		for (w = 0; w < ARRAY_SIZE(workloads); w++) {
			bool wanted = optind == argc && !workloads[w].named_only;

			for (a = optind; a < argc; a++)
				wanted |= !strcmp(argv[a], workloads[w].name);
			if (wanted)
				workloads[w].run(sizes[s], ops);
		}
		for (a = optind; a < argc; a++)
			if (!strcmp(argv[a], "memory"))
				break;
		if (optind == argc || a < argc)
			bench_memory(sizes[s]);
	}
	rcu_barrier();
	if (nr_allocated) {
		fprintf(stderr, "mtbench: %ld objects leaked\n", nr_allocated);
		return 1;
	}
	return 0;
}
