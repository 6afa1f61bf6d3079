// SPDX-License-Identifier: GPL-2.0
/*
 * Checks that drive the shims for real with a maple tree on top: an
 * external rwsem lock with lockdep, an allocation failure and its retry
 * (with a writer racing into the retry), and RCU registration.  (RCU
 * readers beside a writer: rcu_stress.c; the seed's check_forking:
 * mtree_dup.c.)
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <harness.h>
#include "checks.h"

/* ------------------------------------------------- locks and lockdep */

static void *lock_probe(void *arg)
{
	struct maple_tree *mt = arg;

	/* Another thread never holds the lock the caller holds. */
	return (void *)(unsigned long)lockdep_is_held(&mt->ma_lock);
}

/*
 * Is @mt's external lock held for writing?  The subject's
 * mt_write_lock_is_held() where it has one, else the lockdep
 * question that macro asks.
 */
static bool ext_write_held(struct maple_tree *mt)
{
#ifdef HAVE_MT_WRITE_LOCK_IS_HELD
	return mt_write_lock_is_held(mt);
#else
	return lock_is_held_type(mt->ma_external_lock, 0);
#endif
}

static void check_locks(struct check_ctx *ctx)
{
	struct maple_tree ext = MTREE_INIT(ext, 0);
	struct maple_tree mt = MTREE_INIT(mt, 0);
	/* Through a pointer: Linux 6.1's mt_lock_is_held(mt) is mt->... */
	struct maple_tree *e = &ext;
	struct rw_semaphore sem;
	unsigned long failures, thread;
	void *probe = NULL;
	int ret;

	/* The tree's own spinlock, as lockdep sees it. */
	CHECK(ctx, NULL, !lockdep_is_held(&mt.ma_lock),
	      "unlocked spinlock reported held");
	mtree_lock(&mt);
	CHECK(ctx, NULL, lockdep_is_held(&mt.ma_lock),
	      "spinlock held by this thread reported free");
	if (harness_thread_start(&thread, lock_probe, &mt) == 0) {
		pthread_join((pthread_t)thread, &probe);
		CHECK(ctx, NULL, probe == NULL,
		      "another thread reported as holding our lock");
	}
	mtree_unlock(&mt);

	/* An external rwsem: writes under down_write, reads under down_read. */
	init_rwsem(&sem);
	mt_init_flags(&ext, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&ext, &sem);
	CHECK(ctx, NULL, !mt_lock_is_held(e), "external lock held at start");
	down_write(&sem);
	CHECK(ctx, NULL, ext_write_held(e),
	      "external lock not held for write after down_write");
	{
		MA_STATE(mas, &ext, 10, 20);

		ret = mas_store_gfp(&mas, xa_mk_value(1), GFP_KERNEL);
		CHECK(ctx, &ext, ret == 0, "store under the rwsem: %d", ret);
	}
	up_write(&sem);
	CHECK(ctx, NULL, !ext_write_held(e),
	      "external lock still held after up_write");
	down_read(&sem);
	CHECK(ctx, NULL, mt_lock_is_held(e) && !ext_write_held(e),
	      "down_read must count as held, not for write");
	CHECK(ctx, &ext, mtree_load(&ext, 15) == xa_mk_value(1),
	      "load under down_read");
	up_read(&sem);

	/* A failed assertion is loud and counted. */
	failures = harness_lockdep_failures;
	harness_quiet = 1;
	lockdep_assert_held(&sem);
	harness_quiet = 0;
	CHECK(ctx, NULL, harness_lockdep_failures == failures + 1,
	      "lockdep_assert_held on a free rwsem did not fail");
	harness_lockdep_failures = failures;

	down_write_nested(&sem, SINGLE_DEPTH_NESTING);
	lockdep_assert_held_write(&sem);
	__mt_destroy(&ext);
	up_write(&sem);
	CHECK(ctx, NULL, harness_lockdep_failures == failures,
	      "lockdep_assert_held_write failed while held");
	mtree_destroy(&mt);
}
DEFINE_CHECK(check_locks, "spinlock and external rwsem, lockdep truthful");

/* --------------------------------------------- failure and retry */

struct race {
	struct maple_tree *mt;
	int calls;		/* callback invocations */
	int ret;		/* the racing writer's result */
};

/* Runs inside the allocation that follows a failure, with the lock dropped. */
static void __maybe_unused racing_writer(void *private)
{
	struct race *race = private;

	if (race->calls++)
		return;		/* the racing write itself may fail and retry */
	race->ret = mtree_store_range(race->mt, 5000, 5099,
				      range_entry(5000, 5099), GFP_KERNEL);
}

static void check_nomem_retry(struct check_ctx *ctx)
{
	struct maple_tree mt = MTREE_INIT(mt, 0);
	struct race race = { .mt = &mt };
	long base = nr_allocated;
	unsigned long i;
	void *entry;
	int ret;

	for (i = 0; i < 200; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 5,
				  range_entry(i * 10, i * 10 + 5), GFP_KERNEL);

	/* A store that cannot sleep fails cleanly, changing nothing. */
	mt_set_non_kernel(0);
	ret = mtree_store_range(&mt, 1003, 1004, range_entry(1003, 1004),
				GFP_NOWAIT);
	CHECK(ctx, &mt, ret == -ENOMEM, "GFP_NOWAIT store returned %d", ret);
	entry = mtree_load(&mt, 1003);
	CHECK(ctx, &mt, entry == range_entry(1000, 1005),
	      "failed store changed 1003 to %p", entry);
	entry = mtree_load(&mt, 1005);
	CHECK(ctx, &mt, entry == range_entry(1000, 1005),
	      "failed store damaged [1000, 1005]: %p", entry);
	mtree_lock(&mt);
	mt_validate(&mt);
	mtree_unlock(&mt);

	/* The same store retried by mas_nomem(), the caller's loop. */
	{
		MA_STATE(mas, &mt, 1003, 1004);

		mtree_lock(&mt);
retry:
		mas_store(&mas, range_entry(1003, 1004));
		if (mas_nomem(&mas, GFP_KERNEL))
			goto retry;
		ret = xa_err(mas.node);
		mtree_unlock(&mt);
		mas_destroy(&mas);
		CHECK(ctx, &mt, ret == 0, "mas_nomem retry ended in %d", ret);
		CHECK(ctx, &mt, mtree_load(&mt, 1004) == range_entry(1003, 1004),
		      "retried store missing");
	}

	/* A writer runs between the failure and the retry. */
#ifdef HAVE_MT_SET_CALLBACK
	mt_set_callback(racing_writer);
	mt_set_private(&race);
	ret = mtree_store_range(&mt, 700, 1500, range_entry(700, 1500),
				GFP_KERNEL);
	mt_set_callback(NULL);
	mt_set_private(NULL);
	CHECK(ctx, &mt, ret == 0, "store with a racing writer: %d", ret);
	CHECK(ctx, &mt, race.calls >= 1,
	      "the racing writer never ran (no allocation failed?)");
	CHECK(ctx, &mt, race.ret == 0, "racing writer's store: %d", race.ret);
	CHECK(ctx, &mt, mtree_load(&mt, 1000) == range_entry(700, 1500),
	      "spanning store lost after the race");
	CHECK(ctx, &mt, mtree_load(&mt, 5050) == range_entry(5000, 5099),
	      "racing writer's entry lost");
	CHECK(ctx, &mt, mtree_load(&mt, 695) == range_entry(690, 695),
	      "neighbour of the spanning store damaged");
#else
	(void)race;
	check_skip_part(ctx, "a writer racing into the retry: %s has no "
			"mt_set_callback()", SUBJECT_NAME);
#endif
	mtree_lock(&mt);
	mt_validate(&mt);
	mtree_unlock(&mt);
	mtree_destroy(&mt);
	rcu_barrier();
	CHECK(ctx, NULL, nr_allocated == base, "%ld objects leaked",
	      nr_allocated - base);
}
DEFINE_CHECK(check_nomem_retry,
	     "allocation failure leaves the tree intact; retry, racing writer");

#ifdef CONFIG_PROVE_RCU
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* A thread of its own that never registered with RCU, then reads. */
static void *unregistered_reader(void *tree)
{
	rcu_read_lock();
	mtree_load(tree, 1);
	rcu_read_unlock();
	return NULL;
}
#endif

/*
 * A program's own thread (pthread_create(), not harness_thread_start())
 * that reads without rcu_register_thread() is stopped with a message that
 * says so, in debug builds; run in a child process, which must die of
 * SIGABRT having said it.  Registering a registered thread twice (the
 * kernel's tools/testing habit, while the library registered main()
 * already) and unregistering once must leave it registered.
 */
static void check_rcu_registration(struct check_ctx *ctx)
{
#ifdef CONFIG_PROVE_RCU
	DEFINE_MTREE(tree);
	int fds[2], status = 0;
	char msg[512] = "";
	ssize_t n;
	pid_t pid;

	rcu_register_thread();		/* main() is registered already */
	rcu_read_lock();
	mtree_load(&tree, 1);
	rcu_read_unlock();
	rcu_unregister_thread();	/* still registered: the library's */
	rcu_read_lock();
	CHECK(ctx, NULL, mtree_load(&tree, 1) == NULL, "load after a "
	      "register/unregister pair");
	rcu_read_unlock();

	if (!CHECK(ctx, NULL, pipe(fds) == 0, "pipe"))
		return;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		pthread_create(&t, NULL, unregistered_reader, &tree);
		pthread_join(t, NULL);
		_exit(0);	/* not reached: the reader is stopped */
	}
	close(fds[1]);
	/* Read to the end: a child writing to a closed pipe dies of SIGPIPE. */
	for (size_t got = 0;;) {
		char sink[256];

		if (got < sizeof(msg) - 1)
			n = read(fds[0], msg + got, sizeof(msg) - 1 - got);
		else
			n = read(fds[0], sink, sizeof(sink));
		if (n <= 0)
			break;
		if (got < sizeof(msg) - 1)
			got += n;
		msg[got] = '\0';
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(ctx, NULL, WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "an unregistered reader was not stopped (status %#x)", status);
	CHECK(ctx, NULL, strstr(msg, "not registered with RCU") != NULL,
	      "an unregistered reader was not told why: '%s'", msg);
#else
	check_skip(ctx, "the reader's registration is checked in debug "
		   "(CONFIG_PROVE_RCU) builds");
#endif
}
DEFINE_CHECK(check_rcu_registration, "RCU registration: counted, and an "
	     "unregistered reader is told");
