#!/bin/sh
# fork/spawn.sh: fork() rate on the running kernel at the seed's VMA counts
# (make bench-spawn), in the seed's layout: a row of VMA counts, a row of
# forks per ten seconds.  No maple tree of ours is involved: this is the
# seed's own method (byte-unixbench's spawn), for the kernel that runs it.
#
#   fork/spawn.sh [path/to/spawn]
#
# Settings, from the environment:
#   SPAWN_SECONDS  forking time per count          (default 1)
#   SPAWN_COUNTS   VMA counts, comma separated     (default: the seed's)
#   SPAWN_CPU      the CPU to pin to               (default 0)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
spawn=${1:-$top/spawn}
seconds=${SPAWN_SECONDS:-1}
counts=${SPAWN_COUNTS:-21,121,221,421,821,1621,3221,6421,12821,25621,51221}
cpu=${SPAWN_CPU:-0}

[ -x "$spawn" ] || { echo "fork/spawn.sh: no $spawn (make spawn)"; exit 1; }
pin=
pinned="not pinned"
if command -v taskset >/dev/null 2>&1 && taskset -c "$cpu" true 2>/dev/null; then
	pin="taskset -c $cpu"
	pinned="pinned to CPU $cpu"
fi

rates=
had=
for n in $(echo "$counts" | tr ',' ' '); do
	[ -t 2 ] && printf '\r  %s VMAs   ' "$n" >&2
	# --at-least: a dynamically linked spawn starts above the seed's 21;
	# the "VMAs had" row below says what was measured.
	set -- $($pin "$spawn" --vmas "$n" --at-least --seconds "$seconds" --quiet 2>/dev/null)
	had="$had $1"
	rates="$rates $2"
done
[ -t 2 ] && printf '\r%30s\r' '' >&2

echo "fork() + exit + wait per ten seconds on $(uname -sr), ${seconds}s per count, $pinned"
printf '%-10s' VMAs; printf ' %8s' $(echo "$counts" | tr ',' ' '); echo
[ "$(echo $had)" = "$(echo "$counts" | tr ',' ' ')" ] ||
	{ printf '%-10s' "VMAs had"; printf ' %8s' $had; echo; }
printf '%-10s' forks; printf ' %8s' $rates; echo
