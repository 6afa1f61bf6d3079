# difftest/: the differential test against the reference model.
DIFFTEST := $(OUT)/difftest
DIFFTEST_OBJS := $(OBJ)/difftest/difftest.o $(OBJ)/difftest/model.o
# The checks in ./maple use the reference model too.
PROG_OBJS += $(OBJ)/difftest/model.o

.PHONY: difftest
difftest: $(DIFFTEST)

$(DIFFTEST): $(DIFFTEST_OBJS) $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(DIFFTEST_OBJS) $(LIB) $(LDLIBS)

# Both subjects against the model; ours must agree everywhere.
.PHONY: difftest-run
difftest-run:
	$(Q)$(SRC)/scripts/difftest.sh

# The same engine as a libFuzzer target: make fuzz FUZZ_SECONDS=N.
.PHONY: fuzz
fuzz:
	$(Q)FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) $(SRC)/scripts/fuzz.sh

# Line and branch coverage of the subject's maple_tree.c (scripts/coverage.sh).
.PHONY: coverage
coverage:
	$(Q)$(SRC)/scripts/coverage.sh
