#!/bin/sh
# kernel-tree.sh [VERSION]: fetch a Linux version's maple tree sources into
# .kernel/.
#
# VERSION is a Debian linux-source-VERSION package: 6.12 (the default, or
# $KERNEL_VERSION), 6.1 (Debian 12's kernel, before the seed's __mt_dup()),
# 7.3 (trixie-backports) or any other Debian has.  scripts/kernel-fetch.sh
# finds or fetches the package's tarball (the system's apt, or a private
# apt configuration under .kernel/apt for newer suites); this script extracts
# only the files the harness compiles or reads into a git-ignored cache,
# .kernel/linux-source-VERSION/, and prints the cache's path (usable as
# KDIR=).  Nothing of it is ever committed.
set -eu

version=${1:-${KERNEL_VERSION:-6.12}}
case $version in
*[!0-9.]* | "" | .* | *.)
	echo "kernel-tree: '$version' is not a version (try 6.12, 6.1 or 7.3)" >&2
	exit 2
	;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.kernel"
tree="$cache/linux-source-$version"
members="lib/maple_tree.c lib/test_maple_tree.c include/linux/maple_tree.h
	Documentation/core-api/maple_tree.rst"

if [ -f "$tree/lib/maple_tree.c" ] && [ -f "$tree/lib/test_maple_tree.c" ] &&
   [ -f "$tree/include/linux/maple_tree.h" ]; then
	echo "$tree"
	exit 0
fi

tarball=$("$top/scripts/kernel-fetch.sh" "$version") || exit 1

echo "kernel-tree: extracting the maple tree from $tarball" >&2
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
paths=
for m in $members; do
	paths="$paths linux-source-$version/$m"
done
# shellcheck disable=SC2086
tar -C "$tmp" -xJf "$tarball" $paths
rm -rf "$tree"
mv "$tmp/linux-source-$version" "$tree"
echo "$tree"
