#!/bin/sh
# kernel-tree.sh [VERSION]: fetch a Linux version's maple tree sources into
# .kernel/.
#
# VERSION is a Debian linux-source-VERSION package: 6.12 (the default, or
# $KERNEL_VERSION), or 6.1 (Debian 12's kernel, before the seed's
# __mt_dup()).  Installs the package when its tarball is missing, extracts
# only the files the harness compiles or reads into a git-ignored cache,
# .kernel/linux-source-VERSION/, and prints the cache's path (usable as
# KDIR=).  Nothing of it is ever committed.
set -eu

version=${1:-${KERNEL_VERSION:-6.12}}
case $version in
*[!0-9.]* | "" | .* | *.)
	echo "kernel-tree: '$version' is not a version (try 6.12 or 6.1)" >&2
	exit 2
	;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.kernel"
tree="$cache/linux-source-$version"
tarball="/usr/src/linux-source-$version.tar.xz"
members="lib/maple_tree.c lib/test_maple_tree.c include/linux/maple_tree.h
	Documentation/core-api/maple_tree.rst"

if [ -f "$tree/lib/maple_tree.c" ] && [ -f "$tree/lib/test_maple_tree.c" ] &&
   [ -f "$tree/include/linux/maple_tree.h" ]; then
	echo "$tree"
	exit 0
fi

if [ ! -f "$tarball" ]; then
	echo "kernel-tree: installing linux-source-$version" >&2
	if [ "$(id -u)" = 0 ]; then
		sudo=
	elif command -v sudo >/dev/null; then
		sudo=sudo
	else
		echo "kernel-tree: $tarball is missing and this user cannot" \
		     "install linux-source-$version; install it as root" >&2
		exit 1
	fi
	$sudo apt-get install -y -q "linux-source-$version" >&2 ||
		{ $sudo apt-get update -q >&2 &&
		  $sudo apt-get install -y -q "linux-source-$version" >&2; } || {
		echo "kernel-tree: cannot install linux-source-$version" \
		     "(does this Debian release have it?)" >&2
		exit 1
	}
fi

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
