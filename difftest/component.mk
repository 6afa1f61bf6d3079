# difftest/: the differential test against the reference model.
# The binary is mtdifftest, so that O=. does not write over difftest/.
DIFFTEST := $(OUT)/mtdifftest
DIFFTEST_OBJS := $(OBJ)/difftest/difftest.o $(OBJ)/support/model.o
# The checks in ./maple use the reference model too.
PROG_OBJS += $(OBJ)/support/model.o

.PHONY: difftest
difftest: $(DIFFTEST)

$(DIFFTEST): $(DIFFTEST_OBJS) $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(DIFFTEST_OBJS) $(LIB) $(LDLIBS)

# Both subjects against the model; ours must agree everywhere.
.PHONY: difftest-run
difftest-run:
	$(Q)$(SRC)/scripts/difftest.sh

clean: clean-difftest
clean-difftest:
	rm -f $(DIFFTEST)
