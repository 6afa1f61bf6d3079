#!/bin/sh
# install-test.sh: make install into an empty prefix, then build
# examples/ranges.c with pkg-config against the shared and the static
# library and run both.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
ls -l "$prefix/lib" | sed 's/^/  /'
# shellcheck disable=SC2046
cc $(pkg-config --cflags maple) examples/ranges.c -o "$prefix/ranges" $(pkg-config --libs maple)
LD_LIBRARY_PATH="$prefix/lib" "$prefix/ranges"
readelf -d "$prefix/ranges" | grep -q 'NEEDED.*libmaple.so.0' ||
	{ echo "FAIL: not linked against libmaple.so.0"; exit 1; }
# shellcheck disable=SC2046
cc $(pkg-config --cflags maple) examples/ranges.c -o "$prefix/ranges-static" \
	"$prefix/lib/libmaple.a" -lurcu -lpthread
"$prefix/ranges-static"
echo "2 passed, 0 failed"
