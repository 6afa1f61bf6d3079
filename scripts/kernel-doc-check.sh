#!/bin/sh
# kernel-doc-check.sh: every kernel-doc comment of our tree, read by the
# kernel's own scripts/kernel-doc (from Debian's linux-source-6.12, cached
# in .kernel/, never committed) with -Wall: any warning fails.
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
# A file that cannot be read would give kernel-doc nothing to warn about.
for f; do
	if [ ! -f "$f" ] || [ ! -r "$f" ]; then
		echo "kernel-doc-check: cannot read $f" >&2
		exit 2
	fi
done
out=$(perl "$tool" -none -Wall "$@" 2>&1) || true
n=$(printf '%s' "$out" | grep -c 'warning' || true)
[ -z "$out" ] || printf '%s\n' "$out"
# kernel-doc reads a comment only when "/**" is alone on its line; one
# with text after it (a one-line "/** f() - ... */", say) is skipped
# without a word.  Each such comment counts as a warning here.
skipped=$(grep -nE '/[*][*]+[[:space:]]*[^[:space:]*/]' "$@" || true)
if [ -n "$skipped" ]; then
	printf '%s\n' "$skipped" | sed 's/$/  <- warning: kernel-doc skips this comment/'
	n=$((n + $(printf '%s\n' "$skipped" | wc -l)))
fi
echo "kernel-doc: $n warnings in $*"
[ "$n" = 0 ]
