// SPDX-License-Identifier: GPL-2.0
/*
 * unregistered.c: a reader thread that never calls rcu_register_thread().
 *
 * The installed library must stop it with a message rather than let it
 * read unseen by grace periods.  scripts/install-test.sh builds it against
 * the installed library and expects that message and an abnormal exit;
 * "read 7" on stdout would mean the reader ran unchecked.
 */
#include <pthread.h>
#include <stdio.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>

static DEFINE_MTREE(tree);

static void *reader(void *arg)
{
	void *entry;

	(void)arg;
	entry = mtree_load(&tree, 5);	/* takes rcu_read_lock() inside */
	printf("read %lu\n", xa_to_value(entry));
	return NULL;
}

int main(void)
{
	pthread_t thread;

	if (mtree_store_range(&tree, 0, 9, xa_mk_value(7), GFP_KERNEL))
		return 1;
	if (pthread_create(&thread, NULL, reader, NULL))
		return 1;
	pthread_join(thread, NULL);
	mtree_destroy(&tree);
	return 0;
}
