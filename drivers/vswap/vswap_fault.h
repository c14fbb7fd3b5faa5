/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for vswap's own allocations on the I/O path (module
 * parameter fault_every=N: every Nth of them fails).  It drives the
 * fallbacks that keep swap going under memory pressure: a RAM-tier object
 * that cannot be allocated spills to a backing tier, a descriptor page
 * comes from the reserve, a bio from the bio set's mempool.  The
 * distribution kernels have no CONFIG_FAULT_INJECTION, so the knob is
 * vswap's own; it costs one load and branch when off.
 */
#ifndef _VSWAP_FAULT_H
#define _VSWAP_FAULT_H

#include "vswap_deps.h"

enum vswap_fault_site {
	VSWAP_FAULT_ZS_MALLOC,		/* a RAM-tier object */
	VSWAP_FAULT_TABLE_PAGE,		/* a descriptor page */
	VSWAP_FAULT_BIO,		/* a bio to a backing tier */
	VSWAP_FAULT_NR,
};

extern unsigned int vswap_fault_every;
bool vswap_fault_hit(enum vswap_fault_site site);

/* Whether this allocation is to fail. */
static inline bool vswap_fault(enum vswap_fault_site site)
{
	return unlikely(READ_ONCE(vswap_fault_every)) && vswap_fault_hit(site);
}

#endif /* _VSWAP_FAULT_H */
