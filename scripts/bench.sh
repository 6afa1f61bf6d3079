#!/bin/sh
# bench.sh: `make bench`.  Builds mtbench with OPT=-O2 for the kernel's
# maple tree and for ours (when linux/ builds), runs them in turns, REPS
# times each (pinned to one CPU when taskset exists), and prints the median
# ns per operation of each workload side by side with the ratio ours/kernel.
#
#   REPS=5 SIZES=1000,100000 OPS=200000 scripts/bench.sh [workload...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
reps=${REPS:-5}
sizes=${SIZES:-1000,100000}
ops=${OPS:-200000}
out=build/bench
mkdir -p "$out"
rm -f "$out"/*.csv

kernel_tree=$(scripts/kernel-tree.sh)
make -s mtbench O=build/bench-kernel KDIR="$kernel_tree" OPT=-O2
impls=kernel
if make -s mtbench O=build/bench-ours KDIR=linux OPT=-O2 >"$out/ours-build.log" 2>&1; then
	impls="kernel ours"
else
	echo "ours: not available (make mtbench KDIR=linux failed, see $out/ours-build.log)"
fi

pin=
if command -v taskset >/dev/null && taskset -c 1 true 2>/dev/null; then
	pin="taskset -c 1"
fi

r=1
while [ "$r" -le "$reps" ]; do
	for impl in $impls; do
		# shellcheck disable=SC2086
		$pin "build/bench-$impl/mtbench" --sizes "$sizes" --ops "$ops" "$@" \
			>>"$out/$impl.csv"
	done
	r=$((r + 1))
done

# Median of each workload,entries over the repetitions.
median() {
	sort -t, -k1,1 -k2,2n -k3,3g "$1" | awk -F, '
		{ key = $1 "," $2; v[key, ++n[key]] = $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
		END { for (i = 1; i <= k; i++) { key = order[i]; c = n[key];
			m = (c % 2) ? v[key, (c + 1) / 2] : (v[key, c / 2] + v[key, c / 2 + 1]) / 2;
			print key "," m } }'
}
median "$out/kernel.csv" >"$out/kernel.med"
if [ -f "$out/ours.csv" ]; then
	median "$out/ours.csv" >"$out/ours.med"
else
	: >"$out/ours.med"
fi

echo "median of $reps runs, ns per operation (bytes per entry for bytes_*)${pin:+, pinned with $pin}"
awk -F, '
	NR == FNR { ours[$1 "," $2] = $3; next }
	BEGIN { printf "%-16s %8s %12s %12s %8s\n", "workload", "entries", "kernel", "ours", "ours/k" }
	{ key = $1 "," $2; o = (key in ours) ? ours[key] : "";
	  if (o == "") printf "%-16s %8s %12.2f %12s %8s\n", $1, $2, $3, "-", "-";
	  else printf "%-16s %8s %12.2f %12.2f %8.2f\n", $1, $2, $3, o, o / $3 }
' "$out/ours.med" "$out/kernel.med" | tee "$out/table.txt"
