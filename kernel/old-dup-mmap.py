#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""old-dup-mmap.py: Linux 6.12's kernel/fork.c with the duplication of the
address space as it was before the seed's series (issue 24).

    kernel/old-dup-mmap.py IN OUT

Since the series, dup_mmap() copies the parent's VMA tree with __mt_dup()
(node by node, every child of a node allocated at once) and then replaces
each entry in place.  Before it, dup_mmap() walked the parent's VMAs and
stored every copy into the child's empty tree, one mas_store() each, with
the tree's nodes preallocated for that many entries (bulk mode,
mas_expected_entries()).  This script turns the first into the second, so
that a booted kernel measures the seed's old-against-new claim with every
other line of 6.12 unchanged.  It writes OUT only; IN (the pristine tree's
file) is never touched.

Every edit finds its anchor exactly once inside dup_mmap(), or the script
fails and says which: a kernel whose dup_mmap() reads differently gets an
error, not a half-edited fork.c.  The kernel's own lines are matched, not
copied: what this file adds is ours.
"""

import sys


def die(msg):
    sys.exit("old-dup-mmap: " + msg)


def main():
    if len(sys.argv) != 3:
        die("usage: old-dup-mmap.py IN OUT")
    src, dst = sys.argv[1], sys.argv[2]
    lines = open(src).read().split("\n")

    # the body of dup_mmap(): its signature line to the first column-0 '}'
    starts = [i for i, l in enumerate(lines)
              if l.startswith("static __latent_entropy int dup_mmap(")]
    if len(starts) != 1:
        die("%s: %d definitions of dup_mmap(), expected 1" % (src, len(starts)))
    first = starts[0]
    last = next((i for i in range(first, len(lines)) if lines[i] == "}"), None)
    if last is None:
        die("%s: dup_mmap() has no end" % src)

    def find(text, what):
        hits = [i for i in range(first, last)
                if lines[i].strip() == text]
        if len(hits) != 1:
            die("%s: %s: '%s' found %d times in dup_mmap(), expected once"
                % (src, what, text, len(hits)))
        return hits[0]

    edits = []  # (index, number of lines replaced, new lines)

    # 1. a second iterator, over the parent's tree
    i = find("VMA_ITERATOR(vmi, mm, 0);", "iterators")
    edits.append((i + 1, 0, ["\tVMA_ITERATOR(old_vmi, oldmm, 0);"]))

    # 2. no __mt_dup(): the child's tree stays empty, with its nodes
    #    preallocated for the parent's number of VMAs
    c = find("/* Use __mt_dup() to efficiently build an identical maple tree. */",
             "the copy")
    d = find("retval = __mt_dup(&oldmm->mm_mt, &mm->mm_mt, GFP_KERNEL);",
             "the copy")
    if d != c + 1:
        die("%s: the __mt_dup() call does not follow its comment" % src)
    edits.append((c, 2, [
        "\t/*",
        "\t * maple, kernel/old-dup-mmap.py: before __mt_dup(), the child's",
        "\t * tree was built by storing each VMA in address order, its",
        "\t * nodes reserved up front for map_count entries.",
        "\t */",
        "\tpr_info_once(\"dup_mmap: pre-__mt_dup() duplication, one store per VMA\\n\");",
        "\tretval = mas_expected_entries(&vmi.mas, oldmm->map_count);",
    ]))

    # 3. walk the parent's VMAs, not the child's copies
    i = find("for_each_vma(vmi, mpnt) {", "the loop")
    edits.append((i, 1, ["\tfor_each_vma(old_vmi, mpnt) {"]))

    # 4. a VM_DONTCOPY VMA was never stored: nothing to clear
    i = find("retval = vma_iter_clear_gfp(&vmi, mpnt->vm_start,", "DONTCOPY")
    want = ["mpnt->vm_end, GFP_KERNEL);", "if (retval)", "goto loop_out;"]
    if [l.strip() for l in lines[i + 1:i + 4]] != want:
        die("%s: the VM_DONTCOPY branch reads differently" % src)
    edits.append((i, 4, ["\t\t\t/* not stored in the child's tree: skip it */"]))

    # 5. the store that links each copy in; with the nodes reserved it
    #    cannot fail, but the pre-series code checked, and so do we
    i = find("vma_iter_bulk_store(&vmi, tmp);", "the store")
    c = find("* Link the vma into the MT. After using __mt_dup(), memory",
             "the store's comment")
    if i != c + 3:
        die("%s: the store's comment reads differently" % src)
    edits.append((c - 1, 5, [
        "\t\t/* maple: the copy goes in at its place, after its elders */",
        "\t\tif (vma_iter_bulk_store(&vmi, tmp))",
        "\t\t\tgoto fail_nomem_vmi_store;",
    ]))

    # 6. after a failed page copy, the child's tree ends at tmp: no
    #    entry beyond it to mark for exit_mmap()
    i = find("mpnt = vma_next(&vmi);", "the failed copy")
    edits.append((i, 1, ["\t\t\tmpnt = NULL;"]))

    # 7. the failed store's unwinding, before the kernel's own labels
    i = find("fail_nomem_anon_vma_fork:", "the error labels")
    edits.append((i, 0, ["fail_nomem_vmi_store:", "\tunlink_anon_vmas(tmp);"]))

    for i, n, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[i:i + n] = new
    with open(dst, "w") as out:
        out.write("\n".join(lines))


if __name__ == "__main__":
    main()
