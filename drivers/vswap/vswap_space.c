// SPDX-License-Identifier: GPL-2.0
/*
 * vswap space: placement of pages on tiers and the per-slot operations
 * the block device is built on.
 */
#include "vswap.h"

/* Table pages on the write path: no I/O reclaim, reserve in mempool. */
#define VSWAP_TABLE_GFP	(GFP_NOIO | __GFP_NOWARN)

static struct vswap_tier *desc_tier(struct vswap_space *s, unsigned long desc)
{
	switch (vswap_desc_type(desc)) {
	case VSWAP_SAME:
		return s->tiers[VSWAP_TIER_SAME];
	case VSWAP_RAM:
		return s->tiers[VSWAP_TIER_RAM];
	case VSWAP_BACKED:
		return s->tiers[FIELD_GET(VSWAP_DESC_BACKED_TIER, desc)];
	default:
		return NULL;
	}
}

static void release_desc(struct vswap_space *s, unsigned long desc)
{
	struct vswap_tier *tier = desc_tier(s, desc);

	if (!WARN_ON_ONCE(!tier))
		tier->ops->release(tier, desc);
}

static void release_cb(void *arg, unsigned long desc)
{
	release_desc(arg, desc);
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
	s->tiers[s->nr_tiers++] = tier;

	tier = vswap_tier_ram_create(s, algo, level);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_destroy;
	}
	s->tiers[s->nr_tiers++] = tier;
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
	for (i = 0; i < s->nr_tiers; i++)
		s->tiers[i]->ops->destroy(s->tiers[i]);
	s->nr_tiers = 0;
}

/*
 * Placement: same-filled first, then compressed RAM.  The first tier
 * that accepts the page keeps it; the old data is released after the
 * descriptor switched, so a failed store leaves the slot untouched.
 */
int vswap_space_write(struct vswap_space *s, unsigned long slot,
		      const void *src)
{
	struct vswap_tier *tier = NULL;
	unsigned long desc, old;
	unsigned int i;
	int ret = -ENOSPC;

	for (i = 0; i < s->nr_tiers; i++) {
		int err;

		tier = s->tiers[i];
		err = tier->ops->store(tier, src, &desc);
		if (!err) {
			ret = 0;
			break;
		}
		if (err != -EAGAIN)
			ret = err;
	}
	if (ret)
		goto out_fail;

	ret = vswap_slot_store(&s->table, slot, desc, &old, VSWAP_TABLE_GFP);
	if (ret) {
		tier->ops->release(tier, desc);
		goto out_fail;
	}
	if (vswap_desc_type(old) != VSWAP_EMPTY)
		release_desc(s, old);
	atomic64_inc(&s->stats.writes);
	return 0;

out_fail:
	atomic64_inc(&s->stats.failed_writes);
	return ret;
}

int vswap_space_read(struct vswap_space *s, unsigned long slot, void *dst)
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
		struct vswap_tier *tier = desc_tier(s, data);

		ret = tier ? tier->ops->load(tier, data, dst) : -EIO;
		/* Accessed: young again (lock bit kept). */
		WRITE_ONCE(*desc, data | VSWAP_DESC_LOCK);
	}
	vswap_slot_unlock(&s->table, desc);
	atomic64_inc(ret ? &s->stats.failed_reads : &s->stats.reads);
	return ret;
}

void vswap_space_discard(struct vswap_space *s, unsigned long slot,
			 unsigned long nr)
{
	unsigned long end = slot + nr;

	for (; slot < end; slot++) {
		unsigned long old = vswap_slot_clear(&s->table, slot, false,
						     NULL);

		if (vswap_desc_type(old) != VSWAP_EMPTY)
			release_desc(s, old);
	}
	atomic64_add(nr, &s->stats.discards);
}

/* Called under the swap layer's spinlock: must not sleep or spin long. */
void vswap_space_free_notify(struct vswap_space *s, unsigned long slot)
{
	unsigned long old;
	bool missed;

	old = vswap_slot_clear(&s->table, slot, true, &missed);
	atomic64_inc(&s->stats.frees);
	if (missed)
		atomic64_inc(&s->stats.miss_frees);
	else if (vswap_desc_type(old) != VSWAP_EMPTY)
		release_desc(s, old);
}

u64 vswap_space_stored_pages(struct vswap_space *s)
{
	u64 pages = 0;
	unsigned int i;

	for (i = 0; i < s->nr_tiers; i++)
		pages += atomic64_read(&s->tiers[i]->stats.pages);
	return pages;
}
