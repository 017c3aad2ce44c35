# SPDX-License-Identifier: GPL-2.0
# bitsec: build the module and bitskey, install them, run the tests.
#
#   make                 bitsec.ko against KDIR, and tools/bitskey/bitskey
#   make install         modules_install (extra/) and bitskey into /usr/local/sbin
#   make check           every test, in VMs of both kernels (see README.md)
#   make demo            boot the stock kernel, load the module and the tutorial's SAs
#   make bench           bitsec against Linux's own IPsec in one VM boot

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all module kdir-exists clean-module tools bench install modules_install tools_install check demo clean \
	fuzz

all: module tools

module: kdir-exists
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

kdir-exists:
	@test -f $(KDIR)/Makefile || { \
		echo "bitsec: no kernel build tree at KDIR=$(KDIR)."; \
		echo "bitsec: install the headers of the running kernel (apt-get install linux-headers-$$(uname -r))"; \
		echo "bitsec: or point KDIR at a configured kernel tree: make KDIR=/path/to/linux"; \
		exit 1; }

tools:
	$(MAKE) -C tools/bitskey

install: modules_install tools_install

# The release comes from the tree we built against, not from the running
# kernel; DESTDIR stages the install (packaging, tests).
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

modules_install: kdir-exists module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KREL)

tools_install:
	$(MAKE) -C tools/bitskey install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

check:
	bash tools/testing/check

bench:
	bash tools/testing/bench/run

demo:
	bash tools/testing/demo

# libFuzzer over bitskey's parser, FUZZ_SECONDS (default 600) long.
fuzz:
	$(MAKE) -C tools/bitskey fuzz

clean: clean-module
	$(MAKE) -C tools/bitskey clean
	rm -rf build

clean-module:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
