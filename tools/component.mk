# tools/: mtdot, a Graphviz picture of a tree (make tree-picture).
MTDOT := $(OUT)/mtdot

.PHONY: mtdot tree-picture
mtdot: $(MTDOT)

$(MTDOT): $(OBJ)/tools/mtdot.o $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJ)/tools/mtdot.o $(LIB) $(LDLIBS)

# MTDOT_ARGS picks the tree (see mtdot --help); the picture needs graphviz.
MTDOT_ARGS ?= --alloc --vmas 300 --erase 7
tree-picture: $(MTDOT)
	$(Q)$(MTDOT) $(MTDOT_ARGS) > $(OUT)/tree.dot
	$(Q)dot -Tpng $(OUT)/tree.dot -o $(OUT)/tree.png
	$(Q)dot -Tsvg $(OUT)/tree.dot -o $(OUT)/tree.svg
	@echo "$(OUT)/tree.png, $(OUT)/tree.svg (from $(OUT)/tree.dot)"

clean: clean-mtdot
clean-mtdot:
	rm -f $(MTDOT) $(OUT)/tree.dot $(OUT)/tree.png $(OUT)/tree.svg
