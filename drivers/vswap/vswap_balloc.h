/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slot allocator of a backing tier: one bit per 4 KiB slot of the backing
 * device, allocated next-fit from a moving cursor, so that what is
 * allocated together (a demotion batch, the pages of one request) lands
 * in one contiguous run and goes out as one large bio.
 *
 * Locking: the allocator's spinlock protects map, used and cursor.  It is
 * never taken from hard or soft interrupt context: bio completions that
 * need to free slots defer to process context.
 */
#ifndef _VSWAP_BALLOC_H
#define _VSWAP_BALLOC_H

#include "vswap_deps.h"

struct vswap_balloc {
	spinlock_t lock;		/* the fields below */
	unsigned long *map;		/* set bit: slot in use */
	unsigned long nr_slots;
	unsigned long used;
	unsigned long cursor;		/* where the next search starts */
};

int vswap_balloc_init(struct vswap_balloc *a, unsigned long nr_slots);
void vswap_balloc_destroy(struct vswap_balloc *a);
unsigned int vswap_balloc_get(struct vswap_balloc *a, unsigned int want,
			      unsigned long *start);
void vswap_balloc_put(struct vswap_balloc *a, unsigned long start,
		      unsigned int nr);
unsigned long vswap_balloc_used(struct vswap_balloc *a);

#endif /* _VSWAP_BALLOC_H */
