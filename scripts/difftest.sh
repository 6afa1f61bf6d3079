#!/bin/sh
# difftest.sh: `make difftest-run`, the differential test.  Runs the same
# seeded operation sequences on the kernels' trees (6.12 and 7.3) and on
# ours (when linux/ builds), each against the reference model.  Ours must agree with
# the model everywhere (the exit status says so); the kernel's
# disagreements are listed as its misbehaviours, not failures.
#
#   SEEDS=400 OPS=5000 scripts/difftest.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seeds=${SEEDS:-400}
ops=${OPS:-5000}
status=0

# Each kernel's tree (KERNELS, default "6.12 7.3"): its disagreements are
# its misbehaviours, listed, not failures.
for version in ${KERNELS:-6.12 7.3}; do
	kernel_tree=$(scripts/kernel-tree.sh "$version") || exit 1
	make -s difftest O="build/diff-kernel-$version" KDIR="$kernel_tree" || exit 1
	echo "== the kernel's $version tree against the model (its misbehaviours):"
	"build/diff-kernel-$version/mtdifftest" --seeds "$seeds" --ops "$ops" \
		2>/dev/null | tail -n 12
done
# Ours must agree with the model everywhere.
if make -s difftest O=build/diff-ours KDIR=linux >build/diff-ours.log 2>&1; then
	echo "== ours against the model:"
	build/diff-ours/mtdifftest --seeds "$seeds" --ops "$ops" >build/diff-ours.out 2>&1 ||
		status=1
	grep -E '^DIFF' build/diff-ours.out | head -n 5
	tail -n 12 build/diff-ours.out | grep -v '^DIFF'
else
	echo "== ours: does not build (see build/diff-ours.log)"
	status=1
fi
echo "difftest: $([ $status = 0 ] && echo ok || echo FAILED)"
exit $status
