// SPDX-License-Identifier: GPL-2.0
/*
 * ranges.c: a program using the installed libmaple.
 *
 *	cc $(pkg-config --cflags maple) ranges.c $(pkg-config --libs maple)
 *
 * It maps a few address ranges, looks them up from a reader thread under
 * RCU while the main thread keeps writing, and finds a free gap.  It is
 * written as the kernel's tools/testing programs are: main() registers
 * itself with RCU and calls maple_tree_init() (the library did both
 * already; doing them again is harmless).  examples/noinit.c does neither.
 */
#include <pthread.h>
#include <stdio.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

static struct maple_tree map;
static int done;

static void *reader(void *arg)
{
	unsigned long found = 0;

	(void)arg;
	rcu_register_thread();
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		if (mtree_load(&map, 0x1800))
			found++;
	}
	rcu_unregister_thread();
	printf("reader: found the mapping %s\n", found ? "every time it looked" :
	       "never (the writer was quicker)");
	return NULL;
}

int main(void)
{
	unsigned long start = 0, index;
	pthread_t thread;
	void *entry;
	int i, ret;

	rcu_register_thread();
	maple_tree_init();
	mt_init_flags(&map, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	mtree_store_range(&map, 0x1000, 0x1fff, xa_mk_value(1), GFP_KERNEL);
	pthread_create(&thread, NULL, reader, NULL);
	for (i = 2; i < 1000; i++)
		mtree_store_range(&map, i * 0x10000, i * 0x10000 + 0x3fff,
				  xa_mk_value(i), GFP_KERNEL);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);

	ret = mtree_alloc_range(&map, &start, xa_mk_value(9999), 0x8000,
				0x20000, ULONG_MAX, GFP_KERNEL);
	printf("free gap of 0x8000: %s at 0x%lx\n", ret ? "none" : "found",
	       start);

	index = 0;
	i = 0;
	mt_for_each(&map, entry, index, ULONG_MAX)
		i++;
	printf("%d ranges mapped\n", i);
	mtree_destroy(&map);
	rcu_barrier();
	rcu_unregister_thread();
	return ret || i != 1000;
}
