#!/bin/sh
# install-test.sh: make install into an empty prefix, then build the
# examples with pkg-config against the shared and the static library and
# run them: ranges.c registers its threads and calls maple_tree_init() as
# the kernel's tools/testing programs do; noinit.c does neither and leaves
# the starting to the library.  Last, tests/install/unregistered.c: a reader
# thread that never registered with RCU must be stopped with a message.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
ls -l "$prefix/lib" | sed 's/^/  /'
passed=0
for prog in ranges noinit; do
	# shellcheck disable=SC2046
	cc $(pkg-config --cflags maple) "examples/$prog.c" -o "$prefix/$prog" \
		$(pkg-config --libs maple)
	LD_LIBRARY_PATH="$prefix/lib" "$prefix/$prog"
	readelf -d "$prefix/$prog" | grep -q 'NEEDED.*libmaple.so.0' ||
		{ echo "FAIL: $prog is not linked against libmaple.so.0"; exit 1; }
	# shellcheck disable=SC2046
	cc $(pkg-config --cflags maple) "examples/$prog.c" \
		-o "$prefix/$prog-static" "$prefix/lib/libmaple.a" -lurcu -lpthread
	"$prefix/$prog-static"
	passed=$((passed + 2))
done

# A reader thread that never registered with RCU is stopped with a
# message, by the shared and by the static library.
for link in shared static; do
	if [ $link = shared ]; then
		# shellcheck disable=SC2046
		cc $(pkg-config --cflags maple) tests/install/unregistered.c \
			-o "$prefix/unregistered" $(pkg-config --libs maple)
	else
		# shellcheck disable=SC2046
		cc $(pkg-config --cflags maple) tests/install/unregistered.c \
			-o "$prefix/unregistered" "$prefix/lib/libmaple.a" \
			-lurcu -lpthread
	fi
	if LD_LIBRARY_PATH="$prefix/lib" "$prefix/unregistered" \
		>"$prefix/out" 2>"$prefix/err"; then
		echo "FAIL: an unregistered reader ran ($link): $(cat "$prefix/out")"
		exit 1
	fi
	grep -q 'not registered with RCU' "$prefix/err" ||
		{ echo "FAIL: unregistered reader ($link):"; cat "$prefix/err"; exit 1; }
	echo "unregistered reader ($link library): $(head -1 "$prefix/err")"
	passed=$((passed + 1))
done
echo "$passed passed, 0 failed"
