// SPDX-License-Identifier: GPL-2.0
/*
 * An outside program using the harness library, built the way the README
 * tells users to:
 *
 *	make lib && cc $(make -s cflags) prog.c $(make -s libs)
 *
 * It checks that it sees the node layout the library was built with, then
 * uses the tree through the public API and verifies that nothing leaks.
 * It never calls maple_tree_init(): the library starts itself.
 */
#include <stdio.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>

static int failures;

#define EXPECT(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failures++;						\
	}								\
} while (0)

int main(void)
{
	DEFINE_MTREE(tree);
	unsigned long index, count = 0;
	void *entry;
	int i;

	EXPECT(harness_maple_node_slots == MAPLE_NODE_SLOTS,
	       "library %u slots, program %d", harness_maple_node_slots,
	       (int)MAPLE_NODE_SLOTS);
	EXPECT(harness_long_bits == sizeof(long) * 8,
	       "library %u-bit, program %zu-bit", harness_long_bits,
	       sizeof(long) * 8);

	for (i = 0; i < 1000; i++)
		EXPECT(mtree_store_range(&tree, i * 100, i * 100 + 49,
					 xa_mk_value(i), GFP_KERNEL) == 0,
		       "store %d", i);
	EXPECT(mtree_load(&tree, 12345) == xa_mk_value(123), "load 12345");
	EXPECT(mtree_load(&tree, 12355) == NULL, "load in a gap");
	EXPECT(mtree_insert(&tree, 120, xa_mk_value(0), GFP_KERNEL) == -EEXIST,
	       "insert over an entry");

	index = 0;
	mt_for_each(&tree, entry, index, ULONG_MAX)
		count++;
	EXPECT(count == 1000, "iterated %lu entries", count);

	mtree_destroy(&tree);
	rcu_barrier();
	EXPECT(nr_allocated == 0, "%ld objects leaked", nr_allocated);

	printf("outside program: %d-bit, %d slots per node, %s\n",
	       (int)sizeof(long) * 8, (int)MAPLE_NODE_SLOTS,
	       failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
