// SPDX-License-Identifier: GPL-2.0
/*
 * mtdot: a picture of a maple tree, in Graphviz's dot language.
 *
 *	mtdot [--alloc] [--rcu] [--vmas N | --seq N] [--erase K]  > tree.dot
 *	mtdot --ranges < ranges.txt > tree.dot    (lines "first last")
 *	dot -Tpng tree.dot > tree.png              (make tree-picture)
 *
 * It builds a tree with the subject's own API, then walks its nodes through
 * the layout the 6.12 header declares (struct maple_node, the node type in
 * the low bits of an encoded pointer) and draws each node as a record:
 * internal nodes show the range each child covers (and, in an allocation
 * tree, the largest gap below it); leaves show their ranges and entries.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <harness.h>
#include "../support/nodes.h"

static unsigned long next_id;

static void dot_bound(char *buf, size_t len, unsigned long v)
{
	if (v == ULONG_MAX)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%#lx", v);
}

static void dot_entry(char *buf, size_t len, void *entry)
{
	if (!entry)
		snprintf(buf, len, "-");
	else if (xa_is_zero(entry))
		snprintf(buf, len, "zero");
	else if (xa_is_value(entry))
		snprintf(buf, len, "v%lu", xa_to_value(entry));
	else
		snprintf(buf, len, "%p", entry);
}

/* Draw the subtree at @enode covering [@min, @max]; return its id. */
static unsigned long dot_subtree(void *enode, unsigned long min,
				 unsigned long max)
{
	struct maple_node *node = test_node(enode);
	enum maple_type type = test_type(enode);
	unsigned long id = next_id++, *pivots, *gaps = NULL, lo, hi;
	unsigned long child_ids[MAPLE_RANGE64_SLOTS];
	unsigned int npiv, end, i;
	void __rcu **slots;
	char a[32], b[32], e[32];
	bool leaf = type == maple_leaf_64;

	if (type == maple_arange_64) {
		npiv = MAPLE_ARANGE64_SLOTS - 1;
		pivots = node->ma64.pivot;
		slots = node->ma64.slot;
		gaps = node->ma64.gap;
	} else {
		npiv = MAPLE_RANGE64_SLOTS - 1;
		pivots = node->mr64.pivot;
		slots = node->mr64.slot;
	}
	end = test_data_end(pivots, npiv, max);

	/* Children first, so that their ids are known for the edges. */
	lo = min;
	for (i = 0; !leaf && i <= end; i++) {
		hi = i < npiv && i < end ? pivots[i] : max;
		child_ids[i] = dot_subtree(rcu_dereference(slots[i]), lo, hi);
		lo = hi + 1;
	}

	dot_bound(a, sizeof(a), min);
	dot_bound(b, sizeof(b), max);
	/* Leaves list their ranges downwards; internal nodes go across. */
	printf("  n%lu [label=\"{%s [%s, %s]|%s", id,
	       leaf ? "leaf" : type == maple_arange_64 ? "arange_64" :
	       "range_64", a, b, leaf ? "" : "{");
	lo = min;
	for (i = 0; i <= end; i++) {
		hi = i < npiv && i < end ? pivots[i] : max;
		dot_bound(a, sizeof(a), lo);
		dot_bound(b, sizeof(b), hi);
		if (leaf) {
			dot_entry(e, sizeof(e), rcu_dereference(slots[i]));
			printf("%s%s..%s  %s", i ? "|" : "", a, b, e);
		} else if (gaps) {
			dot_bound(e, sizeof(e), gaps[i]);
			printf("%s<s%u>..%s\\ngap %s", i ? "|" : "", i, b, e);
		} else {
			printf("%s<s%u>..%s", i ? "|" : "", i, b);
		}
		lo = hi + 1;
	}
	printf("%s}\"%s];\n", leaf ? "" : "}",
	       leaf ? ", style=filled, fillcolor=\"#eef5ff\"" : "");
	for (i = 0; !leaf && i <= end; i++)
		printf("  n%lu:s%u -> n%lu;\n", id, i, child_ids[i]);
	return id;
}

static void dot_tree(struct maple_tree *mt)
{
	void *root = rcu_dereference(mt->ma_root);
	char e[32];

	printf("digraph maple_tree {\n"
	       "  graph [rankdir=TB, nodesep=0.15, ranksep=0.5];\n"
	       "  node [shape=record, fontname=\"monospace\", fontsize=9];\n"
	       "  tree [shape=box, label=\"maple_tree\\nheight %u%s\"];\n",
	       mt_height(mt), (mt->ma_flags & MT_FLAGS_ALLOC_RANGE) ?
	       "\\nallocation tree" : "");
	if (!root) {
		printf("  empty [label=\"empty\"];\n  tree -> empty;\n");
	} else if (!xa_is_node(root)) {
		dot_entry(e, sizeof(e), root);
		printf("  entry [label=\"[0, 0] %s\"];\n  tree -> entry;\n", e);
	} else {
		printf("  tree -> n%lu;\n", next_id);
		dot_subtree(root, 0, ULONG_MAX);
	}
	printf("}\n");
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: mtdot [--alloc] [--rcu] [--vmas N | --seq N | --ranges] [--erase K]\n"
"Builds a maple tree and prints it as a Graphviz digraph on stdout.\n"
"  --vmas N   N page-aligned ranges with gaps, like a process's VMAs (default 60)\n"
"  --seq N    N adjacent single-index entries 0..N-1\n"
"  --ranges   read \"first last\" lines from stdin\n"
"  --erase K  then erase every K-th entry\n"
"  --alloc    an allocation tree (MT_FLAGS_ALLOC_RANGE): gaps are drawn\n"
"  --rcu      an RCU-mode tree (MT_FLAGS_USE_RCU)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "alloc", no_argument, NULL, 'a' },
		{ "rcu", no_argument, NULL, 'r' },
		{ "vmas", required_argument, NULL, 'v' },
		{ "seq", required_argument, NULL, 's' },
		{ "ranges", no_argument, NULL, 'R' },
		{ "erase", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long count = 60, erase = 0, i, first, last;
	unsigned int flags = 0;
	int opt, mode = 'v';
	struct maple_tree mt;
	char *end;

	while ((opt = getopt_long(argc, argv, "arv:s:Re:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'a':
			flags |= MT_FLAGS_ALLOC_RANGE;
			break;
		case 'r':
			flags |= MT_FLAGS_USE_RCU;
			break;
		case 'v':
		case 's':
		case 'e':
			i = strtoul(optarg, &end, 0);
			if (!*optarg || *end || (opt != 'e' && i > 100000)) {
				fprintf(stderr, "mtdot: bad number '%s'\n",
					optarg);
				return 2;
			}
			if (opt == 'e')
				erase = i;
			else
				count = i, mode = opt;
			break;
		case 'R':
			mode = 'R';
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
		usage(stderr);
		return 2;
	}

	maple_tree_init();
	mt_init_flags(&mt, flags);
	if (mode == 'R') {
		i = 0;
		while (scanf("%lu %lu", &first, &last) == 2) {
			if (mtree_store_range(&mt, first, last, xa_mk_value(i++),
					      GFP_KERNEL)) {
				fprintf(stderr, "mtdot: cannot store [%lu, %lu]\n",
					first, last);
				return 1;
			}
		}
	}
	for (i = 0; mode != 'R' && i < count; i++) {
		if (mode == 's')
			first = last = i;
		else {
			first = (i * 4 + 1) * 4096;
			last = first + (1 + i % 3) * 4096 - 1;
		}
		mtree_store_range(&mt, first, last, xa_mk_value(i), GFP_KERNEL);
	}
	for (i = 0; erase && i < count; i += erase)
		mtree_erase(&mt, mode == 's' ? i : (i * 4 + 1) * 4096);

	rcu_read_lock();
	dot_tree(&mt);
	rcu_read_unlock();
	mtree_destroy(&mt);
	rcu_barrier();
	return 0;
}
