// SPDX-License-Identifier: GPL-2.0
/*
 * memlat: what one dependent load costs on this machine, by where its line
 * and its page translation are.  A benchmark of a large tree is a chain of
 * such loads (one node per level); this tells which links of the chain
 * are cache misses and which are TLB misses.
 *
 * Each row chases a pointer through @lines cache lines placed one per
 * @stride bytes, in a random cyclic order, so every load depends on the
 * one before and no prefetcher can guess the next.  With a stride of 64
 * the lines are packed (a cache test); with a stride of 4096 every line
 * is on a page of its own, and with few enough lines to stay in L2 what
 * is left is the cost of finding the page (a TLB test).
 *
 *   make memlat && ./memlat          (or O=<dir>: <dir>/memlat)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct row {
	const char *what;
	size_t lines;		/* lines in the chase */
	size_t stride;		/* bytes from one line's slot to the next */
};

static const struct row rows[] = {
	{ "lines in L1 (16 KiB)",		256,	64 },
	{ "lines in L2 (1 MiB)",		16384,	64 },
	{ "lines over 16 MiB",			262144,	64 },
	{ "lines over 64 MiB",			1048576, 64 },
	{ "2,048 pages, lines in L2",		2048,	4096 },
	{ "8,192 pages, lines in L2",		8192,	4096 },
	{ "16,384 pages, lines in L2",		16384,	4096 },
};

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * The line of slot @i: within its slot, at a line offset that varies with
 * @i, so that lines one page apart do not all fall into the same cache set.
 */
static char *line_of(char *base, size_t i, size_t stride)
{
	return base + i * stride + (i * 64) % stride;
}

/* ns per load of the chase described by @r; negative when memory is short */
static double chase(const struct row *r, size_t loads)
{
	size_t i, j, tmp, *order;
	char *base;
	void **p;
	double t;

	base = aligned_alloc(4096, r->lines * r->stride);
	order = malloc(r->lines * sizeof(*order));
	if (!base || !order) {
		free(base);
		free(order);
		return -1;
	}
	memset(base, 0, r->lines * r->stride);	/* fault every page in */
	for (i = 0; i < r->lines; i++)
		order[i] = i;
	for (i = r->lines - 1; i > 0; i--) {
		j = next_rand() % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	/* one cycle through every line, in the shuffled order */
	for (i = 0; i < r->lines; i++)
		*(void **)line_of(base, order[i], r->stride) =
			line_of(base, order[(i + 1) % r->lines], r->stride);
	p = (void **)line_of(base, order[0], r->stride);
	for (i = 0; i < loads / 4; i++)	/* warm the caches and the TLB */
		p = *p;
	t = now_ns();
	for (i = 0; i < loads; i++)
		p = *p;
	t = now_ns() - t;
	/* keep the chase: its end is used */
	if (!p)
		t = -1;
	free(base);
	free(order);
	return t / loads;
}

int main(int argc, char **argv)
{
	size_t loads = argc > 1 ? strtoul(argv[1], NULL, 0) : 4000000;
	unsigned int i;
	double ns;

	if (!loads) {
		fprintf(stderr, "usage: memlat [loads per row, > 0]\n");
		return 2;
	}
	printf("%-28s %10s %10s %10s\n", "chase", "span KiB", "lines KiB",
	       "ns/load");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ns = chase(&rows[i], loads);
		if (ns < 0) {
			fprintf(stderr, "memlat: out of memory for '%s'\n",
				rows[i].what);
			return 1;
		}
		printf("%-28s %10zu %10zu %10.1f\n", rows[i].what,
		       rows[i].lines * rows[i].stride >> 10,
		       rows[i].lines * 64 >> 10, ns);
	}
	return 0;
}
