#!/bin/sh
# run.sh [make arguments...]: build and run an outside program against the
# harness library of one build mode, as the README shows (neither program
# calls maple_tree_init(): the library starts itself); then prove that a
# unit which misses the generated configuration, or disagrees with it on
# the word size, cannot be built against the library.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$top"
make -s lib "$@"
cflags=$(make -s cflags "$@")
libs=$(make -s libs "$@")

# shellcheck disable=SC2086
cc $cflags "$here/prog.c" -o "$out/prog" $libs
"$out/prog"
# The installed library's example, which calls no maple_tree_init() and
# registers no thread, runs against this library too: it starts itself.
# shellcheck disable=SC2086
cc $cflags "$top/examples/noinit.c" -o "$out/noinit" $libs
"$out/noinit"

# Without the generated configuration the headers refuse to compile.
# shellcheck disable=SC2086
noconf=$(echo $cflags | sed 's/-include [^ ]*autoconf.h//')
# shellcheck disable=SC2086
if cc $noconf -c "$here/prog.c" -o "$out/noconf.o" 2>"$out/noconf.err"; then
	echo "FAIL: a unit without generated/autoconf.h compiled"
	exit 1
fi
grep -q 'autoconf.h was not included' "$out/noconf.err" ||
	{ echo "FAIL: unexpected error:"; cat "$out/noconf.err"; exit 1; }
echo "a unit without the configuration: refused at compile time"

# A unit that claims the other word size fails to link against the library.
other=CONFIG_32BIT
grep -q CONFIG_32BIT "$(make -s cflags "$@" | sed 's/.*-include \([^ ]*autoconf.h\).*/\1/' | xargs dirname)/bit-length.h" && other=CONFIG_64BIT
printf '#define %s 1\n#define CONFIG_DEBUG_MAPLE_TREE 1\n#define CONFIG_LOCKDEP 1\n' "$other" > "$out/other.h"
# shellcheck disable=SC2086
wrong=$(echo $cflags | sed "s|-include [^ ]*autoconf.h|-include $out/other.h|")
# shellcheck disable=SC2086
if cc $wrong "$here/prog.c" -o "$out/wrong" $libs 2>"$out/wrong.err"; then
	echo "FAIL: a unit with $other linked against the library"
	exit 1
fi
grep -q 'harness_layout_is_' "$out/wrong.err" ||
	{ echo "FAIL: unexpected error:"; cat "$out/wrong.err"; exit 1; }
echo "a unit with $other: refused at link time"
echo "4 passed, 0 failed"
