# tools/: mtdot, a Graphviz picture of a tree (make tree-picture).
MTDOT := $(OUT)/mtdot

.PHONY: mtdot tree-picture
mtdot: $(MTDOT)

$(MTDOT): $(OBJ)/tools/mtdot.o $(LIB)
	$(SAY) '  LD      $(notdir $@)'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJ)/tools/mtdot.o $(LIB) $(LDLIBS)

# MTDOT_ARGS picks the tree (see mtdot --help); the picture needs graphviz.
# The default, 40 VMAs, reads on a screen (about 1,100 x 600 px); PICTURE=big
# draws 300 VMAs in three levels (about 7,900 x 700 px: zoom in on the SVG).
ifeq ($(PICTURE),big)
MTDOT_ARGS ?= --alloc --vmas 300 --erase 7
else ifeq ($(PICTURE),)
MTDOT_ARGS ?= --alloc --vmas 40 --erase 7
else
$(error PICTURE=$(PICTURE): only PICTURE=big, or MTDOT_ARGS= for any tree)
endif
tree-picture: $(MTDOT)
	$(Q)$(MTDOT) $(MTDOT_ARGS) > $(OUT)/tree.dot
	$(Q)dot -Tpng $(OUT)/tree.dot -o $(OUT)/tree.png
	$(Q)dot -Tsvg $(OUT)/tree.dot -o $(OUT)/tree.svg
	@set -- $$(od -An -tu1 -j16 -N8 $(OUT)/tree.png); \
	echo "$(OUT)/tree.png ($$(( $$3 * 256 + $$4 )) x $$(( $$7 * 256 + $$8 )) px)," \
		"$(OUT)/tree.svg (from $(OUT)/tree.dot: mtdot $(MTDOT_ARGS))"

clean: clean-mtdot
clean-mtdot:
	rm -f $(MTDOT) $(OUT)/tree.dot $(OUT)/tree.png $(OUT)/tree.svg
