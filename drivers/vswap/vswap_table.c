// SPDX-License-Identifier: GPL-2.0
/*
 * vswap descriptor table: lazily allocated 512-slot clusters, per-slot
 * bit locks, lockless RCU lookup.  Locking rules are in vswap_table.h.
 */
#include "vswap_table.h"

/* Retries of a slot trylock before a free notification gives up. */
#define VSWAP_TRYLOCK_SPINS	256

static struct lock_class_key vswap_slot_key;
static struct lock_class_key vswap_cluster_key;

static inline unsigned long *dir_page(unsigned long entry)
{
	return (unsigned long *)(entry & VSWAP_DIR_PAGE);
}

static inline unsigned long *dir_entry(struct vswap_table *t,
				       unsigned long slot)
{
	return &t->dir[slot >> VSWAP_CLUSTER_SHIFT];
}

static void cluster_lock(struct vswap_table *t, unsigned long *entry)
	__acquires(entry)
{
	bit_spin_lock(VSWAP_DIR_LOCK_BIT, entry);
	lock_map_acquire(&t->cluster_map);
}

static void cluster_unlock(struct vswap_table *t, unsigned long *entry)
	__releases(entry)
{
	lock_map_release(&t->cluster_map);
	bit_spin_unlock(VSWAP_DIR_LOCK_BIT, entry);
}

/*
 * A slot lock is only ever held inside the RCU section that found it, so
 * for sparse it is part of that context: slot_lock() and
 * vswap_slot_unlock() acquire and release RCU whether or not they lock a
 * descriptor, and the bit lock itself is hidden from the count here.
 */
static bool desc_lock(struct vswap_table *t, unsigned long *desc, bool trylock)
{
	if (!trylock)
		bit_spin_lock(VSWAP_DESC_LOCK_BIT, desc);
	else if (!bit_spin_trylock(VSWAP_DESC_LOCK_BIT, desc))
		return false;
	__release(desc);
	lock_acquire_exclusive(&t->slot_map, 0, trylock, NULL, _RET_IP_);
	return true;
}

static void desc_unlock(struct vswap_table *t, unsigned long *desc)
{
	lock_map_release(&t->slot_map);
	__acquire(desc);
	bit_spin_unlock(VSWAP_DESC_LOCK_BIT, desc);
}

int vswap_table_init(struct vswap_table *t, unsigned long nr_slots)
{
	vswap_desc_build_checks();
	BUILD_BUG_ON(VSWAP_CLUSTER_SLOTS * sizeof(unsigned long) != PAGE_SIZE);
	BUILD_BUG_ON(FIELD_MAX(VSWAP_DIR_COUNT) < VSWAP_CLUSTER_SLOTS);
	BUILD_BUG_ON(VSWAP_DIR_COUNT & VSWAP_DIR_PAGE);

	t->nr_slots = nr_slots;
	t->nr_clusters = DIV_ROUND_UP(nr_slots, VSWAP_CLUSTER_SLOTS);
	t->dir = kvcalloc(t->nr_clusters, sizeof(*t->dir), GFP_KERNEL);
	if (!t->dir)
		return -ENOMEM;
	atomic_long_set(&t->nr_pages, 0);
	lockdep_init_map(&t->slot_map, "vswap_slot", &vswap_slot_key, 0);
	lockdep_init_map(&t->cluster_map, "vswap_cluster", &vswap_cluster_key, 0);
	return 0;
}

void vswap_table_destroy(struct vswap_table *t,
			 void (*release)(void *arg, unsigned long desc),
			 void *arg)
{
	unsigned long c, i;

	if (!t->dir)
		return;
	for (c = 0; c < t->nr_clusters; c++) {
		unsigned long *page = dir_page(t->dir[c]);

		if (!page)
			continue;
		for (i = 0; i < VSWAP_CLUSTER_SLOTS; i++) {
			unsigned long desc = vswap_desc_data(page[i]);

			if (vswap_desc_type(desc) != VSWAP_EMPTY)
				release(arg, desc);
		}
		vswap_table_page_free(page);
		atomic_long_dec(&t->nr_pages);
	}
	kvfree(t->dir);
	t->dir = NULL;
}

unsigned long vswap_table_meta_bytes(struct vswap_table *t)
{
	return t->nr_clusters * sizeof(*t->dir) +
	       atomic_long_read(&t->nr_pages) * PAGE_SIZE;
}

/* Whether @cluster has a descriptor page now (racy: a hint for scans). */
bool vswap_table_cluster_used(struct vswap_table *t, unsigned long cluster)
{
	return cluster < t->nr_clusters && dir_page(READ_ONCE(t->dir[cluster]));
}

static unsigned long *slot_lock(struct vswap_table *t, unsigned long slot,
				bool trylock)
	__acquires(RCU)
{
	unsigned long *entry = dir_entry(t, slot);
	unsigned long off = slot & (VSWAP_CLUSTER_SLOTS - 1);

	rcu_read_lock();
	for (;;) {
		unsigned long *page = dir_page(READ_ONCE(*entry));
		unsigned long *desc;

		if (!page)
			return NULL;
		desc = &page[off];
		if (!desc_lock(t, desc, trylock))
			return ERR_PTR(-EBUSY);
		/* The page may have been unpublished before we got the lock. */
		if (likely(dir_page(READ_ONCE(*entry)) == page))
			return desc;
		desc_unlock(t, desc);
	}
}

/**
 * vswap_slot_lock - lock a slot's descriptor
 * @t: descriptor table
 * @slot: slot number
 *
 * Returns the locked descriptor, or NULL if the slot's cluster has no
 * table (the slot is empty).  Either way the caller is in an RCU read
 * section and must call vswap_slot_unlock(), which accepts NULL.
 */
unsigned long *vswap_slot_lock(struct vswap_table *t, unsigned long slot)
	__acquires(RCU)
{
	return slot_lock(t, slot, false);
}

void vswap_slot_unlock(struct vswap_table *t, unsigned long *desc)
	__releases(RCU)
{
	if (desc)
		desc_unlock(t, desc);
	rcu_read_unlock();
}

/* Publish a table for @slot's cluster unless one is already there. */
static int cluster_populate(struct vswap_table *t, unsigned long slot,
			    gfp_t gfp)
{
	unsigned long *entry = dir_entry(t, slot);
	unsigned long *page;

	if (dir_page(READ_ONCE(*entry)))
		return 0;
	page = vswap_table_page_alloc(gfp);
	if (!page)
		return -ENOMEM;
	cluster_lock(t, entry);
	if (!dir_page(*entry)) {
		/*
		 * Release: lockless lookups (READ_ONCE, then an address
		 * dependency) must see the zeroed page, not what a reused
		 * page held before, on weakly ordered CPUs too.
		 */
		smp_store_release(entry, (unsigned long)page |
					 BIT(VSWAP_DIR_LOCK_BIT));
		atomic_long_inc(&t->nr_pages);
		page = NULL;
	}
	cluster_unlock(t, entry);
	if (page)
		vswap_table_page_free(page);
	return 0;
}

/*
 * Account an empty->used transition.  Fails if the cluster's page was
 * unpublished after the slot was locked; the caller then retries.
 */
static bool cluster_get(struct vswap_table *t, unsigned long slot,
			unsigned long *desc)
{
	unsigned long *entry = dir_entry(t, slot);
	unsigned long *page = desc - (slot & (VSWAP_CLUSTER_SLOTS - 1));
	bool ok;

	vswap_assert_slot_locked(t);
	cluster_lock(t, entry);
	ok = dir_page(*entry) == page;
	if (ok)
		WRITE_ONCE(*entry, *entry + FIELD_PREP(VSWAP_DIR_COUNT, 1));
	cluster_unlock(t, entry);
	return ok;
}

/* Account a used->empty transition; frees the page with the last slot. */
static void cluster_put(struct vswap_table *t, unsigned long slot)
{
	unsigned long *entry = dir_entry(t, slot);
	unsigned long *page = NULL;

	vswap_assert_slot_locked(t);
	cluster_lock(t, entry);
	WARN_ON_ONCE(!FIELD_GET(VSWAP_DIR_COUNT, *entry));
	WRITE_ONCE(*entry, *entry - FIELD_PREP(VSWAP_DIR_COUNT, 1));
	if (!FIELD_GET(VSWAP_DIR_COUNT, *entry)) {
		page = dir_page(*entry);
		WRITE_ONCE(*entry, BIT(VSWAP_DIR_LOCK_BIT));
	}
	cluster_unlock(t, entry);
	if (page) {
		atomic_long_dec(&t->nr_pages);
		/* Lockless readers may still hold a pointer into it. */
		vswap_table_page_free_rcu(page);
	}
}

/**
 * vswap_slot_store - install @new as @slot's data
 * @t: descriptor table
 * @slot: slot number
 * @new: descriptor of the stored data, unlocked
 * @old: returns the previous data (VSWAP_EMPTY if none) for the caller
 *	 to release
 * @gfp: allocation flags for a new descriptor page
 *
 * May sleep to allocate the page.
 */
int vswap_slot_store(struct vswap_table *t, unsigned long slot,
		     unsigned long new, unsigned long *old, gfp_t gfp)
{
	unsigned long *desc;
	int ret;

	if (WARN_ON_ONCE(slot >= t->nr_slots ||
			 vswap_desc_type(new) == VSWAP_EMPTY))
		return -EINVAL;
	for (;;) {
		ret = cluster_populate(t, slot, gfp);
		if (ret)
			return ret;
		desc = vswap_slot_lock(t, slot);
		if (!desc) {
			vswap_slot_unlock(t, NULL);
			continue;
		}
		*old = vswap_desc_data(*desc);
		if (vswap_desc_type(*old) != VSWAP_EMPTY ||
		    cluster_get(t, slot, desc))
			break;
		vswap_slot_unlock(t, desc);
	}
	/* New data is young; the lock bit stays set until unlock. */
	WRITE_ONCE(*desc, vswap_desc_data(new) | VSWAP_DESC_LOCK);
	vswap_slot_unlock(t, desc);
	return 0;
}

/*
 * Empty the locked @desc (NULL: no descriptor page, nothing stored) if it
 * holds data and, unless @type is VSWAP_EMPTY, data of that type.
 * Returns what it held, or VSWAP_EMPTY if it was left alone.
 */
static unsigned long slot_empty(struct vswap_table *t, unsigned long slot,
				unsigned long *desc, enum vswap_desc_type type)
{
	unsigned long old;

	if (!desc)
		return VSWAP_EMPTY;
	vswap_assert_slot_locked(t);
	old = vswap_desc_data(*desc);
	if (vswap_desc_type(old) == VSWAP_EMPTY ||
	    (type != VSWAP_EMPTY && vswap_desc_type(old) != type))
		return VSWAP_EMPTY;
	/* A store or clear drops the marks: a move or a take is void. */
	WRITE_ONCE(*desc, VSWAP_DESC_LOCK);
	cluster_put(t, slot);
	return old;
}

/**
 * vswap_slot_clear - empty @slot and return its previous data
 * @t: descriptor table
 * @slot: slot number
 * @trylock: do not spin on a busy slot
 * @missed: set when @trylock found the slot busy; may be NULL
 *
 * With @trylock (atomic callers such as the swap slot free notification)
 * a busy slot is left alone and *@missed is set.
 */
unsigned long vswap_slot_clear(struct vswap_table *t, unsigned long slot,
			       bool trylock, bool *missed)
{
	unsigned long *desc, old = VSWAP_EMPTY;
	unsigned int tries;

	if (missed)
		*missed = false;
	if (WARN_ON_ONCE(slot >= t->nr_slots))
		return VSWAP_EMPTY;
	/*
	 * A trylock caller still waits a little: the migration engine holds
	 * slot locks for a few microseconds at a time, and a missed free
	 * leaves the slot's data stored until it is overwritten.
	 */
	for (tries = 0;; tries++) {
		desc = slot_lock(t, slot, trylock);
		if (!IS_ERR(desc) || tries == VSWAP_TRYLOCK_SPINS)
			break;
		rcu_read_unlock();
		cpu_relax();
	}
	if (IS_ERR(desc)) {
		if (missed)
			*missed = true;
		rcu_read_unlock();
		return VSWAP_EMPTY;
	}
	old = slot_empty(t, slot, desc, VSWAP_EMPTY);
	vswap_slot_unlock(t, desc);
	return old;
}

/**
 * vswap_slot_take_read - empty @slot if it still holds the RAM data a
 *			  swap-in read (and marked, VSWAP_DESC_RD)
 * @t: descriptor table
 * @slot: slot number
 *
 * Returns the data taken, for the caller to release, or VSWAP_EMPTY.
 */
unsigned long vswap_slot_take_read(struct vswap_table *t, unsigned long slot)
{
	unsigned long *desc, old = VSWAP_EMPTY;

	if (WARN_ON_ONCE(slot >= t->nr_slots))
		return VSWAP_EMPTY;
	desc = vswap_slot_lock(t, slot);
	if (desc && (*desc & VSWAP_DESC_RD))
		old = slot_empty(t, slot, desc, VSWAP_RAM);
	vswap_slot_unlock(t, desc);
	return old;
}

/**
 * vswap_slot_switch - move @slot's data to @new if it still holds @old
 * @t: descriptor table
 * @slot: slot number
 * @old: the data the migration engine collected (and marked)
 * @new: where that data has been copied to
 *
 * Equal data is not proof that the slot was left alone: a free and a new
 * store may have reused the same zsmalloc handle or backing slot.  The
 * mark set at collection (vswap_desc_mark()) survives only if nothing
 * stored or cleared the slot since.  The age is kept.  Returns whether
 * the slot switched; if not, @new is the caller's to free.
 */
bool vswap_slot_switch(struct vswap_table *t, unsigned long slot,
		       unsigned long old, unsigned long new)
{
	unsigned long *desc = vswap_slot_lock(t, slot);
	bool ok = desc && (*desc & VSWAP_DESC_MIG) &&
		  vswap_desc_data(*desc) == old;

	if (ok)
		WRITE_ONCE(*desc, vswap_desc_data(new) |
				  (*desc & VSWAP_DESC_AGE) | VSWAP_DESC_LOCK);
	vswap_slot_unlock(t, desc);
	return ok;
}
