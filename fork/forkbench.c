// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench: the seed's fork benchmark on the userspace fork model.
 *
 * For each VMA count, a parent mm is laid out like the seed's test process
 * (fork/mm.h: 21 VMAs of a small process, the rest one-page VMAs made by
 * alternating protections) and copied again and again by dup_mmap(), the
 * old way (one store per VMA into an empty tree) and the new way
 * (__mt_dup(), then each entry replaced in place).  Each copy is torn down
 * by exit_mmap() before the next.
 *
 * Reported, per ten seconds as the seed's table has it:
 *   dup     dup_mmap() calls per ten seconds of time spent in dup_mmap()
 *   cycle   dup_mmap() + exit_mmap() cycles per ten seconds of wall time,
 *           the closer analogue of fork() + exit()
 * each the median of --reps windows of --seconds; old and new alternate
 * within a repetition, so drift hits both alike.  The spread of the
 * windows' dup rates, (max - min) / median, says how much to trust a
 * median: a busy machine shows as a wide spread.  A subject without
 * __mt_dup() (Linux 6.1, say) has only the old strategy.
 *
 *   make forkbench O=build/fork OPT=-O2 && build/fork/forkbench --help
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <harness.h>
#include "mm.h"
#include "../bench/bench.h"
#include "../support/median.h"

#define MAX_COUNTS	64
#define MAX_REPS	101

static const unsigned long seed_counts[] = {
	21, 121, 221, 421, 821, 1621, 3221, 6421, 12821, 25621, 51221,
};

static struct {
	unsigned long counts[MAX_COUNTS];	/* VMA counts to measure */
	unsigned int nr_counts;
	double seconds;			/* one measurement window */
	unsigned int reps;		/* windows per point; median taken */
	const char *label;		/* implementation name in the output */
	bool csv;			/* CSV rows instead of the table */
	bool header;			/* CSV header line */
	bool strategies[2];		/* indexed by enum dup_strategy */
	bool strategy_given;		/* --strategy was given */
	bool debug_ok;			/* --debug-build: run a debug build */
} opt = {
	.seconds = 0.5,
	.reps = 5,
	.label = "subject",
	.header = true,
	.strategies = { true, true },
};

/* What one point measured, per strategy. */
struct point {
	double dup_rate;		/* dup_mmap() per 10 s in dup_mmap() */
	double cycle_rate;		/* dup + exit per 10 s of wall time */
	double dup_us;			/* one dup_mmap(), microseconds */
	double spread;			/* dup rates' (max - min) / median, % */
	unsigned long nodes;		/* nodes in the child's tree */
	unsigned long iterations;	/* dups in all windows */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(BENCH_CLOCK, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "forkbench: %s: %s\n", what, strerror(-err));
	exit(1);
}

/* The kernel's tree has it only with CONFIG_DEBUG_MAPLE_TREE. */
#pragma weak mt_nr_allocated

/* Nodes of @child's tree right after a dup of @parent (0: not counted). */
static unsigned long child_nodes(struct mm *parent, enum dup_strategy how)
{
	unsigned int before;
	unsigned long nodes;
	struct mm child;
	int ret;

	if (!mt_nr_allocated)
		return 0;
	before = mt_nr_allocated();

	mm_init(&child);
	ret = dup_mmap(&child, parent, how);
	if (ret)
		die("dup_mmap", ret);
	nodes = mt_nr_allocated() - before;
	exit_mmap(&child);
	return nodes;
}

/*
 * One window: dup and tear down until @seconds of wall time have passed;
 * its two rates go to @dup_rate and @cycle_rate.  Return: dups made.
 */
static unsigned long window(struct mm *parent, enum dup_strategy how,
			    double seconds, double *dup_rate,
			    double *cycle_rate)
{
	double start = now(), in_dup = 0, t0, t1 = start;
	unsigned long n = 0;
	struct mm child;
	int ret;

	mm_init(&child);
	do {
		t0 = now();
		ret = dup_mmap(&child, parent, how);
		t1 = now();
		if (ret)
			die("dup_mmap", ret);
		exit_mmap(&child);
		in_dup += t1 - t0;
		n++;
	} while (now() - start < seconds);
	*dup_rate = n * 10.0 / in_dup;
	*cycle_rate = n * 10.0 / (now() - start);
	return n;
}

static void progress(unsigned long vmas, unsigned int rep)
{
	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r  %s: %lu VMAs, repetition %u of %u   ", opt.label,
		vmas, rep + 1, opt.reps);
}

/* Measure every strategy asked for at @vmas VMAs into @points. */
static void measure(unsigned long vmas, struct point points[2])
{
	double dup[2][MAX_REPS], cycle[2][MAX_REPS];
	struct mm_layout layout = { .nr_vmas = vmas };
	struct mm parent;
	unsigned int rep, i;
	int ret;

	mm_init(&parent);
	ret = mm_build(&parent, &layout);
	if (ret)
		die("building the parent", ret);

	memset(points, 0, 2 * sizeof(*points));
	for (i = 0; i < 2; i++) {
		if (!opt.strategies[i])
			continue;
		points[i].nodes = child_nodes(&parent, i);
		/* Warm the caches and the allocator's free lists. */
		window(&parent, i, opt.seconds / 10, &dup[i][0], &cycle[i][0]);
	}
	for (rep = 0; rep < opt.reps; rep++) {
		progress(vmas, rep);
		for (i = 0; i < 2; i++) {
			/* Old first in even repetitions, new first in odd. */
			enum dup_strategy how = (i + rep) % 2;

			if (!opt.strategies[how])
				continue;
			points[how].iterations +=
				window(&parent, how, opt.seconds,
				       &dup[how][rep], &cycle[how][rep]);
		}
	}
	for (i = 0; i < 2; i++) {
		if (!opt.strategies[i])
			continue;
		points[i].dup_rate = median(dup[i], opt.reps);
		/* median() sorted the rates: the first is the least */
		points[i].spread = (dup[i][opt.reps - 1] - dup[i][0]) * 100 /
				   points[i].dup_rate;
		points[i].cycle_rate = median(cycle[i], opt.reps);
		points[i].dup_us = 1e7 / points[i].dup_rate;
	}
	exit_mmap(&parent);
}

static double gain(const struct point points[2], bool cycle)
{
	double old = cycle ? points[DUP_OLD].cycle_rate : points[DUP_OLD].dup_rate;
	double new = cycle ? points[DUP_NEW].cycle_rate : points[DUP_NEW].dup_rate;

	return old > 0 ? (new / old - 1) * 100 : 0;
}

static void print_csv(const struct point (*points)[2])
{
	unsigned int c, i;

	if (opt.header)
		printf("impl,strategy,vmas,dup_per_10s,cycle_per_10s,dup_us,nodes,iterations,reps,seconds,dup_spread_pct\n");
	for (c = 0; c < opt.nr_counts; c++)
		for (i = 0; i < 2; i++)
			if (opt.strategies[i])
				printf("%s,%s,%lu,%.0f,%.0f,%.3f,%lu,%lu,%u,%g,%.1f\n",
				       opt.label, dup_strategy_name(i),
				       opt.counts[c], points[c][i].dup_rate,
				       points[c][i].cycle_rate,
				       points[c][i].dup_us, points[c][i].nodes,
				       points[c][i].iterations, opt.reps,
				       opt.seconds, points[c][i].spread);
}

/* The seed's layout: VMA counts, one row per strategy, the gains. */
static void print_table(const struct point (*points)[2], bool cycle)
{
	unsigned int c, i;

	printf("%-10s", "VMAs");
	for (c = 0; c < opt.nr_counts; c++)
		printf(" %8lu", opt.counts[c]);
	printf("\n");
	for (i = 0; i < 2; i++) {
		if (!opt.strategies[i])
			continue;
		printf("%-10s", dup_strategy_name(i));
		for (c = 0; c < opt.nr_counts; c++)
			printf(" %8.0f", cycle ? points[c][i].cycle_rate :
						 points[c][i].dup_rate);
		printf("\n");
	}
	if (opt.strategies[DUP_OLD] && opt.strategies[DUP_NEW]) {
		printf("%-10s", "gain");
		for (c = 0; c < opt.nr_counts; c++)
			printf(" %7.2f%%", gain(points[c], cycle));
		printf("\n");
	}
	if (cycle)
		return;
	for (i = 0; i < 2; i++) {
		if (!opt.strategies[i])
			continue;
		printf("%-10s", i == DUP_OLD ? "spread old" : "spread new");
		for (c = 0; c < opt.nr_counts; c++)
			printf(" %7.1f%%", points[c][i].spread);
		printf("\n");
	}
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: forkbench [options]\n"
"\n"
"dup_mmap() of a process with N VMAs on the fork model, the old way (a new\n"
"tree filled one VMA at a time) against the new (__mt_dup()), in calls per\n"
"ten seconds, as in the seed's table.\n"
"\n"
"options:\n"
"  --counts LIST    VMA counts, comma separated (default: the seed's\n"
"                   21,121,221,421,821,1621,3221,6421,12821,25621,51221)\n"
"  --seconds S      one measurement window (default %g)\n"
"  --reps N         windows per point, the median is reported (default %u)\n"
"  --strategy WHICH old, new or both (default: both, or old where the\n"
"                   subject has no __mt_dup(); this one: %s)\n"
"  --label NAME     the implementation's name in the output\n"
"  --csv            CSV rows instead of the tables\n"
"  --no-header      no CSV header line\n"
"  --debug-build    run even if this is a debug build (OPT=-Og)\n"
"\n"
"spread: (max - min) / median of the windows' dup rates; a wide one\n"
"means the machine was busy and the median is noisy.\n"
"  -h, --help       this text\n",
		opt.seconds, opt.reps,
		dup_strategy_available(DUP_NEW) ? "both" : "old");
}

static int parse_counts(const char *arg)
{
	const char *p = arg;
	char *end;

	opt.nr_counts = 0;
	while (*p) {
		unsigned long n = strtoul(p, &end, 10);

		if (end == p || n == 0 || opt.nr_counts == MAX_COUNTS ||
		    (*end && *end != ','))
			return -EINVAL;
		opt.counts[opt.nr_counts++] = n;
		p = *end ? end + 1 : end;
	}
	return opt.nr_counts ? 0 : -EINVAL;
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "counts",	required_argument,	NULL, 'c' },
		{ "seconds",	required_argument,	NULL, 's' },
		{ "reps",	required_argument,	NULL, 'r' },
		{ "strategy",	required_argument,	NULL, 'S' },
		{ "label",	required_argument,	NULL, 'l' },
		{ "csv",	no_argument,		NULL, 'C' },
		{ "no-header",	no_argument,		NULL, 'H' },
		{ "debug-build", no_argument,		NULL, 'D' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int o;

	while ((o = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (o) {
		case 'c':
			if (parse_counts(optarg))
				goto bad;
			break;
		case 's':
			opt.seconds = strtod(optarg, &end);
			if (*end || !(opt.seconds > 0))
				goto bad;
			break;
		case 'r':
			opt.reps = strtoul(optarg, &end, 10);
			if (*end || opt.reps == 0 || opt.reps > MAX_REPS)
				goto bad;
			break;
		case 'S':
			opt.strategies[DUP_OLD] = strcmp(optarg, "new") != 0;
			opt.strategies[DUP_NEW] = strcmp(optarg, "old") != 0;
			if (strcmp(optarg, "old") && strcmp(optarg, "new") &&
			    strcmp(optarg, "both"))
				goto bad;
			opt.strategy_given = true;
			break;
		case 'l':
			opt.label = optarg;
			break;
		case 'C':
			opt.csv = true;
			break;
		case 'H':
			opt.header = false;
			break;
		case 'D':
			opt.debug_ok = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind == argc)
		return 0;
	optarg = argv[optind];
bad:
	fprintf(stderr, "forkbench: bad argument '%s'\n", optarg);
	usage(stderr);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	static struct point points[MAX_COUNTS][2];
	unsigned int c;
	int ret;

	memcpy(opt.counts, seed_counts, sizeof(seed_counts));
	opt.nr_counts = ARRAY_SIZE(seed_counts);
	if (parse_options(argc, argv))
		return 2;
	if (bench_refuse_debug_build("forkbench", opt.debug_ok))
		return 2;
	if (opt.strategies[DUP_NEW] && !dup_strategy_available(DUP_NEW)) {
		if (opt.strategy_given) {
			fprintf(stderr, "forkbench: %s has no __mt_dup(): only "
				"the old strategy (--strategy old)\n",
				SUBJECT_NAME);
			return 2;
		}
		opt.strategies[DUP_NEW] = false;
		if (!opt.csv)
			printf("%s has no __mt_dup(): the old strategy only\n",
			       SUBJECT_NAME);
	}

	maple_tree_init();
	ret = mm_model_init();
	if (ret)
		die("the VMA cache", ret);

	for (c = 0; c < opt.nr_counts; c++)
		measure(opt.counts[c], points[c]);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%60s\r", "");

	if (opt.csv) {
		print_csv(points);
	} else {
		printf("%s: dup_mmap() per ten seconds (median of %u x %gs; "
		       "spread: (max - min) / median)\n", opt.label, opt.reps,
		       opt.seconds);
		print_table(points, false);
		printf("\n%s: dup_mmap() + exit_mmap() per ten seconds\n",
		       opt.label);
		print_table(points, true);
	}
	mm_model_exit();
	return nr_allocated ? 1 : 0;
}
