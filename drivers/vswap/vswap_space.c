// SPDX-License-Identifier: GPL-2.0
/*
 * vswap space: placement of pages on tiers and the per-slot operations
 * the block device is built on.
 */
#include "vswap.h"

/*
 * Table pages on the write path: no I/O reclaim, bounded (without
 * __GFP_NORETRY an order-0 GFP_NOIO allocation retries for ever once
 * only swapping could free memory), then the reserve (vswap_table_mem.c).
 */
#define VSWAP_TABLE_GFP	(GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN)
#define VSWAP_TABLE_GFP_ATOMIC	(GFP_NOWAIT | __GFP_NOWARN)

/* Tiers come and go under a frozen queue; see struct vswap_space. */
struct vswap_tier *vswap_space_desc_tier(struct vswap_space *s,
					 unsigned long desc)
{
	switch (vswap_desc_type(desc)) {
	case VSWAP_SAME:
		return READ_ONCE(s->tiers[VSWAP_TIER_SAME]);
	case VSWAP_RAM:
		return READ_ONCE(s->tiers[VSWAP_TIER_RAM]);
	case VSWAP_BACKED:
		return READ_ONCE(s->tiers[FIELD_GET(VSWAP_DESC_BACKED_TIER, desc)]);
	default:
		return NULL;
	}
}

/* Free what @desc points at, on whichever tier holds it. */
void vswap_space_release(struct vswap_space *s, unsigned long desc)
{
	struct vswap_tier *tier = vswap_space_desc_tier(s, desc);

	if (!WARN_ON_ONCE(!tier))
		tier->ops->release(tier, desc);
}

static void release_cb(void *arg, unsigned long desc)
{
	vswap_space_release(arg, desc);
}

/*
 * Whether the RAM tier would refuse a page now (full, or at the automatic
 * cap with a backing tier to spill to): the block device then sends
 * writes to the bio path, where backing tiers are.
 */
bool vswap_space_spills(struct vswap_space *s)
{
	struct vswap_tier *ram = READ_ONCE(s->tiers[VSWAP_TIER_RAM]);

	if (!atomic_read(&s->nr_spill))
		return false;
	return !ram || vswap_tier_at_limit(ram);
}

/* I/O quiesced: make @tier visible to placement and lookups. */
void vswap_space_publish_tier(struct vswap_space *s, struct vswap_tier *tier)
{
	if (WARN_ON_ONCE(tier->id >= VSWAP_MAX_TIERS || s->tiers[tier->id]))
		return;
	WRITE_ONCE(s->tiers[tier->id], tier);
	if (tier->id >= s->nr_tiers)
		WRITE_ONCE(s->nr_tiers, tier->id + 1);
}

/*
 * I/O quiesced and the tier holds no slots: hide it.  The caller frees it
 * after an RCU grace period (slot free notifications look it up).
 */
void vswap_space_unpublish_tier(struct vswap_space *s, unsigned int id)
{
	unsigned int nr = s->nr_tiers;

	WRITE_ONCE(s->tiers[id], NULL);
	while (nr && !s->tiers[nr - 1])
		nr--;
	WRITE_ONCE(s->nr_tiers, nr);
}

int vswap_space_init(struct vswap_space *s, unsigned long nr_slots,
		     const char *algo, int level)
{
	struct vswap_tier *tier;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = vswap_table_init(&s->table, nr_slots);
	if (ret)
		return ret;

	tier = vswap_tier_same_create(s);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_destroy;
	}
	vswap_space_publish_tier(s, tier);

	tier = vswap_tier_ram_create(s, algo, level);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_destroy;
	}
	vswap_space_publish_tier(s, tier);
	return 0;

out_destroy:
	vswap_space_destroy(s);
	return ret;
}

/* No I/O may be in flight. */
void vswap_space_destroy(struct vswap_space *s)
{
	unsigned int i;

	vswap_table_destroy(&s->table, release_cb, s);
	for (i = 0; i < s->nr_tiers; i++) {
		if (s->tiers[i])
			s->tiers[i]->ops->destroy(s->tiers[i]);
		s->tiers[i] = NULL;
	}
	s->nr_tiers = 0;
}

/*
 * Placement in the tiers that store synchronously: same-filled first,
 * then compressed RAM.  The first tier that accepts the page keeps it;
 * the old data is released after the descriptor switched, so a failed
 * store leaves the slot untouched.  When no tier takes the page (e.g.
 * the RAM tier is at its limit or spills to a backing tier, which
 * stores asynchronously) the write fails with -ENOSPC: it never waits
 * for room, and the block device may place it on a backing tier.
 * With VSWAP_STORE_ATOMIC nothing sleeps: -EBUSY (slot untouched, no
 * failure counted) where it would have, for the caller to retry.
 */
int vswap_space_write(struct vswap_space *s, unsigned long slot,
		      const void *src, unsigned int flags)
{
	struct vswap_tier *tier = NULL;
	unsigned long desc, old;
	unsigned int i;
	int ret = -ENOSPC;

	for (i = 0; i < s->nr_tiers; i++) {
		int err;

		tier = s->tiers[i];
		if (!tier)
			continue;
		err = tier->ops->store(tier, src, &desc, flags);
		if (!err) {
			ret = 0;
			break;
		}
		if (err == -EBUSY && (flags & VSWAP_STORE_ATOMIC))
			return err;	/* retried where it may sleep */
		if (err != -EAGAIN)
			ret = err;
	}
	if (ret)
		goto out_fail;

	ret = vswap_slot_store(&s->table, slot, desc, &old,
			       flags & VSWAP_STORE_ATOMIC ?
			       VSWAP_TABLE_GFP_ATOMIC : VSWAP_TABLE_GFP);
	if (ret) {
		tier->ops->release(tier, desc);
		if (flags & VSWAP_STORE_ATOMIC)
			return -EBUSY;	/* the caller retries, may sleep */
		goto out_fail;
	}
	if (vswap_desc_type(old) != VSWAP_EMPTY)
		vswap_space_release(s, old);
	atomic64_inc(&s->stats.writes);
	return 0;

out_fail:
	/*
	 * With a backing tier to go to, the block device counts it; an
	 * atomic store that would have slept is retried, not failed.
	 */
	if (ret == -EBUSY && (flags & VSWAP_STORE_ATOMIC))
		return ret;
	if (ret != -ENOSPC || !atomic_read(&s->nr_spill))
		atomic64_inc(&s->stats.failed_writes);
	return ret;
}

/*
 * Read @slot into @dst.  A slot on a backing tier is not read here:
 * -EREMOTE, with its descriptor in *@remote, for the block device to
 * read with a bio (and count).  @swapin: @dst is a swap-cache page being
 * read in for @slot, which may take the RAM data over (exclusive loads):
 * RAM data read is marked for vswap_space_drop_ram().
 */
static int space_read(struct vswap_space *s, unsigned long slot, void *dst,
		      unsigned long *remote, bool swapin)
{
	unsigned long *desc, data;
	int ret = 0;

	/* As in vswap_slot_store(): the directory has no entry beyond. */
	if (WARN_ON_ONCE(slot >= s->table.nr_slots))
		return -EINVAL;
	desc = vswap_slot_lock(&s->table, slot);
	data = desc ? vswap_desc_data(*desc) : VSWAP_EMPTY;
	if (vswap_desc_type(data) == VSWAP_EMPTY) {
		memset(dst, 0, PAGE_SIZE);
	} else {
		struct vswap_tier *tier = vswap_space_desc_tier(s, data);
		unsigned long mark = 0;

		ret = tier ? tier->ops->load(tier, data, dst) : -EIO;
		if (!ret && swapin && vswap_desc_type(data) == VSWAP_RAM)
			mark = VSWAP_DESC_RD;
		/*
		 * Accessed: young again.  The data is unchanged, so the lock
		 * bit and the marks stay.
		 */
		WRITE_ONCE(*desc, (*desc & ~VSWAP_DESC_AGE) | mark);
		/* On a backing tier: the caller reads it, and counts it. */
		if (ret == -EREMOTE) {
			*remote = data;
			vswap_slot_unlock(&s->table, desc);
			return ret;
		}
	}
	vswap_slot_unlock(&s->table, desc);
	atomic64_inc(ret ? &s->stats.failed_reads : &s->stats.reads);
	return ret;
}

int vswap_space_read(struct vswap_space *s, unsigned long slot, void *dst,
		     unsigned long *remote)
{
	return space_read(s, slot, dst, remote, false);
}

int vswap_space_read_swapin(struct vswap_space *s, unsigned long slot,
			    void *dst, unsigned long *remote)
{
	return space_read(s, slot, dst, remote, true);
}

/*
 * Exclusive loads: @slot was just read by vswap_space_read_swapin() into
 * a page the swap cache holds, which the caller marks dirty if this
 * returns true.  The compressed copy is freed: the page is written again,
 * compressed afresh, if it is reclaimed, so RAM holds only what is not
 * resident (as zswap does).  Only RAM copies are dropped (a backing
 * tier's cost a write to make and nothing to keep), only if the slot was
 * not stored, cleared or moved since the read (the RD mark), and, with no
 * backing tier to take the page when it comes back, only while the RAM
 * tier is under its high watermark.
 */
bool vswap_space_drop_ram(struct vswap_space *s, unsigned long slot)
{
	struct vswap_tier *ram = READ_ONCE(s->tiers[VSWAP_TIER_RAM]);
	unsigned long old;

	if (!ram || (!atomic_read(&s->nr_spill) && vswap_tier_above_high(ram)))
		return false;
	old = vswap_slot_take_read(&s->table, slot);
	if (vswap_desc_type(old) == VSWAP_EMPTY)
		return false;
	vswap_space_release(s, old);
	atomic64_inc(&s->stats.exclusive_loads);
	return true;
}

void vswap_space_discard(struct vswap_space *s, unsigned long slot,
			 unsigned long nr)
{
	unsigned long end = slot + nr;

	for (; slot < end; slot++) {
		unsigned long old = vswap_slot_clear(&s->table, slot, false,
						     NULL);

		if (vswap_desc_type(old) != VSWAP_EMPTY)
			vswap_space_release(s, old);
	}
	atomic64_add(nr, &s->stats.discards);
}

/*
 * Called under the swap layer's spinlock: must not sleep or spin long.
 * Not quiesced by a frozen queue, so the tier is used under RCU.
 */
void vswap_space_free_notify(struct vswap_space *s, unsigned long slot)
{
	unsigned long old;
	bool missed;

	rcu_read_lock();
	old = vswap_slot_clear(&s->table, slot, true, &missed);
	atomic64_inc(&s->stats.frees);
	if (missed)
		atomic64_inc(&s->stats.miss_frees);
	else if (vswap_desc_type(old) != VSWAP_EMPTY)
		vswap_space_release(s, old);
	rcu_read_unlock();
}

u64 vswap_space_stored_pages(struct vswap_space *s)
{
	u64 pages = 0;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < READ_ONCE(s->nr_tiers); i++) {
		struct vswap_tier *tier = READ_ONCE(s->tiers[i]);

		if (tier)
			pages += atomic64_read(&tier->stats.pages);
	}
	rcu_read_unlock();
	return pages;
}
