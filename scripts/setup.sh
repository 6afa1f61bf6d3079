#!/bin/sh
# setup.sh: install the Debian packages the harness needs (as root, or with
# sudo).  Safe to run again: it installs only what is missing.
set -eu

packages="gcc make liburcu-dev valgrind linux-source-6.12 xz-utils
	  gcc-multilib liburcu-dev:i386 clang libclang-rt-14-dev gdb pkg-config
	  gnuplot-nox gcovr python3 graphviz
	  flex bison bc libelf-dev libssl-dev cpio qemu-system-x86 busybox-static
	  linux-source-6.1"
# 32-bit builds link liburcu for i386.
if ! dpkg --print-foreign-architectures | grep -qx i386; then
	if [ "$(id -u)" = 0 ]; then dpkg --add-architecture i386
	else sudo dpkg --add-architecture i386; fi
	force_update=1
fi
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ] || [ -n "${force_update:-}" ]; then
	if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
	export DEBIAN_FRONTEND=noninteractive
	# Mirrors are sometimes mid-sync: try a few times before giving up.
	for attempt in 1 2 3; do
		$sudo apt-get update -q || echo "apt-get update failed (attempt $attempt)"
		# shellcheck disable=SC2086
		if [ -z "$missing" ] || $sudo apt-get install -y -q $missing; then
			break
		fi
		[ "$attempt" = 3 ] && exit 1
		sleep 20
	done
fi
echo "setup: all packages present"
