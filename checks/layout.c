// SPDX-License-Identifier: GPL-2.0
/*
 * The unit and the library agree on the node layout.  The link already
 * refuses a unit compiled for the other word size (see <linux/layout.h>);
 * this compares what the headers compute with what the library computed.
 */
#include <linux/maple_tree.h>
#include "checks.h"

static void check_layout(struct check_ctx *ctx)
{
	CHECK(ctx, NULL, harness_long_bits == BITS_PER_LONG,
	      "library built for %u-bit longs, this unit for %d",
	      harness_long_bits, BITS_PER_LONG);
	CHECK(ctx, NULL, harness_maple_node_slots == MAPLE_NODE_SLOTS,
	      "library has %u slots per node, this unit %d",
	      harness_maple_node_slots, (int)MAPLE_NODE_SLOTS);
	CHECK(ctx, NULL, sizeof(struct maple_node) == 256,
	      "struct maple_node is %zu bytes", sizeof(struct maple_node));
}
DEFINE_CHECK(check_layout, "units and library agree on the node layout");
