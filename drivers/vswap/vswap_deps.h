/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel dependencies of the vswap core (descriptor table, compression
 * backends, tiers, placement).  The userspace unit tests force-include a
 * different file with the same include guard that maps these onto libc,
 * liblz4 and libzstd, so the core compiles unchanged in both worlds.
 * Only kernel-only files (vswap_main.c, vswap_sysfs.c) may include other
 * kernel headers directly.
 */
#ifndef _VSWAP_DEPS_H
#define _VSWAP_DEPS_H

#include <linux/atomic.h>
#include <linux/processor.h>	/* cpu_relax(), which 6.12's bit_spinlock.h uses */
#include <linux/bit_spinlock.h>
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>
#include <linux/zsmalloc.h>
#include <linux/zstd.h>

#endif /* _VSWAP_DEPS_H */
