// SPDX-License-Identifier: GPL-2.0
/*
 * Backing tiers: slots on a block device (NVMe, disk, network block
 * device), opened exclusively for as long as the tier exists.  Pages are
 * stored raw, one 4 KiB slot each, at the device offset slot * 4 KiB.
 *
 * A backing tier stores and loads only asynchronously, with bios built by
 * the request path (vswap_io.c) and the migration engine: its store()
 * declines every page and its load() answers -EREMOTE.
 *
 * Also here, as they ask the backing kind: whether any tier takes new
 * slots and how much room it has (vswap_tier_takes_slots(),
 * vswap_tier_room_pages(); kernel only, unlike vswap_tier.c, which the
 * unit tests compile), how many backing tiers the RAM tier may spill to,
 * and which one takes new data.
 */
#include <linux/blkdev.h>
#include <linux/vswap.h>
#include "vswap_balloc.h"
#include "vswap_compat.h"
#include "vswap_dev.h"
#include "vswap_policy.h"

/*
 * The RAM tier's cap while backing tiers take its overflow and no limit
 * is set: a share of memory, as zswap's max_pool_percent (also 20).
 */
#define VSWAP_RAM_AUTO_PERCENT	20

/* Consecutive failed I/Os after which a tier takes no new slots. */
#define VSWAP_DEGRADE_ERRORS	8

struct vswap_backed_tier {
	struct vswap_tier tier;
	struct block_device *bdev;
	void *bdev_handle;		/* for vswap_bdev_close() */
	u32 class;			/* enum vswap_tier_class */
	u64 capacity;			/* bytes used of it: at most the vswap device's */
	char path[VSWAP_PATH_MAX];
	struct vswap_balloc alloc;
	atomic_t consecutive_errors;
};

static struct vswap_backed_tier *to_backed(struct vswap_tier *tier)
{
	return container_of(tier, struct vswap_backed_tier, tier);
}

static int backed_store(struct vswap_tier *tier, const void *src,
			unsigned long *desc, unsigned int flags)
{
	return -EAGAIN;
}

static int backed_load(struct vswap_tier *tier, unsigned long desc, void *dst)
{
	return -EREMOTE;
}

/* Atomic context allowed: the allocator lock is a plain spinlock. */
static void backed_release(struct vswap_tier *tier, unsigned long desc)
{
	vswap_balloc_put(&to_backed(tier)->alloc, vswap_desc_backed_slot(desc),
			 1);
	vswap_tier_account(tier, -1, PAGE_SIZE);
	vswap_tier_check_wmark(tier);
}

static u64 backed_used_bytes(struct vswap_tier *tier)
{
	return (u64)vswap_balloc_used(&to_backed(tier)->alloc) << PAGE_SHIFT;
}

static void backed_destroy(struct vswap_tier *tier)
{
	struct vswap_backed_tier *bt = to_backed(tier);

	if (bt->bdev)
		vswap_bdev_close(bt->bdev_handle);
	vswap_balloc_destroy(&bt->alloc);
	kfree(bt);
}

static const struct vswap_tier_ops vswap_backed_ops = {
	.kind		= "block",
	.store		= backed_store,
	.load		= backed_load,
	.release	= backed_release,
	.used_bytes	= backed_used_bytes,
	.destroy	= backed_destroy,
};

bool vswap_tier_is_backed(struct vswap_tier *tier)
{
	return tier->ops == &vswap_backed_ops;
}

/**
 * vswap_tier_backed_create - open a block device as a backing tier
 * @dev: the vswap device
 * @id: the tier id (VSWAP_TIER_BACKED_FIRST..VSWAP_MAX_TIERS - 1)
 * @path: the block device
 * @class: enum vswap_tier_class
 * @err_stage: on failure, 0 if the device could not be opened, 1 if it
 *	is not usable as a tier, 2 if memory ran out
 *
 * The device is opened exclusively: while the tier exists nobody can
 * mount it, swap on it or add it to another tier.
 */
struct vswap_tier *vswap_tier_backed_create(struct vswap_dev *dev,
					    unsigned int id, const char *path,
					    u32 class, int *err_stage)
{
	struct vswap_backed_tier *bt;
	struct block_device *bdev;
	u64 bytes;
	int ret;

	*err_stage = 2;
	bt = kzalloc(sizeof(*bt), GFP_KERNEL);
	if (!bt)
		return ERR_PTR(-ENOMEM);
	/* The tier is the holder: the same device twice is refused too. */
	*err_stage = 0;
	bdev = vswap_bdev_open(path, bt, &bt->bdev_handle);
	if (IS_ERR(bdev)) {
		kfree(bt);
		return ERR_CAST(bdev);
	}
	*err_stage = 1;
	ret = -EINVAL;
	/* No tier on a vswap device: its writes could come back to us. */
	if (bdev->bd_disk->major == dev->disk->major)
		goto out_put;
	if (bdev_logical_block_size(bdev) > PAGE_SIZE)
		goto out_put;
	/* Slots are rewritten in place: no sequential-write-only zones. */
	if (bdev_is_zoned(bdev))
		goto out_put;
	bytes = round_down(bdev_nr_bytes(bdev), PAGE_SIZE);
	ret = -ENOSPC;
	if (bytes < VSWAP_MIN_SIZE)
		goto out_put;
	ret = -EROFS;
	if (bdev_read_only(bdev))
		goto out_put;

	*err_stage = 2;
	bytes = (u64)vswap_policy_backed_slots(bytes >> PAGE_SHIFT,
					       dev->space.table.nr_slots) << PAGE_SHIFT;
	ret = vswap_balloc_init(&bt->alloc, bytes >> PAGE_SHIFT);
	if (ret)
		goto out_put;
	vswap_tier_init(&bt->tier, &dev->space, &vswap_backed_ops, id,
			kbasename(path));
	bt->bdev = bdev;
	bt->class = class;
	bt->capacity = bytes;
	strscpy(bt->path, path, sizeof(bt->path));
	return &bt->tier;

out_put:
	vswap_bdev_close(bt->bdev_handle);
	kfree(bt);
	return ERR_PTR(ret);
}

u32 vswap_tier_backed_class(struct vswap_tier *tier)
{
	return to_backed(tier)->class;
}

const char *vswap_tier_backed_path(struct vswap_tier *tier)
{
	return to_backed(tier)->path;
}

u64 vswap_tier_backed_capacity(struct vswap_tier *tier)
{
	return to_backed(tier)->capacity;
}

struct block_device *vswap_tier_backed_bdev(struct vswap_tier *tier)
{
	return to_backed(tier)->bdev;
}

/* Whole slots the tier can still take: free on the device, within its limit. */
u64 vswap_tier_backed_room(struct vswap_tier *tier)
{
	struct vswap_backed_tier *bt = to_backed(tier);
	u64 limit = READ_ONCE(tier->conf.limit);
	u64 used = vswap_balloc_used(&bt->alloc);
	u64 room = bt->alloc.nr_slots - used;

	if (limit) {
		used <<= PAGE_SHIFT;
		room = min(room, limit > used ? (limit - used) >> PAGE_SHIFT : 0);
	}
	return room;
}

/*
 * Allocate a run of up to @want slots for new data, within the tier's
 * limit.  Returns the run length, 0 if the tier is full.
 */
unsigned int vswap_tier_backed_get(struct vswap_tier *tier, unsigned int want,
				   unsigned long *bslot)
{
	want = min_t(u64, want, vswap_tier_backed_room(tier));
	if (!want)
		return 0;
	return vswap_balloc_get(&to_backed(tier)->alloc, want, bslot);
}

/* Give back slots that never held committed data. */
void vswap_tier_backed_put(struct vswap_tier *tier, unsigned long bslot,
			   unsigned int nr)
{
	vswap_balloc_put(&to_backed(tier)->alloc, bslot, nr);
}

/* @nr slots now hold data: account them (release() undoes one each). */
void vswap_tier_backed_stored(struct vswap_tier *tier, unsigned int nr)
{
	atomic64_add(nr, &tier->stats.pages);
	atomic64_add((u64)nr * PAGE_SIZE, &tier->stats.orig_bytes);
	atomic64_add((u64)nr * PAGE_SIZE, &tier->stats.payload_bytes);
	vswap_tier_check_wmark(tier);
}

/*
 * Count the outcome (@err: 0 or a negative errno) of a bio of @pages
 * slots on a backing tier.  Errors
 * are reported as events; after VSWAP_DEGRADE_ERRORS in a row the tier
 * is degraded and takes no new slots.  Any context.
 */
void vswap_tier_backed_io_result(struct vswap_dev *dev,
				 struct vswap_tier *tier, enum vswap_io_dir dir,
				 int err, unsigned int pages)
{
	struct vswap_backed_tier *bt = to_backed(tier);
	struct vswap_tier_stats *st = &tier->stats;

	if (!err) {
		atomic64_add(pages, dir == VSWAP_IO_READ ? &st->reads :
							   &st->writes);
		atomic_set(&bt->consecutive_errors, 0);
		return;
	}
	atomic64_add(pages, dir == VSWAP_IO_READ ? &st->failed_reads :
						   &st->failed_writes);
	atomic64_inc(&st->io_errors);
	vswap_events_io_error(dev, dir, err);
	/* >=: errors that went on while it drained count too. */
	if (atomic_inc_return(&bt->consecutive_errors) >= VSWAP_DEGRADE_ERRORS &&
	    atomic_cmpxchg(&tier->state, VSWAP_TIER_RUN_ACTIVE,
			   VSWAP_TIER_RUN_DEGRADED) == VSWAP_TIER_RUN_ACTIVE) {
		pr_warn("vswap%d: tier %s degraded after %d I/O errors in a row\n",
			dev->id, bt->path, VSWAP_DEGRADE_ERRORS);
		vswap_tier_backed_update_spill(dev);
		vswap_events_tier_degraded(dev, tier, err);
	}
}

/* The tier is set active again: count errors in a row from zero. */
void vswap_tier_backed_reset_errors(struct vswap_tier *tier)
{
	atomic_set(&to_backed(tier)->consecutive_errors, 0);
}

/* Active (not draining, not degraded) and below its limit. */
bool vswap_tier_takes_slots(struct vswap_tier *tier)
{
	if (atomic_read(&tier->state) != VSWAP_TIER_RUN_ACTIVE)
		return false;
	if (vswap_tier_full(tier))
		return false;
	if (vswap_tier_is_backed(tier))
		return vswap_tier_backed_room(tier) > 0;
	return true;
}

/* Free room of a tier for a drain's estimate, in pages. */
u64 vswap_tier_room_pages(struct vswap_tier *tier)
{
	u64 limit = READ_ONCE(tier->conf.limit);
	u64 used = tier->ops->used_bytes(tier);

	if (!vswap_tier_takes_slots(tier))
		return 0;
	if (vswap_tier_is_backed(tier))
		return vswap_tier_backed_room(tier);
	/* RAM: pages may compress; count them raw, to be safe. */
	if (!limit)
		return U64_MAX;
	return limit > used ? (limit - used) >> PAGE_SHIFT : 0;
}

/*
 * Count the backing tiers the RAM tier may spill to.  Any context.  The
 * count and its store are one step under the lock: otherwise a degrade
 * in interrupt context racing a tier add could store a stale count last.
 */
void vswap_tier_backed_update_spill(struct vswap_dev *dev)
{
	static DEFINE_SPINLOCK(spill_lock);
	struct vswap_space *s = &dev->space;
	struct vswap_tier *ram;
	unsigned int i, n = 0;
	unsigned long flags;

	spin_lock_irqsave(&spill_lock, flags);
	rcu_read_lock();
	for (i = VSWAP_TIER_BACKED_FIRST; i < READ_ONCE(s->nr_tiers); i++) {
		struct vswap_tier *tier = READ_ONCE(s->tiers[i]);

		if (tier && atomic_read(&tier->state) == VSWAP_TIER_RUN_ACTIVE)
			n++;
	}
	ram = READ_ONCE(s->tiers[VSWAP_TIER_RAM]);
	rcu_read_unlock();
	atomic_set(&s->nr_spill, n);
	/* With somewhere to spill to, RAM gets a default cap. */
	if (ram)
		vswap_tier_set_auto_limit(ram, n ? (u64)totalram_pages() *
					  VSWAP_RAM_AUTO_PERCENT / 100 << PAGE_SHIFT : 0);
	spin_unlock_irqrestore(&spill_lock, flags);
}

/* The first backing tier with room for new data; see vswap_policy_pick(). */
struct vswap_tier *vswap_tier_backed_pick(struct vswap_dev *dev,
					  struct vswap_tier *skip,
					  unsigned int after_prio, bool any)
{
	return vswap_policy_pick(&dev->space, skip, after_prio, any,
				 vswap_tier_takes_slots);
}
