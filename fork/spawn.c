// SPDX-License-Identifier: GPL-2.0
/*
 * spawn: fork() + _exit() + wait() per ten seconds of a process holding N
 * VMAs, on the running kernel: the method of the seed's measurement
 * (byte-unixbench's "spawn", changed to vary the number of VMAs).
 *
 * The VMAs the process does not already have are made from one anonymous
 * mapping of one page per VMA, whose pages alternate between read-write
 * and read-only, so that no two neighbours can merge:
 *
 *   [ rw | r | rw | r | rw | ... ]     one mmap(), mprotect() on every other page
 *
 * The pages are never touched, so fork() copies VMAs, not page tables.
 * The count is read back from /proc/self/maps (less [vsyscall], which is
 * not in the mm's tree) and the mapping grown until it is exact.
 *
 *   make spawn && ./spawn --vmas 1621 --seconds 2
 *
 * No maple tree here: this measures whatever kernel runs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* VMAs in this process's mm, as /proc/self/maps lists them. */
static long count_vmas(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	long n = 0;

	if (!maps)
		return -1;
	while (fgets(line, sizeof(line), maps)) {
		/* the gate area is the kernel's, outside the mm's tree */
		if (!strstr(line, "[vsyscall]"))
			n++;
		/* a line longer than the buffer: skip the rest of it */
		while (!strchr(line, '\n') && fgets(line, sizeof(line), maps))
			;
	}
	fclose(maps);
	return n;
}

/*
 * One mapping of @pages pages split into @pages VMAs.
 * Return: its address, or NULL with errno set.
 */
static void *map_split(long pages, long page_size)
{
	char *base;
	long i;

	base = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	for (i = 1; i < pages; i += 2) {
		if (mprotect(base + i * page_size, page_size, PROT_READ)) {
			int err = errno;

			munmap(base, pages * page_size);
			errno = err;
			return NULL;
		}
	}
	return base;
}

/*
 * Bring the process to @target VMAs.  A new mapping may merge with a
 * neighbour, so measure and retry with more pages until exact.
 * Return: the VMA count reached, or -1 with errno set.
 */
static long grow_to(long target)
{
	long page_size = sysconf(_SC_PAGESIZE);
	long have = count_vmas(), pages, got;
	int attempt;
	void *base;

	if (have < 0 || target <= have)
		return have;
	pages = target - have;
	for (attempt = 0; attempt < 8; attempt++) {
		base = map_split(pages, page_size);
		if (!base)
			return -1;
		got = count_vmas();
		if (got == target)
			return got;
		munmap(base, pages * page_size);
		pages += target - got;
		if (pages <= 0)
			break;
	}
	return count_vmas();
}

/* fork() + _exit() + wait() until @seconds have passed: forks per 10 s. */
static double spawn_rate(double seconds, unsigned long *forks)
{
	double start = now(), elapsed;
	unsigned long n = 0;
	int status;
	pid_t pid;

	do {
		pid = fork();
		if (pid < 0) {
			perror("spawn: fork");
			exit(1);
		}
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid) {
			perror("spawn: waitpid");
			exit(1);
		}
		n++;
		elapsed = now() - start;
	} while (elapsed < seconds);
	*forks = n;
	return n * 10.0 / elapsed;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: spawn [--vmas N [--at-least]] [--seconds S] [--quiet]\n"
"\n"
"fork() + _exit() + wait() per ten seconds of a process holding N VMAs\n"
"(default: as many as it has), on the running kernel; the seed's method.\n"
"Extra VMAs are one-page VMAs of alternating protection, never touched.\n"
"\n"
"  --vmas N       VMAs in the forking process, exactly; fewer than it\n"
"                 starts with is an error\n"
"  --at-least     N is a minimum: a process that starts with more forks\n"
"                 with what it has\n"
"  --seconds S    how long to fork (default 2)\n"
"  --quiet        print only the VMA count and the rate\n"
"  -h, --help     this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "vmas",	required_argument,	NULL, 'n' },
		{ "seconds",	required_argument,	NULL, 's' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "at-least",	no_argument,		NULL, 'a' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	double seconds = 2, rate;
	long target = 0, vmas;
	unsigned long forks;
	int o, quiet = 0, at_least = 0;
	char *end;

	while ((o = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (o) {
		case 'n':
			target = strtol(optarg, &end, 10);
			if (*end || target < 1)
				goto bad;
			break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0))
				goto bad;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'a':
			at_least = 1;
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
		optarg = argv[optind];
		goto bad;
	}

	vmas = grow_to(target);
	if (vmas < 0) {
		fprintf(stderr, "spawn: cannot make %ld VMAs: %s\n", target,
			strerror(errno));
		return 1;
	}
	if (target && vmas != target) {
		if (target < vmas && at_least) {
			if (!quiet)
				fprintf(stderr, "spawn: %ld VMAs, the process's "
					"own, above --at-least %ld\n", vmas,
					target);
		} else if (target < vmas) {
			fprintf(stderr, "spawn: --vmas %ld: this process "
				"starts with %ld VMAs, so it cannot fork with "
				"fewer; ask for %ld or more, or add --at-least "
				"to take N as a minimum\n", target, vmas, vmas);
			return 2;
		} else {
			fprintf(stderr, "spawn: asked for %ld VMAs, could make "
				"only %ld\n", target, vmas);
			return 1;
		}
	}

	rate = spawn_rate(seconds, &forks);
	if (quiet)
		printf("%ld %.0f\n", vmas, rate);
	else
		printf("%ld VMAs: %.0f forks per ten seconds (%lu in %gs)\n",
		       vmas, rate, forks, seconds);
	return 0;
bad:
	fprintf(stderr, "spawn: bad argument '%s'\n", optarg);
	usage(stderr);
	return 2;
}
