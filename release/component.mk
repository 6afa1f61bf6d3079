# release/: the installable library (make install PREFIX=...).
#
# libmaple is our tree plus the kernel services it needs, built optimised
# with -DHARNESS_RELEASE (no failure injection, no allocation budget, no
# poisoning) and RCU_READER_CHECK=1 (a reader thread that never called
# rcu_register_thread() stops with a message, as in the debug build): static and shared (versioned soname), its headers under
# $(PREFIX)/include/maple/ so that they cannot shadow the system's linux/
# headers, and a pkg-config file.  examples/ shows a program using it.
MAPLE_VERSION := 0.1.0
MAPLE_SOMAJOR := 0
PREFIX ?= /usr/local
RELEASE_OUT := $(SRC)/build/release
RELEASE_MAKE := $(MAKE) -s -f $(SRC)/Makefile O=$(RELEASE_OUT) KDIR=$(SRC)/linux \
	OPT=-O2 RCU_READER_CHECK=1 EXTRA_CFLAGS='-fPIC -DHARNESS_RELEASE'
SHIM_INSTALL := $(shell cd $(SRC)/include && find . -name '*.h')

.PHONY: libmaple install
libmaple:
	$(Q)$(RELEASE_MAKE) lib
	$(Q)cp $(RELEASE_OUT)/libmaple-harness.a $(RELEASE_OUT)/libmaple.a
	$(Q)$(CC) -shared -Wl,-soname,libmaple.so.$(MAPLE_SOMAJOR) \
		-o $(RELEASE_OUT)/libmaple.so.$(MAPLE_VERSION) \
		$(RELEASE_OUT)/generated/obj/maple_tree.o \
		$(RELEASE_OUT)/generated/obj/linux.o \
		$(RELEASE_OUT)/generated/obj/harness/*.o -lurcu -lpthread
	@echo "libmaple $(MAPLE_VERSION): $(RELEASE_OUT)/libmaple.a," \
		"$(RELEASE_OUT)/libmaple.so.$(MAPLE_VERSION)" \
		"(make install PREFIX=dir adds the headers and maple.pc)"

install: libmaple
	$(Q)inc=$(DESTDIR)$(PREFIX)/include/maple; lib=$(DESTDIR)$(PREFIX)/lib; \
	mkdir -p $$inc/linux $$lib/pkgconfig && \
	(cd $(SRC)/include && for h in $(SHIM_INSTALL); do \
		mkdir -p $$inc/$$(dirname $$h); cp $$h $$inc/$$h; done) && \
	cp $(SRC)/linux/include/linux/maple_tree.h $$inc/linux/ && \
	cp $(RELEASE_OUT)/generated/autoconf.h $(RELEASE_OUT)/generated/bit-length.h $$inc/ && \
	cp $(RELEASE_OUT)/libmaple.a $(RELEASE_OUT)/libmaple.so.$(MAPLE_VERSION) $$lib/ && \
	ln -sf libmaple.so.$(MAPLE_VERSION) $$lib/libmaple.so.$(MAPLE_SOMAJOR) && \
	ln -sf libmaple.so.$(MAPLE_SOMAJOR) $$lib/libmaple.so && \
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(MAPLE_VERSION)|' \
		$(SRC)/release/maple.pc.in > $$lib/pkgconfig/maple.pc && \
	echo "installed libmaple $(MAPLE_VERSION) into $(DESTDIR)$(PREFIX)"
