# SPDX-License-Identifier: GPL-2.0
#
# vswap: out-of-tree module, userspace and tests.
#
#   make                 module + vswapctl
#   make selftests       the VM selftest programs (fetches linux-source)
#   make test            everything CI runs (unit, style, VM selftests, debug lane)
#   make demo            boot a VM, swap through three tiers, watch vswapctl top
#   make bench           vswap vs zram in one VM run
#   make check           sparse (C=1) + checkpatch --strict over the kernel code
#
# KDIR defaults to the running kernel's build tree, then to the newest
# installed Debian headers, then to Debian's headers fetched into build/.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER ?= $(shell uname -r)
VSWAP_KERNEL ?= 6.12
FETCHED_KDIR := $(TOP)/build/kernel/$(VSWAP_KERNEL)/kdir
KDIR ?= $(or $(wildcard /lib/modules/$(KVER)/build/Makefile), \
	     $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))), \
	     $(FETCHED_KDIR))
override KDIR := $(patsubst %/Makefile,%,$(strip $(KDIR)))
# The release KDIR builds for (not the running kernel's, e.g. in a chroot).
KRELEASE = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(KVER))
VSWAP_VERSION ?= $(shell git -C $(TOP) describe --always --dirty --tags 2>/dev/null || echo unknown)
DESTDIR ?=
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/vswap
SYSTEMD_UNITDIR ?= /usr/lib/systemd/system
SYSTEMD_GENDIR ?= /usr/lib/systemd/system-generators
UDEV_RULESDIR ?= /usr/lib/udev/rules.d
DKMS_DIR := $(DESTDIR)/usr/src/vswap-$(VSWAP_VERSION)
LINUX_SRC := $(TOP)/build/linux-source

KMAKE = $(MAKE) -C $(KDIR) M=$(TOP) VSWAP_VERSION=$(VSWAP_VERSION)

all: module userspace

$(FETCHED_KDIR):
	$(TOP)/tests/vm/fetch-kernel.sh --kernel $(VSWAP_KERNEL) >/dev/null

# The fetched newest lane is built with its own compiler, in its Debian 13
# root (tests/vm/build-module.sh; vswap.ko stays there).
IN_SYSROOT := $(filter newest/$(FETCHED_KDIR),$(VSWAP_KERNEL)/$(KDIR))

# flock: test lanes running side by side share the object files.
module: $(if $(filter $(FETCHED_KDIR),$(KDIR)),$(FETCHED_KDIR))
ifneq ($(IN_SYSROOT),)
	$(TOP)/tests/vm/build-module.sh --kernel newest
else
	@mkdir -p $(TOP)/build
	flock $(TOP)/build/.module.lock $(KMAKE) W=1 modules
endif

userspace:
	$(MAKE) -C userspace/vswapctl VSWAP_VERSION=$(VSWAP_VERSION)

# The VM selftest programs; vswap_io_test needs kselftest_harness.h from
# linux-source (their Makefile fetches it).  LINUX_SRC= may be relative.
selftests:
	$(MAKE) -C tests/selftests/vswap LINUX_SRC=$(abspath $(LINUX_SRC))

install: module install-userspace
	$(KMAKE) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KRELEASE))

# vswapctl, its man pages and bash completion; the boot integration:
# the generator (vswapctl under another name), the setup unit, the udev
# rules and an example vswap.conf (vswap.conf(5)).
install-userspace:
	$(MAKE) -C userspace/vswapctl install VSWAP_VERSION=$(VSWAP_VERSION) \
		DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	install -D -m 0644 docs/vswap.conf.5 $(DESTDIR)$(MANDIR)/man5/vswap.conf.5
	install -d $(DESTDIR)$(SYSTEMD_GENDIR) $(DESTDIR)$(SYSTEMD_UNITDIR) \
		$(DESTDIR)$(UDEV_RULESDIR) $(DESTDIR)/usr/lib/vswap/vswap.conf.d
	ln -sf $(SBINDIR)/vswapctl $(DESTDIR)$(SYSTEMD_GENDIR)/vswap-generator
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/vswap-setup@.service \
		>$(DESTDIR)$(SYSTEMD_UNITDIR)/vswap-setup@.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/vswap-setup@.service
	install -m 0644 udev/60-vswap.rules $(DESTDIR)$(UDEV_RULESDIR)/60-vswap.rules
	install -D -m 0644 systemd/vswap.conf.example $(DESTDIR)$(DOCDIR)/vswap.conf.example

# For KDIR's release (KVER=, not only the running kernel: e.g. in a
# chroot); dkms builds it for every later kernel (AUTOINSTALL).  Run again,
# it replaces the version DKMS has (vswap's git-describe versions do not
# sort, so DKMS would refuse an "older" one).  A module "make install" put
# there is removed first: DKMS owns it from now on.
MAKE_INSTALLED := $(DESTDIR)/lib/modules/$(KRELEASE)/updates/drivers/vswap
dkms-install:
	for v in $$(dkms status -m vswap 2>/dev/null | sed -n 's|^vswap/\([^,:]*\)[,:].*|\1|p' | sort -u); do \
		dkms remove vswap/$$v --all || exit 1; \
	done
	if [ -d $(MAKE_INSTALLED) ]; then rm -rf $(MAKE_INSTALLED); fi
	rm -rf $(DKMS_DIR)
	install -d $(DKMS_DIR)
	cp -r Kbuild drivers include $(DKMS_DIR)/
	sed 's/@VERSION@/$(VSWAP_VERSION)/' dkms.conf >$(DKMS_DIR)/dkms.conf
	dkms add vswap/$(VSWAP_VERSION)
	dkms build -k $(KRELEASE) vswap/$(VSWAP_VERSION)
	dkms install -k $(KRELEASE) vswap/$(VSWAP_VERSION)

# Debian's linux-source-6.12 into build/ (any other LINUX_SRC= is the
# caller's to provide).
$(LINUX_SRC)/scripts/checkpatch.pl:
ifeq ($(abspath $(LINUX_SRC)),$(TOP)/build/linux-source)
	$(TOP)/tests/vm/linux-source.sh
else
	@echo "$@ not found: point LINUX_SRC at a kernel source tree," \
	      "or leave it unset for Debian's (tests/vm/linux-source.sh)" >&2
	@false
endif

KERNEL_SOURCES = $(filter-out %.mod.c,$(wildcard drivers/vswap/*.[ch] include/uapi/linux/*.h))

# CAMELCASE: zstd's kernel API names a struct field cParams.  The compat
# header alone compares LINUX_VERSION_CODE (that is its job) and defines
# the ->open method per kernel in a macro.
# The counter list's X-macros (its entries are macro calls without
# parentheses or semicolons, its generators ignore arguments) likewise.
COMPAT_HEADER := drivers/vswap/vswap_compat.h
COMPAT_IGNORE := LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_WITH_FLOW_CONTROL
COUNTERS_HEADER := drivers/vswap/vswap_counters.h
COUNTERS_IGNORE := COMPLEX_MACRO,MACRO_ARG_REUSE,MACRO_ARG_UNUSED,TRAILING_SEMICOLON
style: $(LINUX_SRC)/scripts/checkpatch.pl
	$(LINUX_SRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,CAMELCASE \
		-f $(filter-out $(COMPAT_HEADER) $(COUNTERS_HEADER),$(KERNEL_SOURCES))
	$(LINUX_SRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,$(COMPAT_IGNORE) -f $(COMPAT_HEADER)
	$(LINUX_SRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,$(COUNTERS_IGNORE) -f $(COUNTERS_HEADER)

sparse: module
ifneq ($(IN_SYSROOT),)
	$(TOP)/tests/vm/build-module.sh --kernel newest --sparse
else
	flock $(TOP)/build/.module.lock $(KMAKE) C=2 CHECK="sparse -Wno-decl" modules 2>&1 | tee build/sparse.log; \
		! grep -E 'warning:|error:' build/sparse.log
endif

check: style sparse

unit:
	$(MAKE) -C tests/unit run

test:
	$(TOP)/tests/run_all.sh

demo:
	$(TOP)/tests/demo/demo.sh

bench:
	$(TOP)/tests/bench/run.sh

# Kbuild's clean deletes every *.ko and *.o under M=: pointed at the top,
# that would include the kernels fetched into build/.
clean:
	-$(MAKE) -C $(KDIR) M=$(TOP)/drivers/vswap clean
	rm -f $(TOP)/Module.symvers $(TOP)/modules.order
	-$(MAKE) -C tests/selftests/vswap clean
	-$(MAKE) -C userspace/vswapctl clean
	-$(MAKE) -C tests/unit clean

.PHONY: all module userspace selftests install install-userspace dkms-install style sparse check unit test demo bench clean
