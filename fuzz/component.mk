# fuzz/: the difftest engine as a libFuzzer target (scripts/fuzz.sh), with
# its seed corpus in fuzz/corpus.
#
#   make fuzz FUZZ_SECONDS=N     fuzz the subject (ours unless KDIR=) for N s
.PHONY: fuzz
fuzz:
	$(Q)FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) $(SRC)/scripts/fuzz.sh
