# SPDX-License-Identifier: GPL-2.0
#
# kernel/component.mk: our maple tree inside a real Linux 6.12 kernel
# (issue 14), included by the Makefile.
#
#   make kernel-boot    scripts/kernel-boot.sh: build the kernel's tree and
#                       ours, boot each under QEMU, the guest's verdict, the
#                       fork table (build/kernel-fork.{txt,csv,png})
#   make kernel-vma     scripts/kernel-vma.sh: tools/testing/vma on our tree
#   make kernel-w1      scripts/kernel-w1.sh: lib/maple_tree.o with W=1,
#                       warnings and the largest stack frames
#   make kernel-debug   kernel-boot.sh with CONFIG=debug (KASAN, lockdep,
#                       PROVE_RCU, SLUB debugging; kernel/debug.fragment):
#                       the test boots of the kernel's tree and ours, with
#                       stress-ng; 0 splats or the boot fails (issue 25)
#   make kernel-kcsan   the same with kernel/kcsan.fragment (KCSAN)
#   make kernel-matrix  scripts/kernel-matrix.sh: 6.12 old/new/ours and 7.3
#                       new/ours built and booted, one table (issue 24)
#
# This file is read before the Makefile's first target: keep the default
# goal where it was (the Makefile's own "all").
kernel_saved_goal := $(.DEFAULT_GOAL)

.PHONY: kernel-boot kernel-vma kernel-w1 kernel-debug kernel-kcsan kernel-matrix

kernel-boot:
	$(Q)$(SRC)/scripts/kernel-boot.sh

kernel-vma:
	$(Q)$(SRC)/scripts/kernel-vma.sh

kernel-w1:
	$(Q)$(SRC)/scripts/kernel-w1.sh

kernel-debug:
	$(Q)CONFIG=debug FORK_VMAS=$${FORK_VMAS:-none} \
		MODULE_TREES=$${MODULE_TREES:-ours} $(SRC)/scripts/kernel-boot.sh

kernel-kcsan:
	$(Q)CONFIG=kcsan FORK_VMAS=$${FORK_VMAS:-none} $(SRC)/scripts/kernel-boot.sh

kernel-matrix:
	$(Q)$(SRC)/scripts/kernel-matrix.sh

.DEFAULT_GOAL := $(kernel_saved_goal)
