#!/bin/sh
# kernel-vma.sh: a kernel's own tools/testing/vma (mm/vma.c on the maple
# tree, in userspace) on a kernel tree with our two maple tree files in
# place (issue 14, item 4): Linux 6.12, or KERNEL_VERSION=7.3.
#
#   scripts/kernel-vma.sh           our tree: .kernel/full/vma-ours
#   scripts/kernel-vma.sh kernel    the kernel's own, for reference
#
# The tree is a hard-link copy of Debian's full linux-source-VERSION (see
# scripts/kernel-lib.sh); for "ours", linux/lib/maple_tree.c and
# linux/include/linux/maple_tree.h are copied in (OURS_C / OURS_H name
# other files).  Then, in its tools/testing/vma: make && ./vma, which ends
# "N tests run, N passed, 0 failed.".  Exit status 0 only then; the last
# line is "N passed, M failed" as the other legs print.
set -eu

. "$(dirname "$0")/kernel-lib.sh"

which=${1:-ours}
kl_deps liburcu-dev
kl_extract
dir="$kl_cache/vma-$which$kl_sfx"
case $which in
ours) kl_ours_tree "$dir" ;;
kernel) kl_link_copy "$kl_src" "$dir" ;;
*) kl_die "usage: kernel-vma.sh [ours|kernel]" ;;
esac

mkdir -p "$kl_logs"
log="$kl_logs/vma-$which$kl_sfx.log"
cd "$dir/tools/testing/vma"
kl_say "tools/testing/vma on the $which tree: make (log: ${log#"$kl_top"/})"
# Linux 6.12.117's mm/vma.c calls vma_close(), a static inline of
# mm/internal.h that the test's vma_internal.h lacks, so ./vma does not
# link on the kernel's own tree either (the kernel's rot, not ours).  The
# definition is given on the make command line, word for word as
# mm/internal.h has it, as a macro that only mm/vma.c expands.  CFLAGS comes
# from the environment because the test's Makefile adds to it with +=; the
# inner quotes are for the shell of make's recipes.  The Makefile does not
# track CFLAGS: vma.o, the one unit that expands the macro, is always
# compiled afresh.
rm -f vma.o vma
if [ "$kl_version" = 6.12 ]; then
	vma_cflags="'-Dvma_close(vma)=do { if ((vma)->vm_ops && (vma)->vm_ops->close) { (vma)->vm_ops->close(vma); (vma)->vm_ops = &vma_dummy_vm_ops; } } while (0)'"
else
	vma_cflags=	# later kernels' test has what mm/vma.c calls
fi
CFLAGS=$vma_cflags make -j"$kl_jobs" >"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; echo "0 passed, 1 failed"; exit 1; }
grep -E 'maple_tree\.[ch]:[0-9]+:[0-9]+: (warning|error)' "$log" | sed 's/^/    /' >&2 || true
kl_say "./vma"
rc=0
./vma >>"$log" 2>&1 || rc=$?
grep -E 'FAILED|tests run' "$log" | sed 's/^/    /' >&2 || true
result=$(grep -E '^[0-9]+ tests run, [0-9]+ passed, [0-9]+ failed\.$' "$log" | tail -n 1)
kl_say "tools/testing/vma on the $which tree: ${result:-no result} (exit $rc)"
set -- $result
if [ $rc = 0 ] && [ -n "$result" ] && [ "$1" = "$4" ] && [ "$6" = 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
	exit 1
fi
