// SPDX-License-Identifier: GPL-2.0
/*
 * The node layout, asserted when the checks are compiled.  A unit built
 * for the other word size than the library cannot even be linked
 * (<linux/layout.h> names a symbol per word size; tests/outoftree proves
 * it), so what is left to assert is what the headers compute.
 */
#include <linux/maple_tree.h>
#include "checks.h"

static_assert(sizeof(struct maple_node) == 256,
	      "a node is 256 bytes, aligned to its size");
static_assert(MAPLE_NODE_SLOTS == (BITS_PER_LONG == 64 ? 31 : 63),
	      "the slots of a node follow the word size");
static_assert(MAPLE_RANGE64_SLOTS == (BITS_PER_LONG == 64 ? 16 : 32),
	      "a range node has 16 slots on 64-bit, 32 on 32-bit");
