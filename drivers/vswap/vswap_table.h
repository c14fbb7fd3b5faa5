/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor table: a directory with one word per 512-slot cluster,
 * pointing at a page of 512 descriptors allocated on first write and
 * freed when its last slot empties.  An untouched slot costs 1/64 byte.
 *
 * Directory entry (one unsigned long per cluster):
 *   [63:12] descriptor page address (page aligned)
 *   [11:1]  number of non-empty slots in the cluster (0..512)
 *   [0]     cluster bit spinlock
 *
 * Locking rules
 * -------------
 * - A slot's descriptor is read or changed only under its bit lock
 *   (VSWAP_DESC_LOCK_BIT); vswap_slot_lock() takes it.  The lock is a
 *   spinning bit lock: no sleeping while it is held.
 * - The cluster bit lock (bit 0 of the directory entry) protects the
 *   entry: the page pointer and the used count.  Empty->used and
 *   used->empty transitions take it nested inside the slot lock.
 * - Lock order: stream mutex -> slot lock -> cluster lock -> zsmalloc.
 * - Lookups are lockless under RCU: a page is unpublished under the
 *   cluster lock and freed after a grace period, and every lookup
 *   re-checks the directory after taking the slot lock.  vswap_slot_lock()
 *   enters the RCU read side and vswap_slot_unlock() leaves it.
 * - Both bit locks are tracked by lockdep through the table's maps.
 */
#ifndef _VSWAP_TABLE_H
#define _VSWAP_TABLE_H

#include "vswap_deps.h"
#include "vswap_desc.h"

#define VSWAP_CLUSTER_SHIFT	9
#define VSWAP_CLUSTER_SLOTS	BIT(VSWAP_CLUSTER_SHIFT)
#define VSWAP_DIR_LOCK_BIT	0
#define VSWAP_DIR_COUNT		GENMASK(11, 1)
#define VSWAP_DIR_PAGE		(~(unsigned long)(PAGE_SIZE - 1))

struct vswap_table {
	unsigned long *dir;		/* entries, see above */
	unsigned long nr_slots;
	unsigned long nr_clusters;
	atomic_long_t nr_pages;		/* descriptor pages allocated */
	struct lockdep_map slot_map;
	struct lockdep_map cluster_map;
};

int vswap_table_init(struct vswap_table *t, unsigned long nr_slots);
/* Calls @release for each non-empty descriptor, then frees everything. */
void vswap_table_destroy(struct vswap_table *t,
			 void (*release)(void *arg, unsigned long desc),
			 void *arg);
unsigned long vswap_table_meta_bytes(struct vswap_table *t);
bool vswap_table_cluster_used(struct vswap_table *t, unsigned long cluster);

unsigned long *vswap_slot_lock(struct vswap_table *t, unsigned long slot);
void vswap_slot_unlock(struct vswap_table *t, unsigned long *desc);
int vswap_slot_store(struct vswap_table *t, unsigned long slot,
		     unsigned long new, unsigned long *old, gfp_t gfp);
unsigned long vswap_slot_clear(struct vswap_table *t, unsigned long slot,
			       bool trylock, bool *missed);
unsigned long vswap_slot_take_read(struct vswap_table *t, unsigned long slot);
bool vswap_slot_switch(struct vswap_table *t, unsigned long slot,
		       unsigned long old, unsigned long new);

#define vswap_assert_slot_locked(t) lockdep_assert(lock_is_held(&(t)->slot_map))

/*
 * The migration engine collected the locked @desc's data for a move;
 * vswap_slot_switch() checks the mark.  A read keeps it (the data is the
 * same); a store or clear drops it, and so does a switch the RD mark.
 */
static inline void vswap_desc_mark(struct vswap_table *t, unsigned long *desc)
{
	vswap_assert_slot_locked(t);
	WRITE_ONCE(*desc, *desc | VSWAP_DESC_MIG);
}

/* Descriptor page allocation: kernel in vswap_table_mem.c, tests' own. */
unsigned long *vswap_table_page_alloc(gfp_t gfp);
void vswap_table_page_free(unsigned long *page);
void vswap_table_page_free_rcu(unsigned long *page);
int vswap_table_mem_init(void);
void vswap_table_mem_exit(void);

#endif /* _VSWAP_TABLE_H */
