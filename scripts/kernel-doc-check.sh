#!/bin/sh
# kernel-doc-check.sh: every kernel-doc comment of our tree, read by the
# kernel's own scripts/kernel-doc (from Debian's linux-source-6.12, cached
# in .kernel/, never committed) with -Wall: any warning or error fails, and
# so does
#  - a file that cannot be read (kernel-doc -none says so, and exits 0);
#  - a "/**" that kernel-doc passes over without a word: a comment opened
#    by "/**" with text on the same line (a one-line "/** f() - ... */"
#    block) is not kernel-doc to it, so neither its function nor its
#    mistakes are checked.  Inline member comments ("/** @field: ... */"
#    inside a struct), which kernel-doc does read, and banners ("/***")
#    are not flagged.
#
#   scripts/kernel-doc-check.sh [file...]   (default: our .c and header)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=6.12
tarball=/usr/src/linux-source-$version.tar.xz
tool=.kernel/kernel-doc-$version/scripts/kernel-doc
if [ ! -f "$tool" ]; then
	if [ -f ".kernel/full/linux-source-$version/scripts/kernel-doc" ]; then
		mkdir -p "$(dirname "$tool")"
		cp ".kernel/full/linux-source-$version/scripts/kernel-doc" "$tool"
	else
		[ -f "$tarball" ] || scripts/kernel-tree.sh >/dev/null
		echo "kernel-doc-check: extracting scripts/kernel-doc from $tarball" >&2
		mkdir -p .kernel/kernel-doc-$version
		tar -C .kernel/kernel-doc-$version --strip-components=1 -xJf \
			"$tarball" "linux-source-$version/scripts/kernel-doc"
	fi
fi
[ $# -gt 0 ] || set -- linux/lib/maple_tree.c linux/include/linux/maple_tree.h
status=0
for f in "$@"; do
	if [ ! -f "$f" ] || [ ! -r "$f" ]; then
		echo "kernel-doc-check: cannot read $f"
		status=1
	fi
done
out=$(perl "$tool" -none -Wall "$@" 2>&1) || status=1
n=$(printf '%s' "$out" | grep -c -i 'warning\|error' || true)
[ -z "$out" ] || printf '%s\n' "$out"
# "/**" followed by text: skipped by kernel-doc, whose comments start
# with a line that is "/**" alone (or are "/** @member: text */").
skipped=$(grep -n -H -E '^[[:space:]]*/[*][*]([^*].*)?[^[:space:]*/]' "$@" 2>/dev/null |
	grep -v -E ':[[:space:]]*/[*][*][[:space:]]*@[[:alnum:]_ .]+:.*[*]/[[:space:]]*$' || true)
m=0
if [ -n "$skipped" ]; then
	m=$(printf '%s\n' "$skipped" | wc -l)
	printf '%s\n' "$skipped" | sed 's/$/   <- kernel-doc skips this: "\/**" must end its line/'
fi
echo "kernel-doc: $n warnings and errors, $m comments it skips, in $*"
[ "$status" = 0 ] && [ "$n" = 0 ] && [ "$m" = 0 ]
