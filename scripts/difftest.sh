#!/bin/sh
# difftest.sh: `make difftest-run`, the differential test.  Runs the same
# seeded operation sequences on the kernel's 6.12 tree and on ours (when
# linux/ builds), each against the reference model.  Ours must agree with
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

kernel_tree=$(scripts/kernel-tree.sh) || exit 1
make -s difftest O=build/diff-kernel KDIR="$kernel_tree" || exit 1
echo "== the kernel's 6.12 tree against the model (its misbehaviours):"
build/diff-kernel/difftest --seeds "$seeds" --ops "$ops" 2>/dev/null | tail -n 12

# Until our tree is the default subject it is work in progress: its
# result is shown but does not fail the run.
required=no
[ "$(make -s default-subject)" = ours ] && required=yes
if make -s difftest O=build/diff-ours KDIR=linux >build/diff-ours.log 2>&1; then
	echo "== ours against the model (required to pass: $required):"
	build/diff-ours/difftest --seeds "$seeds" --ops "$ops" >build/diff-ours.out 2>&1 ||
		{ [ $required = yes ] && status=1; }
	grep -E '^DIFF' build/diff-ours.out | head -n 5
	tail -n 12 build/diff-ours.out | grep -v '^DIFF'
else
	echo "== ours: not available (make difftest KDIR=linux failed, see build/diff-ours.log)"
fi
echo "difftest: $([ $status = 0 ] && echo ok || echo FAILED)"
exit $status
