# bench/: mtbench, the workloads behind `make bench` (scripts/bench.sh).
MTBENCH := $(OUT)/mtbench
# The benchmark of a BENCH=<name> build of ./maple.
PROG_OBJS += $(OBJ)/bench/onebench.o

.PHONY: mtbench bench memlat
mtbench: $(MTBENCH)

# The cost of one dependent load by cache level and by TLB reach, to read
# the large-tree rows of make bench with (docs/results.md).
MEMLAT := $(OUT)/memlat
memlat: $(MEMLAT)
$(MEMLAT): $(SRC)/bench/memlat.c
	@mkdir -p $(dir $@)
	$(SAY) '  CC      $(notdir $@)'
	$(Q)$(CC) -O2 -g -Wall -Wextra -o $@ $<

$(MTBENCH): $(OBJ)/bench/bench.o $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJ)/bench/bench.o $(LIB) $(LDLIBS)

# Ours against the kernel's, same shims, OPT=-O2, one run.
bench:
	$(Q)DEBUG_TREE=$(DEBUG_TREE) $(SRC)/scripts/bench.sh

clean: clean-mtbench
clean-mtbench:
	rm -f $(MTBENCH) $(MEMLAT)
