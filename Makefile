# SPDX-License-Identifier: GPL-2.0
#
# maple: a userspace harness for the Linux maple tree.
#
#   make maple            build ./maple (the driver, the subject, its tests)
#   make lib              build the subject and the shims as a static library
#   make -s cflags|libs   what an outside program needs to use that library
#   make check            every leg CI runs (see README.md)
#   make stress           the RCU stress campaign (many seeds, 3 builds)
#   make tsan             the RCU stress under ThreadSanitizer
#   make kernel           fetch Linux 6.12's maple tree into .kernel/
#                         (KERNEL_VERSION=6.1: Debian 12's, before __mt_dup)
#
# Modes, combinable:  SAN=1  OPT=-O2  BUILD=32  STRESS=1  BENCH=<name>  O=<dir>  V=1
# Subject:            KDIR=<kernel tree>   (default: see SUBJECT below)
#                     KTESTS=<kernel tree> (that tree's test module instead)

SRC := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= .
OUT := $(abspath $(O))
GEN := $(OUT)/generated
OBJ := $(GEN)/obj

# ------------------------------------------------------------- the subject
#
# A subject is a kernel-style tree holding lib/maple_tree.c,
# lib/test_maple_tree.c and include/linux/maple_tree.h.  They are compiled
# as they are; only their header is linked into generated/subject/ so that
# nothing else of a full kernel tree can shadow our shim headers.
#
# The default subject is our own tree in linux/; Linux 6.12's tree is
# fetched into .kernel/ on demand for KDIR=, the kernel leg and benchmarks.
KERNEL_VERSION := 6.12
KCACHE := $(SRC)/.kernel/linux-source-$(KERNEL_VERSION)

ifneq ($(KDIR),)
IMPL_DIR := $(abspath $(KDIR))
SUBJECT := $(notdir $(IMPL_DIR))
else
IMPL_DIR := $(SRC)/linux
SUBJECT := ours
endif
TESTS_DIR := $(IMPL_DIR)
ifneq ($(KTESTS),)
TESTS_DIR := $(abspath $(KTESTS))
endif

# Checks that reproduce a known kernel misbehaviour report it, rather than
# fail, when the subject is not our own tree.
ifneq ($(IMPL_DIR),$(SRC)/linux)
SUBJECT_CFLAGS := -DHARNESS_SUBJECT_KERNEL
else ifeq ($(SAN),)
# Our tree is a kernel file: no stack frame over the kernel's
# CONFIG_FRAME_WARN (1024), as an error.  Sanitizers pad frames (the
# kernel raises the limit under KASAN too), so they are left out.
IMPL_ONLY_CFLAGS := -Werror=frame-larger-than=1024
endif

# The slab API generation the subject was written for, found from its
# API, not its version: a maple tree that allocates through slab sheaves
# (struct slab_sheaf, Linux 6.18 and later) or is tested by a test module
# whose header has them is a 7.x subject, and kmem_cache_alloc_bulk()
# answers it with a bool; otherwise with a count (linux/slab.h).
# SLAB_API=6 or 7 overrides.
SLAB_API ?= $(if $(shell grep -ls 'struct slab_sheaf' $(IMPL_DIR)/lib/maple_tree.c \
	$(IMPL_DIR)/include/linux/maple_tree.h \
	$(TESTS_DIR)/include/linux/maple_tree.h 2>/dev/null),7,6)
ifeq ($(filter 6 7,$(SLAB_API)),)
$(error SLAB_API=$(SLAB_API): the slab API generation is 6 or 7)
endif

IMPL_C := $(IMPL_DIR)/lib/maple_tree.c
IMPL_H := $(IMPL_DIR)/include/linux/maple_tree.h
TESTS_C := $(TESTS_DIR)/lib/test_maple_tree.c

# ------------------------------------------------------------------ modes
CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

# Benchmarks measure the optimised build: a BENCH= build, or make with only
# benchmark programs as goals, is -O2 unless OPT= says otherwise (mtbench
# and forkbench refuse to run a debug build without --debug-build).
BENCH_GOALS := mtbench forkbench bench-spawn spawn memlat
ifeq ($(origin OPT),undefined)
ifneq ($(BENCH),)
OPT := -O2
else ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(BENCH_GOALS),$(MAKECMDGOALS)),)
OPT := -O2
endif
endif
endif
OPT ?= -Og
# DEBUG_TREE=0 builds the tree as a production kernel does: without
# CONFIG_DEBUG_MAPLE_TREE, so without the validator and without the
# tallies of MT_BUG_ON() and MAS_WARN_ON().  For benchmarks only
# (scripts/bench.sh); the checks need the validator.
DEBUG_TREE ?= 1
CONFIG_LINES := CONFIG_LOCKDEP
ifneq ($(DEBUG_TREE),0)
CONFIG_LINES += CONFIG_DEBUG_MAPLE_TREE
endif
# RCU_READER_CHECK=1 (the installed library's build): outside the debug
# build too, rcu_read_lock() in a thread never registered with RCU stops
# with a message (include/linux/rcupdate.h).  In autoconf.h, so that the
# programs using the library check their own read locks as well.
ifeq ($(RCU_READER_CHECK),1)
CONFIG_LINES += HARNESS_RCU_READER_CHECK
endif
MODE_CFLAGS :=
MODE_LDFLAGS :=

ifeq ($(OPT),-Og)
# Debug builds also check every RCU dereference against its lock rule, and
# every allocation that may sleep against the context it is made in.
CONFIG_LINES += CONFIG_PROVE_RCU CONFIG_DEBUG_ATOMIC_SLEEP
else
# Optimised builds measure the tree, not the allocator's debugging, and
# keep every freed object for reuse however large the workload.  Objects
# are packed into slabs as the kernel packs them (not under SAN=1, where
# each object is its own allocation so that ASan sees overruns).
MODE_CFLAGS += -DHARNESS_NO_POISON -DHARNESS_FREELIST_MAX=4194304 \
	       -DHARNESS_SHEAF_KERNEL_FILL
ifneq ($(SAN),1)
MODE_CFLAGS += -DHARNESS_SLABS
# SLAB_THP=0: slabs on 4 KiB pages, not offered to transparent huge pages
# (linux.c, "Slab memory"), to see what the TLB costs a walk.
ifeq ($(SLAB_THP),0)
MODE_CFLAGS += -DHARNESS_SLAB_NO_THP
endif
endif
endif

ifeq ($(SAN),1)
MODE_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=undefined -DHARNESS_NO_FREELIST \
	       -DHARNESS_NO_VALGRIND
MODE_LDFLAGS += -fsanitize=address,undefined
endif
# SAN=thread: ThreadSanitizer (scripts/tsan.sh runs it with its
# suppressions; see docs/harness.md for what it can and cannot say).
ifeq ($(SAN),thread)
MODE_CFLAGS += -fsanitize=thread -fno-omit-frame-pointer -DHARNESS_TSAN \
	       -DHARNESS_NO_FREELIST -DHARNESS_NO_VALGRIND
MODE_LDFLAGS += -fsanitize=thread
endif

ifeq ($(BUILD),32)
MODE_CFLAGS += -m32
MODE_LDFLAGS += -m32
LONG_BIT := 32
else
LONG_BIT := $(shell getconf LONG_BIT)
endif

# BENCH=<name>: one benchmark per build, as the kernel's BENCH_* defines
# (bench/onebench.c).  An unknown name stops the build here, before
# anything is compiled.  KBENCH=1 runs the subject's own test module in its
# BENCH_<NAME> mode instead of ours (Linux 6.12's bench_forking() and the
# rest); a module without that benchmark is refused too.
BENCH_NAMES := fork fork_old load walk awalk slot_store node_store \
	       mt_for_each mas_for_each mas_prev
ifneq ($(BENCH),)
ifneq ($(filter-out $(BENCH_NAMES),$(BENCH))$(word 2,$(BENCH)),)
$(error BENCH=$(BENCH): no such benchmark; one of: $(BENCH_NAMES))
endif
BENCH_DEFINE := BENCH_$(shell echo '$(BENCH)' | tr 'a-z-' 'A-Z_')
MODE_CFLAGS += -D$(BENCH_DEFINE) -DHARNESS_BENCH='"$(BENCH)"' \
	       -DHARNESS_BENCH_DEFINE='"$(BENCH_DEFINE)"'
ifeq ($(KBENCH),1)
ifeq ($(wildcard $(TESTS_C)),)
# not fetched yet: the build fetches it, and the module says what it has
else ifeq ($(shell grep -s 'defined($(BENCH_DEFINE))' '$(TESTS_C)'),)
$(error KBENCH=1 BENCH=$(BENCH): $(TESTS_C) has no $(BENCH_DEFINE) benchmark)
endif
MODE_CFLAGS += -DHARNESS_KBENCH
endif
else ifneq ($(KBENCH),)
$(error KBENCH=$(KBENCH) needs BENCH=<name>: one of: $(BENCH_NAMES))
endif

# STRESS=1: marked accesses and barriers become seeded yield points
# (harness/stress.c), for the RCU stress campaign (scripts/stress.sh).
ifeq ($(STRESS),1)
MODE_CFLAGS += -DHARNESS_STRESS
endif

# HARNESS_MUTANT=<name> breaks one allocator semantic on purpose, to show
# that the allocator self-test notices (make selftest-mutants).
ifneq ($(HARNESS_MUTANT),)
MODE_CFLAGS += -DHARNESS_MUTANT_$(HARNESS_MUTANT)
endif

WARN := -Wall
INCLUDES := -I$(GEN)/subject/include -I$(SRC)/include -I$(GEN)
CONFIG_CFLAGS := -include $(GEN)/autoconf.h -D_LGPL_SOURCE -D_GNU_SOURCE
ALL_CFLAGS := $(OPT) -g $(WARN) $(MODE_CFLAGS) $(SUBJECT_CFLAGS) \
	      $(CONFIG_CFLAGS) $(INCLUDES) $(EXTRA_CFLAGS)
ALL_LDFLAGS := $(MODE_LDFLAGS) $(EXTRA_LDFLAGS)
LDLIBS := -lurcu -lpthread

ifeq ($(V),1)
Q :=
else
Q := @
endif
# "  CC  file" lines, unless V=1 shows the commands or -s silences make.
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
SAY := @true
else ifeq ($(V),1)
SAY := @true
else
SAY := @echo
endif

# ---------------------------------------------------------------- sources
LIB := $(OUT)/libmaple-harness.a
PROG := $(OUT)/maple
CHECK_SRCS := $(wildcard $(SRC)/checks/*.c)
CHECK_OBJS := $(patsubst $(SRC)/checks/%.c,$(OBJ)/checks/%.o,$(CHECK_SRCS))
HARNESS_SRCS := $(wildcard $(SRC)/harness/*.c)
LIB_OBJS := $(OBJ)/maple_tree.o $(OBJ)/linux.o \
	    $(patsubst $(SRC)/%.c,$(OBJ)/%.o,$(HARNESS_SRCS))
PROG_OBJS := $(OBJ)/maple.o $(OBJ)/test_maple_tree.o $(CHECK_OBJS)
# Components in their own folders add objects and targets of their own.
-include $(wildcard $(SRC)/*/component.mk)
# A component's first rule must not become the default goal.
.DEFAULT_GOAL := all

SHIM_HDRS := $(shell find $(SRC)/include -name '*.h')
GEN_HDRS := $(GEN)/autoconf.h $(GEN)/bit-length.h \
	    $(GEN)/subject/include/linux/maple_tree.h $(GEN)/subject-api.h
DEPS := $(SHIM_HDRS) $(GEN_HDRS) $(GEN)/flags $(SRC)/Makefile

.PHONY: all maple lib cflags libs clean kernel ktests help \
	check selftest-mutants regress-mutants stress tsan coverage FORCE

all: maple
maple: $(PROG)
lib: $(LIB)

# ------------------------------------------------------- generated files
#
# Each file is rewritten only when its content changes, so switching modes
# rebuilds what the mode touches and nothing else.
define update_file
	$(file >$(shell mkdir -p $(dir $@))$@.tmp,$(1))
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
endef

define newline


endef

$(GEN)/bit-length.h: FORCE
	$(call update_file,/* made by make: the word size of this build */$(newline)#define CONFIG_$(LONG_BIT)BIT 1)

$(GEN)/autoconf.h: FORCE
	$(call update_file,/* made by make: the configuration of this build */$(newline)#include "bit-length.h"$(foreach c,$(CONFIG_LINES),$(newline)#define $(c) 1)$(newline)#define HARNESS_SLAB_API $(SLAB_API))

$(GEN)/flags: FORCE
	$(call update_file,$(CC) $(ALL_CFLAGS) | $(ALL_LDFLAGS) | $(IMPL_DIR) $(TESTS_DIR))

# The subject's header, reachable as <linux/maple_tree.h> and nothing else.
$(GEN)/subject/include/linux/maple_tree.h: FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)if [ "$$(readlink $@)" != "$(IMPL_H)" ]; then ln -sfn $(IMPL_H) $@; fi

# What the subject's header offers (HAVE_* macros, SUBJECT_NAME), found
# by scripts/subject-api.sh, which also refuses, naming it, a subject that
# lacks a required API or includes a header we have no shim for.
$(GEN)/subject-api.h: $(IMPL_H) $(IMPL_C) $(TESTS_C) FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SRC)/scripts/subject-api.sh '$(SUBJECT)' $(SRC)/include $(IMPL_H) \
		$(IMPL_C) $(TESTS_C) >$@.tmp || { rm -f $@.tmp; exit 1; }
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# The kernel's sources come from Debian's package, never from the repository.
# KERNEL_VERSION=6.1 makes every target here use Debian 12's tree instead.
$(KCACHE)/lib/maple_tree.c $(KCACHE)/lib/test_maple_tree.c $(KCACHE)/include/linux/maple_tree.h:
	$(Q)$(SRC)/scripts/kernel-tree.sh $(KERNEL_VERSION) >/dev/null

kernel:
	$(Q)$(SRC)/scripts/kernel-tree.sh $(KERNEL_VERSION)

# The kernel's own 6.12 test module, unmodified, against our tree.
ktests: $(KCACHE)/lib/test_maple_tree.c
	$(Q)$(MAKE) -s maple O=$(SRC)/build/ktests KDIR=$(SRC)/linux KTESTS=$(KCACHE)
	$(Q)$(SRC)/build/ktests/maple module | tail -n 3

# ------------------------------------------------------------ compilation
# The subject's files: an undeclared function is an error, and a failure
# names what the shims lack (scripts/subject-cc.sh).
SUBJECT_CC := $(SRC)/scripts/subject-cc.sh
$(OBJ)/maple_tree.o: $(IMPL_C) $(IMPL_H) $(DEPS)
	@mkdir -p $(dir $@)
	$(SAY) '  CC      $(notdir $<) [$(SUBJECT)]'
	$(Q)$(SUBJECT_CC) $(CC) $(ALL_CFLAGS) $(IMPL_ONLY_CFLAGS) -c $< -o $@

$(OBJ)/test_maple_tree.o: $(TESTS_C) $(IMPL_H) $(DEPS)
	@mkdir -p $(dir $@)
	$(SAY) '  CC      $(notdir $<) [tests]'
	$(Q)$(SUBJECT_CC) $(CC) $(ALL_CFLAGS) -c $< -o $@

$(OBJ)/%.o: $(SRC)/%.c $(DEPS) $(wildcard $(SRC)/checks/*.h $(SRC)/*/*.h)
	@mkdir -p $(dir $@)
	$(SAY) '  CC      $*.c'
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(SAY) '  AR      $(notdir $@)'
	$(Q)rm -f $@ && ar rcs $@ $^

$(PROG): $(PROG_OBJS) $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(PROG_OBJS) $(LIB) $(LDLIBS)

# ------------------------------------------------ for programs outside
#
#   cc $(make -s cflags) prog.c $(make -s libs)
#
# The cflags force-include the generated configuration into every unit, so
# an outside program sees the node layout the library was built with.
cflags: $(GEN_HDRS)
	@echo '$(OPT) -g $(MODE_CFLAGS) $(CONFIG_CFLAGS) $(INCLUDES)'

libs:
	@echo '$(ALL_LDFLAGS) $(LIB) $(LDLIBS)'


# ------------------------------------------------------------------ tests
check:
	$(Q)$(SRC)/scripts/check.sh

selftest-mutants:
	$(Q)$(SRC)/scripts/mutants.sh

regress-mutants:
	$(Q)$(SRC)/scripts/regress-mutants.sh

# The RCU stress campaign: many seeds, STRESS=1, three builds.
stress:
	$(Q)$(SRC)/scripts/stress.sh $(STRESS_ARGS)

# check_rcu_stress under ThreadSanitizer (SAN=thread).
tsan:
	$(Q)$(SRC)/scripts/tsan.sh

# ./maple under valgrind's memcheck (scripts/valgrind.sh): the whole run,
# test module included, takes about 4 minutes; QUICK=1 leaves out the two
# long checks (about a minute), VALGRIND_ARGS= runs the checks named
# (make valgrind VALGRIND_ARGS=check_forking).
.PHONY: valgrind
valgrind: $(PROG)
	$(Q)$(SRC)/scripts/valgrind.sh $(if $(VALGRIND_ARGS),$(PROG) \
		$(VALGRIND_ARGS),$(if $(QUICK),--quick) $(PROG))

# Line and branch coverage of the subject's maple_tree.c (scripts/coverage.sh).
coverage:
	$(Q)$(SRC)/scripts/coverage.sh

clean:
	rm -rf $(GEN) $(PROG) $(LIB)

# One line for every target and variable.
help:
	@printf '%s\n' \
	'Targets:' \
	'  maple (all)       build ./maple: the subject, its test module, our checks' \
	'  lib               the subject and the kernel services as a static library' \
	'  cflags, libs      what an outside program compiles and links with (make -s)' \
	'  check             every CI leg (scripts/check.sh; LEGS="a b" for some); ends "N passed, M failed, K skipped"' \
	'  valgrind          ./maple under memcheck (~4 min; QUICK=1: ~1 min, see README)' \
	'  selftest-mutants  the allocator self-test must catch each broken semantic' \
	'  regress-mutants   each regression check must catch 6.12 with its fix undone' \
	'  stress            the RCU stress campaign: many seeds, STRESS=1, 3 builds' \
	'  tsan              check_rcu_stress under ThreadSanitizer' \
	'  coverage          line and branch coverage of the subject (gcovr report)' \
	'  difftest          build mtdifftest, the differential test against the model' \
	'  difftest-run      ours and the 6.12 tree against the model (scripts/difftest.sh)' \
	'  fuzz              the difftest engine under libFuzzer for FUZZ_SECONDS' \
	'  mtbench, bench    the benchmarks; make bench compares ours with 6.12 and 7.3 as ratios' \
	'                    (benchmark goals alone build -O2 unless OPT= is given)' \
	'  memlat            ns per dependent load, by cache level and TLB reach' \
	'  forkbench         the dup_mmap() model, old against new strategy' \
	'  bench-fork        the seed fork table, spread and load warnings, CSV and PNG' \
	'  spawn, bench-spawn  fork() rate of the running kernel with N VMAs' \
	'  mtdot, tree-picture  a Graphviz picture of a tree (PICTURE=big: 300 VMAs)' \
	'  libmaple, install the installable library (build/release/); install into PREFIX' \
	'  kernel            fetch Linux 6.12 maple tree sources into .kernel/ (KERNEL_VERSION=6.1, 7.3)' \
	'  ktests            Linux 6.12 test module, unmodified, against our tree' \
	'  kernel-boot       our tree and the kernel own in a real kernel under QEMU (KERNEL_VERSION=7.3)' \
	'  kernel-vma        the kernel tools/testing/vma on our tree (KERNEL_VERSION=7.3)' \
	'  kernel-w1         lib/maple_tree.o in a kernel build, W=1: warnings, frames (KERNEL_VERSION=7.3)' \
	'  clean             remove what make made in O=' \
	'Variables:' \
	'  O=dir             build into dir (dir/maple, dir/generated/)' \
	'  V=1               show the commands' \
	'  OPT=-O2           optimisation (default -Og: gdb, valgrind, poisoning, RCU rules)' \
	'  SAN=1 | thread    ASan+UBSan, or ThreadSanitizer' \
	'  BUILD=32          -m32' \
	'  SLAB_API=6|7      slab conventions (bulk returns a count or a bool); default from the subject' \
	'  STRESS=1          seeded yield points in marked accesses (harness/stress.c)' \
	'  BENCH=name        one benchmark per build, -O2 unless OPT= (see README):' \
	'                    fork fork_old load walk awalk slot_store node_store' \
	'                    mt_for_each mas_for_each mas_prev; any other name stops make' \
	'  KBENCH=1          with BENCH=: the subject own test module BENCH_* code' \
	'                    (KDIR=.kernel/linux-source-6.12: the kernel bench_forking)' \
	'  KDIR=tree         another subject: a kernel-style tree' \
	'  KTESTS=tree       that tree test module instead of the subject own' \
	'  EXTRA_CFLAGS, EXTRA_LDFLAGS  added to every compile, link' \
	'  HARNESS_MUTANT=name  break one allocator semantic (selftest-mutants)' \
	'  FUZZ_SECONDS=N    how long make fuzz runs (60)' \
	'  STRESS_ARGS=      first seed and seed count for make stress ("1 40")' \
	'  MTDOT_ARGS=       the tree make tree-picture draws' \
	'  PREFIX, DESTDIR   where make install puts the library' \
	'  REPS, SIZES, OPS  rounds, tree sizes, operations of make bench' \
	'  DEBUG_TREE=0      no CONFIG_DEBUG_MAPLE_TREE: make bench as built for production' \
	'  SLAB_THP=0        optimised builds: slabs on 4 KiB pages, not huge pages (linux.c)' \
	'  QUICK=1           a short form: make valgrind (all but the 2 long checks), make' \
	'                    check (its valgrind leg: our checks only), make bench-fork' \
	'                    (4 counts, 3 x 0.2 s)' \
	'  JOBS=N            make -j of the builds in check, stress, tsan, bench-fork (2)' \
	'  FORK_BENCH_SECONDS, _REPS, _COUNTS, _CPU, _OUT, _OURS, _SUBJECTS' \
	'                    make bench-fork: window, windows, VMA counts, CPU, output' \
	'                    folder, our tree, subjects (scripts/fork-bench.sh)' \
	'  SPAWN_SECONDS, SPAWN_COUNTS, SPAWN_CPU  make bench-spawn (scripts/fork-spawn.sh)' \
	'  PICTURE=big       make tree-picture: the 300-VMA tree (7,900 px wide)' \
	'  VALGRIND_ARGS=    the checks make valgrind runs'

FORCE: ;
