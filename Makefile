# SPDX-License-Identifier: GPL-2.0
#
# vswap: out-of-tree module, userspace and tests.
#
#   make                 module + userspace
#   make test            everything CI runs (unit, style, VM selftests, debug lane)
#   make demo            boot a VM, swap through three tiers, watch vswapctl top
#   make bench           vswap vs zram in one VM run
#   make check           sparse (C=1) + checkpatch --strict over the kernel code
#
# KDIR defaults to the running kernel's build tree, then to the newest
# installed Debian headers, then to Debian's headers fetched into build/.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER ?= $(shell uname -r)
FETCHED_KDIR := $(TOP)/build/kernel/debian/kdir
KDIR ?= $(or $(wildcard /lib/modules/$(KVER)/build/Makefile:%/Makefile=%), \
	     $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))), \
	     $(FETCHED_KDIR))
override KDIR := $(patsubst %/Makefile,%,$(strip $(KDIR)))
VSWAP_VERSION ?= $(shell git -C $(TOP) describe --always --dirty --tags 2>/dev/null || echo unknown)
DESTDIR ?=
PREFIX ?= /usr
DKMS_DIR := $(DESTDIR)/usr/src/vswap-$(VSWAP_VERSION)
LINUX_SRC := $(TOP)/build/linux-source

KMAKE = $(MAKE) -C $(KDIR) M=$(TOP) VSWAP_VERSION=$(VSWAP_VERSION)

all: module userspace

$(FETCHED_KDIR):
	$(TOP)/tests/vm/fetch-kernel.sh >/dev/null

# flock: test lanes running side by side share the object files.
module: $(if $(filter $(FETCHED_KDIR),$(KDIR)),$(FETCHED_KDIR))
	@mkdir -p $(TOP)/build
	flock $(TOP)/build/.module.lock $(KMAKE) W=1 modules

userspace:
	$(MAKE) -C tests/selftests/vswap
	$(MAKE) -C userspace/vswapctl VSWAP_VERSION=$(VSWAP_VERSION)

install: module install-userspace
	$(KMAKE) modules_install
	depmod -a $(notdir $(realpath $(KDIR)/..))

# vswapctl, its man page and bash completion.
install-userspace:
	$(MAKE) -C userspace/vswapctl install VSWAP_VERSION=$(VSWAP_VERSION) \
		DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

dkms-install:
	install -d $(DKMS_DIR)
	cp -r Kbuild drivers include $(DKMS_DIR)/
	sed 's/@VERSION@/$(VSWAP_VERSION)/' dkms.conf.in >$(DKMS_DIR)/dkms.conf 2>/dev/null || \
		printf 'PACKAGE_NAME="vswap"\nPACKAGE_VERSION="%s"\nBUILT_MODULE_NAME[0]="vswap"\nBUILT_MODULE_LOCATION[0]="drivers/vswap"\nDEST_MODULE_LOCATION[0]="/extra"\nAUTOINSTALL="yes"\nMAKE[0]="make -C $${kernel_source_dir} M=$${dkms_tree}/vswap/$${PACKAGE_VERSION}/build VSWAP_VERSION=%s modules"\n' \
		$(VSWAP_VERSION) $(VSWAP_VERSION) >$(DKMS_DIR)/dkms.conf
	dkms add vswap/$(VSWAP_VERSION) && dkms build vswap/$(VSWAP_VERSION) && dkms install vswap/$(VSWAP_VERSION)

$(LINUX_SRC)/scripts/checkpatch.pl:
	$(TOP)/tests/vm/linux-source.sh

KERNEL_SOURCES = $(filter-out %.mod.c,$(wildcard drivers/vswap/*.[ch] include/uapi/linux/*.h))

# CAMELCASE: zstd's kernel API names a struct field cParams.
style: $(LINUX_SRC)/scripts/checkpatch.pl
	$(LINUX_SRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,CAMELCASE -f $(KERNEL_SOURCES)

sparse: module
	flock $(TOP)/build/.module.lock $(KMAKE) C=2 CHECK="sparse -Wno-decl" modules 2>&1 | tee build/sparse.log; \
		! grep -E 'warning:|error:' build/sparse.log

check: style sparse

unit:
	$(MAKE) -C tests/unit run

test:
	$(TOP)/tests/run_all.sh

demo:
	$(TOP)/tests/vm/demo.sh

bench:
	$(TOP)/tests/bench/run.sh

clean:
	-$(KMAKE) clean
	-$(MAKE) -C tests/selftests/vswap clean
	-$(MAKE) -C userspace/vswapctl clean
	-$(MAKE) -C tests/unit clean

.PHONY: all module userspace install install-userspace dkms-install style sparse check unit test demo bench clean
