// SPDX-License-Identifier: GPL-2.0
/*
 * maple.c: the driver.
 *
 * Runs the subject's test module (its module_init function, maple_tree_seed()
 * in a kernel tree), then our userspace checks from checks/, then verifies
 * that nothing leaked and no lock or RCU rule was broken.  Every assertion,
 * the module's MT_BUG_ON()s and our CHECK()s alike, counts as one test in
 * maple_tree_tests_run/passed; the last line of output is always
 * "N passed, M failed" and the exit status is non-zero on any failure.
 *
 * A benchmark build (BENCH=<name>) runs only that benchmark
 * (bench/onebench.c), the same code whatever the subject.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <harness.h>
#include "checks/checks.h"

/* Defined by the subject's test module through module_init(). */
int harness_module_init(void);
/* A BENCH=<name> build's benchmark (bench/onebench.c). */
void harness_bench(void);

/* The checks registered with DEFINE_CHECK(), placed there by the linker. */
extern const struct harness_check __start_harness_checks[];
extern const struct harness_check __stop_harness_checks[];

#define for_each_check(c)						\
	for ((c) = __start_harness_checks; (c) < __stop_harness_checks; (c)++)

static unsigned long opt_seed = 1;
static int opt_verbose;
static bool show_progress;	/* a terminal and no -v: one updating line */
static int checks_total, checks_done;

void check_failed(struct check_ctx *ctx, struct maple_tree *mt,
		  const char *file, int line, const char *cond,
		  const char *fmt, ...)
{
	va_list args;

	ctx->failed++;
	fflush(stdout);
	fprintf(stderr, "FAIL %s at %s:%d: %s\n  ", ctx->name, file, line, cond);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n  replay: ./maple --seed %lu %s\n", ctx->seed,
		ctx->name);
	if (mt) {
		fflush(stderr);
		rcu_read_lock();
#ifdef HAVE_MT_DUMP_FORMAT
		mt_dump(mt, mt_dump_hex);
#else
		mt_dump(mt);	/* before 6.3: one format, decimal */
#endif
		rcu_read_unlock();
		fflush(stdout);
	}
	if (harness_abort_on_bug)
		abort();
}

static void usage(FILE *out)
{
	const struct harness_check *c;

	fprintf(out,
"usage: maple [options] [check...]\n"
"\n"
"Runs the subject's test module and every userspace check, or only the\n"
"named ones.  'module' names the test module.\n"
"\n"
"options:\n"
"  -h, --help       this text\n"
"  -v, --verbose    say what runs; -vv also traces every allocation\n"
"  -s, --seed N     seed for the random checks (default 1)\n"
"  -a, --abort      abort at the first failed assertion (for gdb)\n"
"  -l, --list       list the checks\n"
"\n"
"checks:\n"
"  %-24s %s\n", "module", "the subject's lib/test_maple_tree.c");
	for_each_check(c)
		fprintf(out, "  %-24s %s\n", c->name, c->help);
}

static const struct harness_check *find_check(const char *name)
{
	const struct harness_check *c;

	for_each_check(c)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int checks_skipped;	/* checks that reported check_skip() */
static int parts_skipped;	/* check_skip_part() calls, all checks */
static unsigned int module_known;	/* known module failures not counted */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_check(const struct harness_check *c)
{
	struct check_ctx ctx = {
		.name = c->name,
		.seed = opt_seed,
		.verbose = opt_verbose,
	};
	double start = now_seconds();
	unsigned long warnings = harness_warnings;

	if (opt_verbose)
		printf("check %s ...\n", c->name);
	if (show_progress) {
		fprintf(stderr, "\r\033[K[%2d/%d] %s", ++checks_done,
			checks_total, c->name);
		fflush(stderr);
	}
	c->run(&ctx);
	rcu_barrier();
	warnings = harness_warnings - warnings;
	CHECK(&ctx, NULL, !warnings || ctx.warns, "%lu WARN_ON() hits that the "
	      "check did not expect (see the WARNING lines above)", warnings);
	parts_skipped += ctx.parts_skipped;
	if (ctx.skipped[0]) {
		checks_skipped++;
		printf("check %s: skipped: %s\n", c->name, ctx.skipped);
		return;
	}
	if (opt_verbose || ctx.failed)
		printf("check %s: %s (%.2fs)\n", c->name,
		       ctx.failed ? "FAILED" : "ok", now_seconds() - start);
}

#ifdef SUBJECT_MODULE_KNOWN_FAILURES
/*
 * A test module that fails assertions against its own tree, in the
 * kernel's own harness too (scripts/subject-api.sh lists them by the
 * module's sha256): its output goes through a temporary file, each
 * "BUG at function:line" MT_BUG_ON() prints is looked up, and if every
 * failure was a known one they are reported and not counted.  Any other
 * failure counts as usual.
 */
static FILE *module_out;
static int saved_stdout = -1;

static void module_capture(void)
{
	fflush(stdout);
	module_out = tmpfile();
	saved_stdout = dup(STDOUT_FILENO);
	if (!module_out || saved_stdout < 0 ||
	    dup2(fileno(module_out), STDOUT_FILENO) < 0) {
		perror("maple: capturing the module's output");
		exit(2);
	}
}

/* Replay the output; return the known failures if they were all known. */
static unsigned int module_known_failures(unsigned int failed)
{
	static const char known[] = " " SUBJECT_MODULE_KNOWN_FAILURES " ";
	unsigned int bugs = 0, hits = 0;
	char line[4096], where[256];

	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	rewind(module_out);
	while (fgets(line, sizeof(line), module_out)) {
		fputs(line, stdout);
		if (sscanf(line, "BUG at %200s", where + 1) != 1)
			continue;
		bugs++;
		where[0] = ' ';
		strcat(where, " ");
		if (strstr(known, where)) {
			hits++;
			where[strlen(where) - 1] = '\0';
			printf("note: known failure of this test module (%s): "
			       "%s\n", where + 1, SUBJECT_MODULE_KNOWN_WHY);
		}
	}
	fclose(module_out);
	return hits && hits == bugs && bugs == failed ? hits : 0;
}
#endif

static void run_module(void)
{
	double start = now_seconds();
	unsigned int __maybe_unused failed_before =
		atomic_read(&maple_tree_tests_run) -
		atomic_read(&maple_tree_tests_passed);
	unsigned int known = 0;
	int ret;

	if (opt_verbose)
		printf("module: the subject's test module ...\n");
	if (show_progress) {
		fprintf(stderr, "\r\033[K[%2d/%d] module", ++checks_done,
			checks_total);
		fflush(stderr);
	}
	harness_rcu_quiet = 1;
#ifdef SUBJECT_MODULE_KNOWN_FAILURES
	module_capture();
#endif
	ret = harness_module_init();
	rcu_barrier();
	harness_rcu_quiet = 0;
#ifdef SUBJECT_MODULE_KNOWN_FAILURES
	known = module_known_failures(atomic_read(&maple_tree_tests_run) -
				      atomic_read(&maple_tree_tests_passed) -
				      failed_before);
	if (known) {
		/* Only failed assertions: the module says -EINVAL for them. */
		atomic_sub(known, &maple_tree_tests_run);
		module_known += known;
		if (ret == -EINVAL)
			ret = 0;
	}
#endif
	if (opt_verbose || ret || known)
		printf("module: returned %d (%.2fs)%s\n", ret,
		       now_seconds() - start,
		       known ? ", its known failures not counted" : "");
	if (ret && atomic_read(&maple_tree_tests_run) ==
		   atomic_read(&maple_tree_tests_passed)) {
		/* A module that fails without a failed assertion still fails. */
		atomic_inc(&maple_tree_tests_run);
	}
	/*
	 * A test module is the subject's, not ours: Linux 6.12's calls
	 * mt_validate() and mt_dump() without the lock or rcu_read_lock().
	 * Report what lockdep saw, but hold only our checks to it.
	 */
	if (harness_rcu_suspicious_count) {
		printf("note: the module made %lu RCU dereferences outside "
		       "rcu_read_lock() and the tree lock\n",
		       harness_rcu_suspicious_count);
		harness_rcu_suspicious_count = 0;
	}
}

/* Count one end-of-run test; return whether it passed. */
static bool final_test(bool ok, const char *what, long value)
{
	atomic_inc(&maple_tree_tests_run);
	if (ok) {
		atomic_inc(&maple_tree_tests_passed);
		return true;
	}
	printf("FAIL at exit: %s: %ld\n", what, value);
	return false;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "seed",	required_argument,	NULL, 's' },
		{ "abort",	no_argument,		NULL, 'a' },
		{ "list",	no_argument,		NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const struct harness_check *c;
	unsigned int run, passed;
	unsigned int __maybe_unused asserted, held;	/* before the exit checks */
	char *end;
	int opt, i;

	while ((opt = getopt_long(argc, argv, "hvs:al", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			opt_verbose++;
			break;
		case 's':
			opt_seed = strtoul(optarg, &end, 0);
			if (*optarg == '\0' || *end != '\0') {
				fprintf(stderr, "maple: bad seed '%s'\n", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'a':
			harness_abort_on_bug = 1;
			break;
		case 'l':
			printf("module\n");
			for_each_check(c)
				printf("%s\n", c->name);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "module") && !find_check(argv[i])) {
			fprintf(stderr, "maple: unknown check '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (opt_verbose > 1)
		kmalloc_verbose = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Progress only where someone watches: CI logs stay clean. */
	show_progress = !opt_verbose && isatty(STDERR_FILENO) &&
			getenv("CI") == NULL;
	checks_total = optind < argc ? argc - optind :
		       1 + (int)(__stop_harness_checks - __start_harness_checks);

	maple_tree_init();
#ifndef HARNESS_BENCH
	/*
	 * The tests fill sheaves exactly, whatever the build: a budget of N
	 * non-blocking objects and the failure sweeps' points then mean the
	 * same for every subject (include/harness.h).
	 */
	harness_sheaf_fill(HARNESS_SHEAF_EXACT);
#endif

#ifdef HARNESS_BENCH
	/* A benchmark build runs its benchmark and nothing else. */
	if (optind == argc) {
		printf("benchmark %s\n", HARNESS_BENCH);
		harness_bench();
	} else
#endif
	if (optind == argc) {
		run_module();
		for_each_check(c)
			run_check(c);
	} else {
		for (i = optind; i < argc; i++) {
			if (!strcmp(argv[i], "module"))
				run_module();
			else
				run_check(find_check(argv[i]));
		}
	}

	if (show_progress)
		fprintf(stderr, "\r\033[K");
	rcu_barrier();
	asserted = atomic_read(&maple_tree_tests_run);
	held = atomic_read(&maple_tree_tests_passed);
	/*
	 * A kernel subject's leak that a check reproduced and reported as
	 * that kernel's misbehaviour (harness_subject_leaked) is said, not
	 * counted; any other leak fails the run.
	 */
	if (harness_subject_leaked)
		printf("note: %ld objects leaked by %s in misbehaviours "
		       "reported above, not counted\n", harness_subject_leaked,
		       SUBJECT_NAME);
	final_test(nr_allocated == harness_subject_leaked,
		   "objects leaked (nr_allocated)",
		   nr_allocated - harness_subject_leaked);
	final_test(harness_lockdep_failures == 0, "lock assertions failed",
		   (long)harness_lockdep_failures);
	final_test(harness_rcu_suspicious_count == 0,
		   "suspicious RCU dereferences",
		   (long)harness_rcu_suspicious_count);
	harness_report_warnings();
	final_test(harness_sheaves_out() == 0, "slab sheaves never returned",
		   (long)harness_sheaves_out());
	/* the kernel's CONFIG_DEBUG_ATOMIC_SLEEP: the first is shown above */
	final_test(harness_atomic_sleeps == 0, "allocations that may sleep "
		   "made in atomic context (a spinlock held or under "
		   "rcu_read_lock())", (long)harness_atomic_sleeps);
	if (module_known)
		printf("note: %u known failures of %s's own test module not "
		       "counted (see above)\n", module_known, SUBJECT_NAME);
	if (checks_skipped || parts_skipped)
		printf("note: %d checks and %d parts of checks skipped on %s "
		       "(see above for why)\n", checks_skipped, parts_skipped,
		       SUBJECT_NAME);

	run = atomic_read(&maple_tree_tests_run);
	passed = atomic_read(&maple_tree_tests_passed);
#ifdef HARNESS_BENCH
	/*
	 * No test ran: what counted is the subject's own assertions (a
	 * kernel tree's MT_BUG_ON()s under CONFIG_DEBUG_MAPLE_TREE) and the
	 * end-of-run checks.
	 */
	printf("benchmark build: no tests run; the subject's assertions: %u "
	       "of %u held; end-of-run checks (no leak, no lock or RCU "
	       "failure): %u of %u passed\n", held, asserted, passed - held,
	       run - asserted);
#else
	printf("maple_tree: %u of %u tests passed\n", passed, run);
	printf("%u passed, %u failed\n", passed, run - passed);
#endif
	return passed == run ? 0 : 1;
}
