// SPDX-License-Identifier: GPL-2.0
/*
 * vma-torture: random mmap, munmap, mprotect, mremap, writes and fork() over
 * thousands of VMAs, every result checked against a model, while other
 * threads read /proc/self/maps in a loop.  Runs in the guest kernels of
 * scripts/kernel-boot.sh (issue 14), where every VMA lives in the maple tree
 * under test; it runs on any Linux.
 *
 * Each writer thread owns an arena of --pages pages at a fixed address far
 * from anything the kernel places by itself (1 TiB apart, from 32 TiB up),
 * so that what it finds there is what it did.  Its model holds, per page:
 *
 *   prot   P_UNMAPPED, P_NONE, P_READ or P_RW
 *   tag    the 64-bit word expected at the start of the page (0: never
 *          written since it was mapped, as the kernel's zero page reads)
 *
 * An arena starts as one mapping whose pages alternate read-write and
 * read-only: one VMA per page.  Then, at random:
 *
 *   mmap      MAP_FIXED over 1..16 pages, any protection (replaces)
 *   munmap    1..16 pages, mapped or not
 *   mprotect  a run of 1..3 mapped pages (a hole would make it fail half
 *             done)
 *   mremap    move a run of mapped pages elsewhere in the arena (MREMAP_FIXED),
 *             shrink it in place, or grow it in place
 *   write     new tags into read-write pages (page faults: per-VMA locks)
 *   fork      the child checks the whole arena, changes it, checks again
 *
 * After every operation mincore() tells mapped pages from holes in the
 * range it touched; every --check operations (and at the end) the arena is
 * checked whole: /proc/self/maps line by line against the model, and the
 * tag of every readable page.  A page that faults where the model says it
 * is readable is caught (SIGSEGV, siglongjmp) and counted.
 *
 * Reader threads parse /proc/self/maps in a loop and check that its lines
 * are well formed, page aligned and their ends ascending (lines from two
 * read() calls may overlap when a VMA changed in between: counted).
 *
 * Seeded: thread i draws from seed + i.  With --writers 1 --readers 0 a run
 * replays exactly; with more threads each thread's own sequence replays,
 * their interleaving does not.  The last line is a summary; the exit
 * status is 0 only with 0 mismatches.
 *
 *   vma-torture --seed 1 --seconds 30 --writers 4 --readers 2 --pages 2048
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARENA_BASE	0x200000000000UL	/* 32 TiB */
#define ARENA_STRIDE	0x10000000000UL		/* 1 TiB */
#define MAPS_BUF	(32UL << 20)		/* /proc/self/maps text */
#define MAX_RUN		16			/* pages per operation */
#define LOG_OPS		16			/* operations a mismatch shows */

enum prot { P_UNMAPPED, P_NONE, P_READ, P_RW };
static const char *const prot_name[] = { "unmapped", "---", "r--", "rw-" };
static const int prot_flags[] = { 0, PROT_NONE, PROT_READ,
				  PROT_READ | PROT_WRITE };

enum op { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP_MOVE, OP_MREMAP_SHRINK,
	  OP_MREMAP_GROW, OP_WRITE, OP_FORK, OP_CHECK, NR_OPS };
static const char *const op_name[] = { "mmap", "munmap", "mprotect",
	"mremap-move", "mremap-shrink", "mremap-grow", "write", "fork",
	"check" };
/* relative frequency of each operation */
static const int op_weight[] = { 20, 14, 20, 8, 4, 4, 28, 0, 0 };

struct logged_op {
	enum op op;
	long page, pages, arg;	/* arg: prot, target page or new length */
	long result;		/* 0, or -errno */
};

/* One writer thread: its arena, its model and its counters. */
struct writer {
	int id;
	pthread_t thread;
	uint64_t rng;			/* xorshift64* state */
	char *base;			/* the arena */
	long pages;			/* its size in pages */
	unsigned char *prot;		/* per page: enum prot */
	uint64_t *tag;			/* per page: the expected first word */
	uint64_t generation;		/* makes every written tag unique */
	char *maps;			/* MAPS_BUF bytes for /proc/self/maps */
	unsigned long ops[NR_OPS];
	unsigned long efault;		/* mremap answers decided by VMA edges */
	unsigned long grown;		/* mremap-grow that succeeded */
	unsigned long mismatches;
	long vmas;			/* VMAs in the arena at the last check */
	struct logged_op log[LOG_OPS];
	unsigned long nlog;
};

struct reader {
	pthread_t thread;
	char *maps;
	unsigned long reads, lines, mismatches;
	unsigned long restarts;	/* a line starting before the last end */
	long max_lines;
};

static long page_size;
static int verbose;
static volatile int stop;
static double deadline;
static unsigned long max_ops;
static long check_every = 256;
static int fork_every = 400;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static __thread sigjmp_buf *fault_jmp;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rnd(struct writer *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1DULL;
}

static long rnd_below(struct writer *w, long n)
{
	return (long)(rnd(w) % (uint64_t)n);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&print_lock);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
}

static void log_op(struct writer *w, enum op op, long page, long pages,
		   long arg, long result)
{
	struct logged_op *l = &w->log[w->nlog++ % LOG_OPS];

	l->op = op;
	l->page = page;
	l->pages = pages;
	l->arg = arg;
	l->result = result;
	w->ops[op]++;
	if (verbose > 1)
		say("w%d %-13s page %5ld +%-2ld arg %5ld -> %ld\n", w->id,
		    op_name[op], page, pages, arg, result);
}

/* A mismatch: what was expected, what was found, the last operations. */
static void mismatch(struct writer *w, const char *fmt, ...)
{
	unsigned long i, first;
	va_list ap;

	w->mismatches++;
	if (w->mismatches > 10)
		return;
	pthread_mutex_lock(&print_lock);
	printf("MISMATCH writer %d (arena %p): ", w->id, (void *)w->base);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  last operations, oldest first:\n");
	first = w->nlog > LOG_OPS ? w->nlog - LOG_OPS : 0;
	for (i = first; i < w->nlog; i++) {
		struct logged_op *l = &w->log[i % LOG_OPS];

		printf("    %-13s page %5ld +%-2ld arg %5ld -> %ld\n",
		       op_name[l->op], l->page, l->pages, l->arg, l->result);
	}
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
}

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
	(void)info;
	(void)ctx;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read the first word of a page; return -1 if reading it faults. */
static int probe(const char *addr, uint64_t *word)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		fault_jmp = NULL;
		return -1;
	}
	fault_jmp = &jb;
	*word = *(volatile const uint64_t *)addr;
	fault_jmp = NULL;
	return 0;
}

static char *page_addr(struct writer *w, long page)
{
	return w->base + page * page_size;
}

/* mincore() on each page of [page, page + n): mapped or not, as modelled. */
static void check_range(struct writer *w, long page, long n)
{
	unsigned char vec;
	long i;
	int mapped;

	for (i = page; i < page + n && i < w->pages; i++) {
		mapped = mincore(page_addr(w, i), page_size, &vec) == 0;
		if (mapped != (w->prot[i] != P_UNMAPPED))
			mismatch(w, "page %ld (%p): mincore says %s, model %s",
				 i, (void *)page_addr(w, i),
				 mapped ? "mapped" : "unmapped",
				 prot_name[w->prot[i]]);
	}
}

/* /proc/self/maps into w->maps; return its length, -1 on error. */
static long read_maps(char *buf)
{
	long len = 0, n;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, MAPS_BUF - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0 || len >= (long)MAPS_BUF - 1)
		return -1;
	buf[len] = 0;
	return len;
}

/* Parse "start-end perms ..." at *p; advance *p to the next line. */
static int parse_line(char **p, unsigned long *start, unsigned long *end,
		      char perms[5])
{
	char *s = *p, *nl;

	if (!*s)
		return 0;
	nl = strchr(s, '\n');
	*p = nl ? nl + 1 : s + strlen(s);
	*start = strtoul(s, &s, 16);
	if (*s++ != '-')
		return -1;
	*end = strtoul(s, &s, 16);
	if (*s++ != ' ')
		return -1;
	memcpy(perms, s, 4);
	perms[4] = 0;
	if (s[4] != ' ')
		return -1;
	return 1;
}

static enum prot perms_prot(const char perms[5])
{
	if (perms[1] == 'w')
		return P_RW;
	return perms[0] == 'r' ? P_READ : P_NONE;
}

/*
 * The whole arena: /proc/self/maps against the model, then the tag of every
 * readable page.  Only this thread changes the arena, so its lines are
 * stable while it reads them.
 */
static void check_arena(struct writer *w)
{
	unsigned long lo = (unsigned long)w->base;
	unsigned long hi = lo + w->pages * page_size, start, end;
	long i, page = 0, vmas = 0, len;
	char *p, perms[5];
	uint64_t word;
	int r;

	w->ops[OP_CHECK]++;
	len = read_maps(w->maps);
	if (len < 0) {
		mismatch(w, "cannot read /proc/self/maps: %s", strerror(errno));
		return;
	}
	p = w->maps;
	while ((r = parse_line(&p, &start, &end, perms)) > 0) {
		if (end <= lo || start >= hi)
			continue;
		if (start < lo || end > hi) {
			mismatch(w, "maps line %lx-%lx crosses the arena", start, end);
			return;
		}
		vmas++;
		for (; page < (long)((start - lo) / page_size); page++)
			if (w->prot[page] != P_UNMAPPED) {
				mismatch(w, "page %ld: not in maps, model %s",
					 page, prot_name[w->prot[page]]);
				return;
			}
		for (; page < (long)((end - lo) / page_size); page++)
			if (w->prot[page] != perms_prot(perms)) {
				mismatch(w, "page %ld: maps %lx-%lx %s, model %s",
					 page, start, end, perms,
					 prot_name[w->prot[page]]);
				return;
			}
	}
	if (r < 0)
		mismatch(w, "malformed /proc/self/maps line");
	for (; page < w->pages; page++)
		if (w->prot[page] != P_UNMAPPED) {
			mismatch(w, "page %ld: not in maps, model %s", page,
				 prot_name[w->prot[page]]);
			return;
		}
	w->vmas = vmas;
	for (i = 0; i < w->pages; i++) {
		if (w->prot[i] < P_READ)
			continue;
		if (probe(page_addr(w, i), &word))
			mismatch(w, "page %ld: faults, model %s", i,
				 prot_name[w->prot[i]]);
		else if (word != w->tag[i])
			mismatch(w, "page %ld: reads %#llx, model %#llx", i,
				 (unsigned long long)word,
				 (unsigned long long)w->tag[i]);
	}
}

static void model_set(struct writer *w, long page, long n, enum prot prot)
{
	long i;

	for (i = page; i < page + n; i++) {
		w->prot[i] = prot;
		w->tag[i] = 0;
	}
}

/* A run of mapped pages starting at a random one, at most @max long. */
static long mapped_run(struct writer *w, long *page, long max, int same_prot)
{
	long start = rnd_below(w, w->pages), i, n;

	for (i = 0; i < w->pages; i++, start = (start + 1) % w->pages)
		if (w->prot[start] != P_UNMAPPED)
			break;
	if (w->prot[start] == P_UNMAPPED)
		return 0;
	max = 1 + rnd_below(w, max);
	for (n = 1; n < max && start + n < w->pages; n++)
		if (w->prot[start + n] == P_UNMAPPED ||
		    (same_prot && w->prot[start + n] != w->prot[start]))
			break;
	*page = start;
	return n;
}

static void op_mmap(struct writer *w)
{
	long n = 1 + rnd_below(w, MAX_RUN), page = rnd_below(w, w->pages - n);
	enum prot prot = 1 + rnd_below(w, 3);
	void *p;

	p = mmap(page_addr(w, page), n * page_size, prot_flags[prot],
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	log_op(w, OP_MMAP, page, n, prot, p == MAP_FAILED ? -errno : 0);
	if (p == MAP_FAILED) {
		mismatch(w, "mmap page %ld +%ld: %s", page, n, strerror(errno));
		return;
	}
	model_set(w, page, n, prot);
	check_range(w, page, n);
}

static void op_munmap(struct writer *w)
{
	long n = 1 + rnd_below(w, MAX_RUN), page = rnd_below(w, w->pages - n);
	int r;

	r = munmap(page_addr(w, page), n * page_size);
	log_op(w, OP_MUNMAP, page, n, 0, r ? -errno : 0);
	if (r) {
		mismatch(w, "munmap page %ld +%ld: %s", page, n, strerror(errno));
		return;
	}
	model_set(w, page, n, P_UNMAPPED);
	check_range(w, page - 1 < 0 ? 0 : page - 1, n + 2);
}

static void op_mprotect(struct writer *w)
{
	enum prot prot = 1 + rnd_below(w, 3);
	/* short runs: splitting VMAs balances the merges of the others */
	long page, n = mapped_run(w, &page, 3, 0), i;
	int r;

	if (!n)
		return;
	r = mprotect(page_addr(w, page), n * page_size, prot_flags[prot]);
	log_op(w, OP_MPROTECT, page, n, prot, r ? -errno : 0);
	if (r) {
		mismatch(w, "mprotect page %ld +%ld: %s", page, n, strerror(errno));
		return;
	}
	for (i = page; i < page + n; i++)
		w->prot[i] = prot;	/* contents stay */
	check_range(w, page, n);
}

/*
 * Move a run of mapped pages to a random place (MREMAP_FIXED).  The kernel
 * unmaps the target first; if the run then spans two VMAs (which only the
 * kernel's merging decides) the move fails with -EFAULT and the target
 * stays unmapped.
 */
static void op_mremap_move(struct writer *w)
{
	long page, n = mapped_run(w, &page, MAX_RUN, 1), to, i;
	void *p;

	if (!n)
		return;
	do
		to = rnd_below(w, w->pages - n);
	while (to + n > page && page + n > to);
	p = mremap(page_addr(w, page), n * page_size, n * page_size,
		   MREMAP_MAYMOVE | MREMAP_FIXED, page_addr(w, to));
	log_op(w, OP_MREMAP_MOVE, page, n, to, p == MAP_FAILED ? -errno : 0);
	if (p == MAP_FAILED && errno == EFAULT) {
		w->efault++;
		model_set(w, to, n, P_UNMAPPED);
	} else if (p != page_addr(w, to)) {
		mismatch(w, "mremap page %ld +%ld to %ld: %s", page, n, to,
			 p == MAP_FAILED ? strerror(errno) : "moved elsewhere");
		return;
	} else {
		for (i = 0; i < n; i++) {
			w->prot[to + i] = w->prot[page + i];
			w->tag[to + i] = w->tag[page + i];
		}
		model_set(w, page, n, P_UNMAPPED);
	}
	check_range(w, page, n);
	check_range(w, to, n);
}

/* Shrink a run in place: its tail is unmapped, whatever VMAs it spans. */
static void op_mremap_shrink(struct writer *w)
{
	long page, n = mapped_run(w, &page, MAX_RUN, 0), keep;
	void *p;

	if (n < 2)
		return;
	keep = 1 + rnd_below(w, n - 1);
	p = mremap(page_addr(w, page), n * page_size, keep * page_size, 0);
	log_op(w, OP_MREMAP_SHRINK, page, n, keep, p == MAP_FAILED ? -errno : 0);
	if (p != page_addr(w, page)) {
		mismatch(w, "mremap shrink page %ld +%ld to %ld: %s", page, n,
			 keep, p == MAP_FAILED ? strerror(errno) : "moved");
		return;
	}
	model_set(w, page + keep, n - keep, P_UNMAPPED);
	check_range(w, page, n);
}

/*
 * Grow a run in place into the hole after it.  Only possible when the run
 * ends its VMA (the kernel's merging decides): success maps zeroed pages
 * of the run's protection, failure changes nothing.
 */
static void op_mremap_grow(struct writer *w)
{
	long page, n = mapped_run(w, &page, MAX_RUN, 1), more = 0, i;
	void *p;

	if (!n)
		return;
	while (page + n + more < w->pages && more < 4 &&
	       w->prot[page + n + more] == P_UNMAPPED)
		more++;
	if (!more)
		return;
	p = mremap(page_addr(w, page), n * page_size, (n + more) * page_size, 0);
	log_op(w, OP_MREMAP_GROW, page, n, n + more, p == MAP_FAILED ? -errno : 0);
	if (p == page_addr(w, page)) {
		w->grown++;
		for (i = page + n; i < page + n + more; i++) {
			w->prot[i] = w->prot[page];
			w->tag[i] = 0;
		}
	} else if (p != MAP_FAILED || (errno != ENOMEM && errno != EFAULT)) {
		mismatch(w, "mremap grow page %ld +%ld by %ld: %s", page, n,
			 more, p == MAP_FAILED ? strerror(errno) : "moved");
		return;
	}
	check_range(w, page, n + more);
}

static void op_write(struct writer *w)
{
	long page, n = mapped_run(w, &page, MAX_RUN, 0), i;
	sigjmp_buf jb;

	for (i = page; i < page + n; i++) {
		if (w->prot[i] != P_RW)
			continue;
		if (sigsetjmp(jb, 1)) {
			fault_jmp = NULL;
			mismatch(w, "page %ld: write faults, model rw-", i);
			continue;
		}
		fault_jmp = &jb;
		w->tag[i] = ((uint64_t)w->id << 56) | ++w->generation;
		*(volatile uint64_t *)page_addr(w, i) = w->tag[i];
		fault_jmp = NULL;
	}
	log_op(w, OP_WRITE, page, n, 0, 0);
}

/*
 * fork(): the child, alone in its copy of the mm, checks the arena against
 * the model it inherited, unmaps and remaps part of it, checks again and
 * exits with the number of mismatches.  The parent's arena must not change.
 */
static void op_fork(struct writer *w)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		mismatch(w, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		int i;

		/* another thread may have held it at fork() */
		pthread_mutex_init(&print_lock, NULL);
		w->mismatches = 0;
		check_arena(w);
		for (i = 0; i < 8; i++) {
			op_munmap(w);
			op_mmap(w);
			op_write(w);
		}
		check_arena(w);
		_exit(w->mismatches ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		mismatch(w, "waitpid: %s", strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		mismatch(w, "fork child found mismatches (status %#x)", status);
	log_op(w, OP_FORK, 0, w->pages, 0, 0);
	check_arena(w);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	int total = 0, i, pick;
	unsigned long n = 0;
	char *p;

	for (i = 0; i < NR_OPS; i++)
		total += op_weight[i];
	/* one mapping, one VMA per page: read-write and read-only in turn */
	p = mmap(w->base, w->pages * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != w->base) {
		mismatch(w, "cannot map the arena: %s",
			 p == MAP_FAILED ? strerror(errno) : "placed elsewhere");
		stop = 1;
		return NULL;
	}
	model_set(w, 0, w->pages, P_RW);
	for (i = 1; i < w->pages; i += 2) {
		if (mprotect(page_addr(w, i), page_size, PROT_READ)) {
			mismatch(w, "mprotect page %d: %s", i, strerror(errno));
			stop = 1;
			return NULL;
		}
		w->prot[i] = P_READ;
	}
	check_arena(w);
	if (verbose)
		say("writer %d: arena %p, %ld pages, %ld VMAs\n", w->id,
		    (void *)w->base, w->pages, w->vmas);

	while (!stop && w->mismatches == 0) {
		if (max_ops && n >= max_ops)
			break;
		if (!max_ops && (n & 15) == 0 && now() >= deadline)
			break;
		n++;
		if (fork_every && n % fork_every == 0) {
			op_fork(w);
			continue;
		}
		if (n % check_every == 0) {
			check_arena(w);
			continue;
		}
		pick = rnd_below(w, total);
		for (i = 0; pick >= op_weight[i]; i++)
			pick -= op_weight[i];
		switch (i) {
		case OP_MMAP:		op_mmap(w); break;
		case OP_MUNMAP:		op_munmap(w); break;
		case OP_MPROTECT:	op_mprotect(w); break;
		case OP_MREMAP_MOVE:	op_mremap_move(w); break;
		case OP_MREMAP_SHRINK:	op_mremap_shrink(w); break;
		case OP_MREMAP_GROW:	op_mremap_grow(w); break;
		default:		op_write(w); break;
		}
	}
	check_arena(w);
	return NULL;
}

/* Every line of /proc/self/maps well formed, aligned, ends ascending. */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	unsigned long start, end, prev_end;
	char *p, perms[5];
	long lines;
	int k;

	while (!stop) {
		if (read_maps(r->maps) < 0) {
			r->mismatches++;
			say("MISMATCH reader: cannot read /proc/self/maps\n");
			break;
		}
		p = r->maps;
		prev_end = 0;
		lines = 0;
		while ((k = parse_line(&p, &start, &end, perms)) > 0) {
			lines++;
			/*
			 * A read() hands over about a page of lines at a
			 * time, each under the mmap lock; the next resumes
			 * at the first VMA ending after the last one shown.
			 * So ends always ascend, but a VMA that changed in
			 * between may start before the last end (counted).
			 */
			if (start < prev_end)
				r->restarts++;
			if (start >= end || end <= prev_end ||
			    start % page_size || end % page_size ||
			    !strchr("r-", perms[0]) || !strchr("w-", perms[1]) ||
			    !strchr("x-", perms[2]) || !strchr("ps", perms[3])) {
				r->mismatches++;
				say("MISMATCH reader: line %ld: %lx-%lx %s after %lx\n",
				    lines, start, end, perms, prev_end);
				break;
			}
			prev_end = end;
		}
		if (k < 0) {
			r->mismatches++;
			say("MISMATCH reader: malformed line %ld\n", lines + 1);
		}
		r->reads++;
		r->lines += lines;
		if (lines > r->max_lines)
			r->max_lines = lines;
	}
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: vma-torture [options]\n"
"\n"
"Random mmap/munmap/mprotect/mremap/writes/fork over thousands of VMAs,\n"
"checked against a model (mincore, /proc/self/maps, page contents), while\n"
"reader threads parse /proc/self/maps.  Exit status 0: no mismatch.\n"
"\n"
"  --seed N       seed of writer 0 (writer i: N + i; default 1)\n"
"  --seconds S    run time (default 20)\n"
"  --ops N        operations per writer instead of a time (replayable)\n"
"  --writers N    writer threads, one arena each (default 4)\n"
"  --readers N    /proc/self/maps reader threads (default 2)\n"
"  --pages N      pages per arena, one VMA each at the start (default 2048)\n"
"  --check N      check the whole arena every N operations (default 256)\n"
"  --fork N       fork every N operations, 0: never (default 400)\n"
"  -v             per-writer progress; -vv every operation\n"
"  -h, --help     this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed",	required_argument,	NULL, 's' },
		{ "seconds",	required_argument,	NULL, 't' },
		{ "ops",	required_argument,	NULL, 'o' },
		{ "writers",	required_argument,	NULL, 'w' },
		{ "readers",	required_argument,	NULL, 'r' },
		{ "pages",	required_argument,	NULL, 'p' },
		{ "check",	required_argument,	NULL, 'c' },
		{ "fork",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long seed = 1, ops[NR_OPS] = { 0 }, mism = 0, efault = 0;
	unsigned long grown = 0, reads = 0, lines = 0, restarts = 0;
	long nwriters = 4, nreaders = 2, pages = 2048, vmas = 0, max_lines = 0;
	double seconds = 20, start, elapsed;
	struct writer *writers;
	struct reader *readers;
	struct sigaction sa;
	char *end;
	long i;
	int o, j;

	while ((o = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		long v = 0;

		if (optarg) {
			v = strtol(optarg, &end, 0);
			if (*end || v < 0)
				goto bad;
		}
		switch (o) {
		case 's': seed = v; break;
		case 't': seconds = v; break;
		case 'o': max_ops = v; break;
		case 'w': nwriters = v; break;
		case 'r': nreaders = v; break;
		case 'p': pages = v; break;
		case 'c': check_every = v; break;
		case 'f': fork_every = v; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || nwriters < 1 || nwriters > 64 ||
	    pages < MAX_RUN * 2 || check_every < 1) {
		optarg = optind < argc ? argv[optind] : "(combination)";
		goto bad;
	}

	page_size = sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	writers = calloc(nwriters, sizeof(*writers));
	readers = calloc(nreaders ? nreaders : 1, sizeof(*readers));
	if (!writers || !readers)
		return 1;
	printf("vma-torture: seed %lu, %ld writers x %ld pages, %ld readers, %s\n",
	       seed, nwriters, pages, nreaders, max_ops ? "ops" : "seconds");
	fflush(stdout);
	start = now();
	deadline = start + seconds;
	for (i = 0; i < nwriters; i++) {
		struct writer *w = &writers[i];

		w->id = i;
		w->rng = (seed + i) * 0x9E3779B97F4A7C15ULL + 1;
		w->base = (char *)(ARENA_BASE + i * ARENA_STRIDE);
		w->pages = pages;
		w->prot = calloc(pages, 1);
		w->tag = calloc(pages, sizeof(*w->tag));
		w->maps = malloc(MAPS_BUF);
		if (!w->prot || !w->tag || !w->maps)
			return 1;
	}
	for (i = 0; i < nreaders; i++) {
		readers[i].maps = malloc(MAPS_BUF);
		if (!readers[i].maps ||
		    pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]))
			return 1;
	}
	for (i = 0; i < nwriters; i++)
		if (pthread_create(&writers[i].thread, NULL, writer_main, &writers[i]))
			return 1;
	for (i = 0; i < nwriters; i++) {
		struct writer *w = &writers[i];

		pthread_join(w->thread, NULL);
		for (j = 0; j < NR_OPS; j++)
			ops[j] += w->ops[j];
		mism += w->mismatches;
		efault += w->efault;
		grown += w->grown;
		vmas += w->vmas;
	}
	stop = 1;
	for (i = 0; i < nreaders; i++) {
		pthread_join(readers[i].thread, NULL);
		mism += readers[i].mismatches;
		reads += readers[i].reads;
		lines += readers[i].lines;
		restarts += readers[i].restarts;
		if (readers[i].max_lines > max_lines)
			max_lines = readers[i].max_lines;
	}
	elapsed = now() - start;

	for (j = 0, i = 0; j < NR_OPS; j++)
		if (j != OP_CHECK)
			i += ops[j];
	printf("vma-torture: operations:");
	for (j = 0; j < NR_OPS; j++)
		printf(" %s %lu%s", op_name[j], ops[j], j + 1 < NR_OPS ? "," : "\n");
	printf("vma-torture: mremap -EFAULT at a VMA edge %lu, grown in place %lu;"
	       " arena VMAs at the end %ld\n", efault, grown, vmas);
	printf("vma-torture: maps reads %lu (%lu lines, up to %ld VMAs,"
	       " %lu overlaps across read() calls)\n",
	       reads, lines, max_lines, restarts);
	printf("vma-torture: seed %lu: %ld operations in %.1fs, %lu mismatches\n",
	       seed, i, elapsed, mism);
	if (!i) {
		/* the arenas' set-up took all the time: nothing was tested */
		printf("vma-torture: no operation ran in %.1fs: give it more"
		       " --seconds on a guest this slow\n", elapsed);
		return 1;
	}
	return mism ? 1 : 0;
bad:
	fprintf(stderr, "vma-torture: bad argument '%s'\n", optarg);
	usage(stderr);
	return 2;
}
