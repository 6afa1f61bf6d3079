# SPDX-License-Identifier: GPL-2.0
#
# fork/component.mk: the fork model (issue 6), included by the Makefile.
#
#   ./maple check_fork_model   the model's check (linked into every ./maple)
#   make forkbench             $(OUT)/forkbench: dup_mmap() old vs new
#   make bench-fork            fork/bench.sh: the seed's table, CSV, PNG
#   make spawn                 $(OUT)/spawn: fork() rate on the running kernel
#   make bench-spawn           spawn at the seed's VMA counts
#
# This file is read before the Makefile's first target: keep the default
# goal where it was (the Makefile's own "all").
fork_saved_goal := $(.DEFAULT_GOAL)

PROG_OBJS += $(OBJ)/fork/mm.o

FORKBENCH := $(OUT)/forkbench
SPAWN := $(OUT)/spawn

.PHONY: forkbench spawn bench-fork bench-spawn clean-fork

forkbench: $(FORKBENCH)

$(FORKBENCH): $(OBJ)/fork/forkbench.o $(OBJ)/fork/mm.o $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

# spawn measures the running kernel: no maple tree, no shims.  Linked
# statically when the C library allows, so that the process starts with
# few enough VMAs (about 11) for the seed's smallest count, 21.
spawn: $(SPAWN)

SPAWN_CFLAGS := -O2 -g -Wall $(EXTRA_CFLAGS)

$(SPAWN): $(SRC)/fork/spawn.c
	@mkdir -p $(dir $@)
	$(SAY) '  CC      fork/spawn.c'
	$(Q)$(CC) $(SPAWN_CFLAGS) -static -o $@ $< 2>/dev/null || \
		$(CC) $(SPAWN_CFLAGS) -o $@ $<

bench-fork:
	$(Q)$(SRC)/fork/bench.sh

bench-spawn: $(SPAWN)
	$(Q)$(SRC)/fork/spawn.sh $(SPAWN)

clean: clean-fork
clean-fork:
	rm -f $(FORKBENCH) $(SPAWN)

.DEFAULT_GOAL := $(fork_saved_goal)
