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
#
# This file is read before the Makefile's first target: keep the default
# goal where it was (the Makefile's own "all").
kernel_saved_goal := $(.DEFAULT_GOAL)

.PHONY: kernel-boot kernel-vma kernel-w1

kernel-boot:
	$(Q)$(SRC)/scripts/kernel-boot.sh

kernel-vma:
	$(Q)$(SRC)/scripts/kernel-vma.sh

kernel-w1:
	$(Q)$(SRC)/scripts/kernel-w1.sh

.DEFAULT_GOAL := $(kernel_saved_goal)
