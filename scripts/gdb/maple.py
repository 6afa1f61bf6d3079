# SPDX-License-Identifier: GPL-2.0
"""gdb helpers for maple trees (ours or a kernel tree's).

    (gdb) source scripts/gdb/maple.py
    (gdb) p *mt                 # struct maple_tree, pretty-printed
    (gdb) p mas                 # struct ma_state, pretty-printed
    (gdb) mt-dump mt            # the tree, through the program's mt_dump()
    (gdb) mt-dump -d mt         # decimal instead of hex

The pretty-printers read only the fields the 6.12 API makes public, so
they work on every subject; mt-dump calls the program's own mt_dump(), so
it needs a live process (not a core file).
"""
import gdb

MT_FLAGS_ALLOC_RANGE = 0x01
MT_FLAGS_USE_RCU = 0x02
MT_FLAGS_HEIGHT_OFFSET = 0x02
MT_FLAGS_HEIGHT_MASK = 0x7C
MT_FLAGS_LOCK_MASK = 0x300
MT_FLAGS_LOCK_EXTERN = 0x300
MT_FLAGS_ALLOC_WRAPPED = 0x0800


def _flag_words(flags):
    words = []
    if flags & MT_FLAGS_ALLOC_RANGE:
        words.append("alloc")
    if flags & MT_FLAGS_USE_RCU:
        words.append("rcu")
    if flags & MT_FLAGS_LOCK_MASK == MT_FLAGS_LOCK_EXTERN:
        words.append("extern-lock")
    if flags & MT_FLAGS_ALLOC_WRAPPED:
        words.append("wrapped")
    return words


def _entry(value):
    """Describe an entry the way the xarray encoding reads it."""
    raw = int(value.cast(gdb.lookup_type("unsigned long")))
    if raw == 0:
        return "NULL"
    if raw & 1:
        return "value %d" % (raw >> 1)
    if raw & 3 == 2:
        if raw >> 2 == 257:
            return "XA_ZERO_ENTRY"
        if raw > 4096:
            return "node 0x%x" % raw
        return "internal %d" % (raw >> 2)
    return "0x%x" % raw


class MapleTreePrinter:
    """struct maple_tree: flags, height and what the root holds."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        flags = int(self.val["ma_flags"])
        height = (flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET
        words = _flag_words(flags)
        root = self.val["ma_root"]
        return "maple_tree{height %d, flags 0x%x%s, root %s}" % (
            height, flags, (" [" + " ".join(words) + "]") if words else "",
            "empty" if int(root.cast(gdb.lookup_type("unsigned long"))) == 0
            else _entry(root))


class MaStatePrinter:
    """struct ma_state: the range, the status and where the walk stands."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        status = str(v["status"])
        node = int(v["node"].cast(gdb.lookup_type("unsigned long")))
        return ("ma_state{[%d, %d] %s, node 0x%x offset %d, "
                "node range [%d, %d], depth %d}" % (
                    int(v["index"]), int(v["last"]), status,
                    node, int(v["offset"]),
                    int(v["min"]), int(v["max"]), int(v["depth"])))


def _lookup(val):
    t = val.type.strip_typedefs()
    if t.code != gdb.TYPE_CODE_STRUCT:
        return None
    if t.tag == "maple_tree":
        return MapleTreePrinter(val)
    if t.tag == "ma_state":
        return MaStatePrinter(val)
    return None


class MtDump(gdb.Command):
    """mt-dump [-d] TREE: dump a maple tree with the program's mt_dump().

TREE is an expression giving a struct maple_tree or a pointer to one.
-d prints indices in decimal (mt_dump_dec), the default is hex."""

    def __init__(self):
        super().__init__("mt-dump", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        fmt = "mt_dump_hex"
        if args and args[0] == "-d":
            fmt = "mt_dump_dec"
            args = args[1:]
        if len(args) != 1:
            raise gdb.GdbError("usage: mt-dump [-d] TREE")
        tree = gdb.parse_and_eval(args[0])
        if tree.type.strip_typedefs().code != gdb.TYPE_CODE_PTR:
            tree = tree.address
        if tree is None:
            raise gdb.GdbError("mt-dump: %s has no address" % args[0])
        gdb.execute("call (void)fflush(0)", to_string=True)
        gdb.execute("call (void)mt_dump((struct maple_tree *)%d, %s)" %
                    (int(tree), fmt))
        gdb.execute("call (void)fflush(0)", to_string=True)


gdb.pretty_printers.append(_lookup)
MtDump()
