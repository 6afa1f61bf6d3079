// SPDX-License-Identifier: GPL-2.0
/*
 * rcu.c: call_rcu() and rcu_barrier() on liburcu, the threads a test
 * starts (registered with RCU for their lifetime), and the registration
 * of the main thread before main().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <harness.h>
#include "internal.h"

__thread char harness_thread_token;	/* linux/lockdep.h: who holds a lock */
__thread int harness_preempt_count;	/* linux/preempt.h */

struct lockdep_map rcu_callback_map = {
	.name = "rcu_callback",
	.kind = LOCKDEP_RCU_CALLBACK,
};
/*
 * The callback queue.  call_rcu() appends under rcu_queue.lock; the worker
 * takes the whole list, waits for a grace period outside the lock, runs the
 * batch, and advances rcu_queue.done so rcu_barrier() can tell when the
 * callbacks queued before it have all run.  The list is linked through the
 * queue node liburcu puts in struct rcu_head.
 *
 * What a call costs the caller, as in the kernel (whose call_rcu() and
 * kfree_rcu() add to a per-CPU list and wake nobody): an uncontended lock
 * and two stores.  The worker is woken only when RCU_BATCH callbacks have
 * gathered or an rcu_barrier() waits; otherwise it looks on its own every
 * RCU_TICK_MS, as the kernel's grace periods come.  Waking it on every
 * call made a writer that frees a node per store (7.x frees every node
 * through kfree_rcu()) pay a wake-up and, pinned to one CPU, a context
 * switch each time.
 */
#define RCU_BATCH	1024
#define RCU_TICK_MS	10
static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* signalled when callbacks arrive */
	pthread_cond_t progress;	/* broadcast when a batch has run */
	struct cds_wfcq_node *head;	/* oldest queued callback's node */
	struct cds_wfcq_node **tail;	/* where the next one is linked */
	unsigned long queued;		/* callbacks queued since start */
	unsigned long done;		/* callbacks run since start */
	unsigned long waiting;		/* queued, not yet taken by the worker */
	unsigned int barriers;		/* rcu_barrier() callers waiting */
	bool started;			/* the worker exists */
} rcu_queue = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.progress = PTHREAD_COND_INITIALIZER,
	.tail = &rcu_queue.head,
};

static __thread bool in_rcu_callback;

bool harness_in_rcu_callback(void)
{
	return in_rcu_callback;
}

#ifdef HARNESS_TSAN
char harness_tsan_grace;	/* see linux/rcupdate.h */
#endif

/* kfree_rcu()'s mark: an offset in the object, not a function. */
static bool rcu_func_is_offset(void (*func)(struct rcu_head *))
{
	return (uintptr_t)func < 4096;
}

void harness_kfree_rcu(struct rcu_head *head, unsigned long offset)
{
	BUG_ON(offset >= 4096);
	harness_call_rcu(head, (void (*)(struct rcu_head *))offset);
}

static void *rcu_worker(void *unused)
{
	struct cds_wfcq_node *batch, *next;
	struct rcu_head *head;
	unsigned long nr;

	(void)unused;
	in_rcu_callback = true;
	pthread_mutex_lock(&rcu_queue.lock);
	for (;;) {
		while (!rcu_queue.head)
			pthread_cond_wait(&rcu_queue.work, &rcu_queue.lock);
		/* a batch gathers for a tick, unless it is full or awaited */
		if (rcu_queue.waiting < RCU_BATCH && !rcu_queue.barriers) {
			struct timespec tick;

			clock_gettime(CLOCK_REALTIME, &tick);
			tick.tv_nsec += RCU_TICK_MS * 1000000L;
			if (tick.tv_nsec >= 1000000000L) {
				tick.tv_sec++;
				tick.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&rcu_queue.work, &rcu_queue.lock,
					       &tick);
		}
		batch = rcu_queue.head;
		rcu_queue.head = NULL;
		rcu_queue.tail = &rcu_queue.head;
		rcu_queue.waiting = 0;
		pthread_mutex_unlock(&rcu_queue.lock);

		/* Readers that could see these objects are gone after this. */
		synchronize_rcu();
#ifdef HARNESS_TSAN
		__tsan_acquire(&harness_tsan_grace);
#endif
		for (nr = 0; batch; batch = next, nr++) {
			next = batch->next;
			head = container_of(batch, struct rcu_head, next);
			if (rcu_func_is_offset(head->func))
				kfree((char *)head - (uintptr_t)head->func);
			else
				head->func(head);
		}

		pthread_mutex_lock(&rcu_queue.lock);
		rcu_queue.done += nr;
		pthread_cond_broadcast(&rcu_queue.progress);
	}
	return NULL;
}

void harness_call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *))
{
	pthread_t tid;

	head->func = func;
	head->next.next = NULL;
	pthread_mutex_lock(&rcu_queue.lock);
	if (!rcu_queue.started) {
		/* The worker never reads under RCU, so it is not registered. */
		if (pthread_create(&tid, NULL, rcu_worker, NULL))
			BUG();
		pthread_detach(tid);
		rcu_queue.started = true;
	}
	*rcu_queue.tail = &head->next;
	rcu_queue.tail = &head->next.next;
	rcu_queue.queued++;
	/* wake the worker for an empty queue's first call, or a full batch */
	if (++rcu_queue.waiting == 1 || rcu_queue.waiting == RCU_BATCH)
		pthread_cond_signal(&rcu_queue.work);
	pthread_mutex_unlock(&rcu_queue.lock);
}

/*
 * A fork() (the checks run crashing scenarios in a child) first lets every
 * queued callback run: the child has no worker thread, and a batch the
 * worker held in its hands would be lost to the child (valgrind calls the
 * objects in it lost).
 */
static void rcu_before_fork(void)
{
	if (__atomic_load_n(&rcu_queue.started, __ATOMIC_RELAXED))
		harness_rcu_barrier();
}

__attribute__((constructor)) static void rcu_fork_hook(void)
{
	pthread_atfork(rcu_before_fork, NULL, NULL);
}

void harness_rcu_barrier(void)
{
	unsigned long target;

	pthread_mutex_lock(&rcu_queue.lock);
	target = rcu_queue.queued;
	rcu_queue.barriers++;
	pthread_cond_signal(&rcu_queue.work);	/* no tick to wait for */
	while (rcu_queue.done < target)
		pthread_cond_wait(&rcu_queue.progress, &rcu_queue.lock);
	rcu_queue.barriers--;
	pthread_mutex_unlock(&rcu_queue.lock);
}

struct harness_thread_arg {
	void *(*fn)(void *);
	void *arg;
};

static void *harness_thread_main(void *p)
{
	struct harness_thread_arg start = *(struct harness_thread_arg *)p;
	void *ret;

	free(p);
	rcu_register_thread();
	ret = start.fn(start.arg);
	rcu_unregister_thread();
	return ret;
}

int harness_thread_start(unsigned long *thread, void *(*fn)(void *), void *arg)
{
	struct harness_thread_arg *start = malloc(sizeof(*start));
	pthread_t tid;
	int ret;

	if (!start)
		return -ENOMEM;
	start->fn = fn;
	start->arg = arg;
	ret = pthread_create(&tid, NULL, harness_thread_main, start);
	if (ret) {
		free(start);
		return -ret;
	}
	*thread = (unsigned long)tid;
	return 0;
}

int harness_thread_join(unsigned long thread)
{
	return -pthread_join((pthread_t)thread, NULL);
}

/*
 * Registration with liburcu, counted per thread: the library registers
 * the main thread before main(), and a program written as the kernel's
 * tools/testing programs are registers it again; liburcu itself would
 * abort on the second registration.  Only the first registration and the
 * last unregistration reach liburcu.
 */
__thread unsigned int harness_rcu_registrations;

void harness_rcu_register_thread(void)
{
	if (harness_rcu_registrations++ == 0)
		urcu_memb_register_thread();
}

void harness_rcu_unregister_thread(void)
{
	if (harness_rcu_registrations && --harness_rcu_registrations == 0)
		urcu_memb_unregister_thread();
}

void harness_rcu_unregistered_reader(void)
{
	fflush(stdout);
	fprintf(stderr, "rcu_read_lock() in a thread that is not registered "
		"with RCU: call rcu_register_thread() when the thread starts "
		"(or start it with harness_thread_start())\n");
	dump_stack();
	abort();
}

/* The main thread reads under RCU too: register it before main(). */
__attribute__((constructor)) static void harness_register_main(void)
{
	rcu_register_thread();
}

__attribute__((destructor)) static void harness_unregister_main(void)
{
	rcu_unregister_thread();
}
