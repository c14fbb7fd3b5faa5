// SPDX-License-Identifier: GPL-2.0
/*
 * vswap fault injection: the fault_every and fault_injected parameters.
 */
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include "vswap_fault.h"

unsigned int vswap_fault_every;
module_param_named(fault_every, vswap_fault_every, uint, 0644);
MODULE_PARM_DESC(fault_every, "Fail every Nth allocation vswap makes on the I/O path (zsmalloc objects, descriptor pages, bios), 0 = never; a test knob");

static atomic_t vswap_fault_calls = ATOMIC_INIT(0);
static atomic_long_t vswap_fault_injected[VSWAP_FAULT_NR];

bool vswap_fault_hit(enum vswap_fault_site site)
{
	unsigned int every = READ_ONCE(vswap_fault_every);

	if (!every || (unsigned int)atomic_inc_return(&vswap_fault_calls) % every)
		return false;
	atomic_long_inc(&vswap_fault_injected[site]);
	return true;
}

/* "zs_malloc=N table_page=N bio=N": what failed on purpose so far. */
static int fault_injected_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "zs_malloc=%ld table_page=%ld bio=%ld\n",
			  atomic_long_read(&vswap_fault_injected[VSWAP_FAULT_ZS_MALLOC]),
			  atomic_long_read(&vswap_fault_injected[VSWAP_FAULT_TABLE_PAGE]),
			  atomic_long_read(&vswap_fault_injected[VSWAP_FAULT_BIO]));
}

static const struct kernel_param_ops fault_injected_ops = {
	.get = fault_injected_get,
};
module_param_cb(fault_injected, &fault_injected_ops, NULL, 0444);
MODULE_PARM_DESC(fault_injected, "Allocations failed by fault_every so far, per kind");
