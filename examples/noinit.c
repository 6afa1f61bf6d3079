// SPDX-License-Identifier: GPL-2.0
/*
 * noinit.c: a program that leaves the starting to the library.
 *
 *	cc $(pkg-config --cflags maple) noinit.c $(pkg-config --libs maple)
 *
 * It never calls maple_tree_init() and never registers a thread with RCU:
 * the library did both before main() (the main thread only; a thread the
 * program starts itself registers itself, see ranges.c).  It stores,
 * reads under rcu_read_lock(), iterates and erases.
 */
#include <stdio.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

int main(void)
{
	DEFINE_MTREE(tree);
	unsigned long index = 0, n = 0, i;
	void *entry;
	int bad = 0;

	for (i = 0; i < 500; i++)
		if (mtree_store_range(&tree, i * 10, i * 10 + 4,
				      xa_mk_value(i), GFP_KERNEL))
			bad++;
	rcu_read_lock();
	for (i = 0; i < 500; i++)
		if (mtree_load(&tree, i * 10 + 2) != xa_mk_value(i) ||
		    mtree_load(&tree, i * 10 + 7))
			bad++;
	rcu_read_unlock();
	mt_for_each(&tree, entry, index, ULONG_MAX)
		n++;
	if (n != 500)
		bad++;
	mtree_erase(&tree, 42);
	if (mtree_load(&tree, 42))
		bad++;
	mtree_destroy(&tree);
	printf("noinit: %lu ranges stored and found, %d wrong\n", n, bad);
	return bad != 0;
}
