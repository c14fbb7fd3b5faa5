// SPDX-License-Identifier: GPL-2.0
/*
 * The migration engine: a per-device work item that ages slots and moves
 * them between tiers while the device stays in use.
 *
 * - Aging: every age_interval seconds a pass over the allocated clusters
 *   raises each slot's 2-bit age; a read or write makes it young again.
 *   An idle filter of S seconds selects slots of age >= S / interval + 1
 *   (at most 3): idle times are resolved to the aging interval.
 * - Demotion: when the RAM tier passes its high watermark (the I/O path
 *   kicks the engine), its coldest slots move to the first backing tier
 *   below it until usage is under the low watermark; a tier with an idle
 *   age moves slots idle that long to the next tier down.
 * - Promotion (promote=1): slots read recently (age 0) on a backing
 *   tier move back to RAM while RAM is under its low watermark.  Off by
 *   default: swap-in frees the slot it reads, so there is rarely
 *   anything worth bringing back (see tests/bench).
 * - Jobs: a manual migration (from, to, idle filter, byte limit) makes
 *   one pass over the device; a drain moves every slot off a tier, down
 *   the hierarchy where there is room and up otherwise, then removes it.
 *   A drain that ends without removing the tier (cancelled, no room, a
 *   target that keeps refusing) gives the tier back the state it had
 *   before; one stuck on slots it cannot read leaves a backing tier
 *   degraded.  Either is a tier-state event.
 *
 * Moving a batch of up to VSWAP_BATCH slots: read them (under the slot
 * lock from RAM; with one bio per contiguous run from a backing tier),
 * write them to the target (one bio per contiguous run of newly
 * allocated slots), then switch each descriptor under its slot lock only
 * if it still holds the data that was read, and still carries the mark
 * (VSWAP_DESC_MIG) set when it was collected: a value alone can come back
 * (a freed handle or backing slot reused by a new store).  A slot overwritten,
 * discarded or freed meanwhile keeps what the I/O path put there, and
 * the engine frees its own new copy instead: the old copy was freed by
 * whoever replaced it, exactly once.  Old copies on a backing tier are
 * freed after the read epoch turned (vswap_epoch_wait(), vswap_io.c).
 *
 * Writes by demotion are rate limited (demote_rate MiB/s) and capped by
 * a write budget (write_budget MiB per hour and device): flash wears.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/sched/mm.h>
#include <linux/vswap.h>
#include "vswap_dev.h"
#include "vswap_extack.h"
#include "vswap_policy.h"

static unsigned int age_interval = 10;
module_param(age_interval, uint, 0644);
MODULE_PARM_DESC(age_interval, "Seconds between aging passes (1..3600), the resolution of idle ages");

static unsigned int demote_rate = 256;
module_param(demote_rate, uint, 0644);
MODULE_PARM_DESC(demote_rate, "Demotion write rate limit per device, MiB/s (0 = no limit)");

static unsigned int write_budget;
module_param(write_budget, uint, 0644);
MODULE_PARM_DESC(write_budget, "Demotion writes allowed per device and hour, MiB (0 = no limit)");

static bool promote;
module_param(promote, bool, 0644);
MODULE_PARM_DESC(promote, "Move recently read slots from backing tiers back to RAM when it has room");

/* Batches per run of the work item before it yields. */
#define VSWAP_ENGINE_BATCHES	16
#define VSWAP_PROGRESS_INTERVAL	HZ
/* Drain passes that found nothing to move before it gives up. */
#define VSWAP_DRAIN_STUCK	10
#define VSWAP_DRAIN_RETRY	(HZ / 10)
/*
 * A drain target that refuses a whole batch (RAM full of what does not
 * compress) is tried again after a back-off from HZ / 10 doubling to 2 s,
 * not at once: every try reads a batch.  After this many refusals in a
 * row (about 17 s) the drain fails with ENOSPC.
 */
#define VSWAP_DRAIN_BACKOFF_MIN	(HZ / 10)
#define VSWAP_DRAIN_BACKOFF_MAX	(2 * HZ)
#define VSWAP_DRAIN_REFUSED	12

static struct vswap_dev *engine_dev(struct vswap_engine *e)
{
	return container_of(e, struct vswap_dev, engine);
}

static unsigned long engine_interval(void)
{
	return clamp(READ_ONCE(age_interval), 1U, 3600U) * HZ;
}

static unsigned int idle_to_age(u32 idle)
{
	return vswap_idle_to_age(idle, clamp(READ_ONCE(age_interval), 1U, 3600U));
}

static bool tier_lower(struct vswap_tier *a, struct vswap_tier *b)
{
	return READ_ONCE(a->conf.priority) > READ_ONCE(b->conf.priority);
}

/* ------------------------------------------------------------------ */
/* Aging */

static void engine_age(struct vswap_dev *dev)
{
	struct vswap_table *t = &dev->space.table;
	unsigned long c, i;

	for (c = 0; c < t->nr_clusters; c++) {
		if (!vswap_table_cluster_used(t, c))
			continue;
		for (i = 0; i < VSWAP_CLUSTER_SLOTS; i++) {
			unsigned long slot = c * VSWAP_CLUSTER_SLOTS + i;
			unsigned long *desc;

			if (slot >= t->nr_slots)
				break;
			desc = vswap_slot_lock(t, slot);
			if (desc && vswap_desc_type(*desc) != VSWAP_EMPTY &&
			    vswap_desc_age(*desc) < VSWAP_AGE_MAX)
				WRITE_ONCE(*desc, *desc +
					   FIELD_PREP(VSWAP_DESC_AGE, 1));
			vswap_slot_unlock(t, desc);
		}
		cond_resched();
	}
}

/* ------------------------------------------------------------------ */
/* Moving a batch */

/* Drop the entries whose new[] is 0 (or old[] for @by_old). */
static unsigned int engine_compact(struct vswap_engine *e, unsigned int n,
				   bool by_old)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		if (!(by_old ? e->old[i] : e->new[i]))
			continue;
		if (i != k) {
			swap(e->pages[i], e->pages[k]);
			e->slots[k] = e->slots[i];
			e->old[k] = e->old[i];
			e->new[k] = e->new[i];
		}
		k++;
	}
	return k;
}

/*
 * Collect up to @max slots on @from of age @min_age or more, starting at
 * *@cursor; RAM data is loaded into the batch pages right away.  Sets
 * *@end when the scan reached the end of the device (the cursor wraps).
 */
static unsigned int engine_collect(struct vswap_dev *dev,
				   struct vswap_tier *from,
				   unsigned int min_age, unsigned int max,
				   unsigned long *cursor, bool *end)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_space *s = &dev->space;
	struct vswap_table *t = &s->table;
	unsigned long slot = *cursor;
	bool backed = vswap_tier_is_backed(from);
	unsigned int n = 0;

	*end = false;
	while (n < max) {
		unsigned long *desc;

		if (slot >= t->nr_slots) {
			*end = true;
			slot = 0;
			break;
		}
		if (!(slot & (VSWAP_CLUSTER_SLOTS - 1))) {
			cond_resched();
			if (!vswap_table_cluster_used(t, slot >> VSWAP_CLUSTER_SHIFT)) {
				slot += VSWAP_CLUSTER_SLOTS;
				continue;
			}
		}
		desc = vswap_slot_lock(t, slot);
		if (desc) {
			unsigned long data = vswap_desc_data(*desc);

			if (vswap_desc_type(data) != VSWAP_EMPTY &&
			    vswap_desc_age(*desc) >= min_age &&
			    vswap_space_desc_tier(s, data) == from) {
				int ret = 0;

				if (!backed) {
					void *addr = kmap_local_page(e->pages[n]);

					ret = from->ops->load(from, data, addr);
					kunmap_local(addr);
				}
				if (!ret) {
					vswap_desc_mark(t, desc);
					e->slots[n] = slot;
					e->old[n] = data;
					e->new[n] = 0;
					n++;
				}
			}
		}
		vswap_slot_unlock(t, desc);
		slot++;
	}
	*cursor = slot;
	return n;
}

/* Read the batch from a backing tier, one bio per contiguous run. */
static unsigned int engine_read(struct vswap_dev *dev, struct vswap_tier *from,
				unsigned int n)
{
	struct vswap_engine *e = &dev->engine;
	unsigned int i = 0, j;

	while (i < n) {
		int ret;

		for (j = i + 1; j < n; j++)
			if (vswap_desc_backed_slot(e->old[j]) !=
			    vswap_desc_backed_slot(e->old[j - 1]) + 1)
				break;
		ret = vswap_io_sync(from, vswap_desc_backed_slot(e->old[i]),
				    &e->pages[i], j - i, REQ_OP_READ);
		if (ret && j - i > 1) {
			/* Find the bad ones: the rest of the run may move. */
			for (; i < j; i++) {
				ret = vswap_io_sync(from,
						    vswap_desc_backed_slot(e->old[i]),
						    &e->pages[i], 1, REQ_OP_READ);
				vswap_tier_backed_io_result(dev, from,
							    VSWAP_IO_READ, ret, 1);
				if (ret)
					e->old[i] = 0;
			}
			continue;
		}
		vswap_tier_backed_io_result(dev, from, VSWAP_IO_READ, ret, j - i);
		if (ret)		/* it stays where it is */
			e->old[i] = 0;
		i = j;
	}
	return engine_compact(e, n, true);
}

/* Write the batch to @to.  Sets *@full when @to ran out of room. */
static unsigned int engine_write(struct vswap_dev *dev, struct vswap_tier *to,
				 unsigned int n, bool *full)
{
	struct vswap_engine *e = &dev->engine;
	unsigned int i = 0, k;

	*full = false;
	if (!vswap_tier_is_backed(to)) {
		for (i = 0; i < n; i++) {
			void *addr = kmap_local_page(e->pages[i]);
			int ret;

			ret = to->ops->store(to, addr, &e->new[i],
					     VSWAP_STORE_NO_SPILL);
			kunmap_local(addr);
			if (ret) {
				e->new[i] = 0;
				*full = true;
				break;
			}
		}
		return engine_compact(e, n, false);
	}
	while (i < n) {
		unsigned long bslot;
		unsigned int got;
		int ret;

		got = vswap_tier_takes_slots(to) ?
		      vswap_tier_backed_get(to, n - i, &bslot) : 0;
		if (!got) {
			*full = true;
			break;
		}
		ret = vswap_io_sync(to, bslot, &e->pages[i], got, REQ_OP_WRITE);
		vswap_tier_backed_io_result(dev, to, VSWAP_IO_WRITE, ret, got);
		if (ret) {
			/* The data stays where it was. */
			vswap_tier_backed_put(to, bslot, got);
			i += got;
			continue;
		}
		for (k = 0; k < got; k++)
			e->new[i + k] = vswap_desc_backed(to->id, bslot + k);
		vswap_tier_backed_stored(to, got);
		i += got;
	}
	return engine_compact(e, n, false);
}

/* Switch the descriptors that still hold what was read; free the rest. */
static unsigned int engine_commit(struct vswap_dev *dev,
				  struct vswap_tier *from,
				  struct vswap_tier *to, unsigned int n)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_table *t = &dev->space.table;
	unsigned int i, moved = 0;

	for (i = 0; i < n; i++) {
		/* Only if nothing replaced it meanwhile (marked at collect). */
		if (vswap_slot_switch(t, e->slots[i], e->old[i], e->new[i])) {
			moved++;
		} else {
			e->old[i] = 0;	/* replaced meanwhile: not ours */
			atomic64_inc(&dev->space.stats.migrate_races);
			to->ops->release(to, e->new[i]);
		}
	}
	/* Reads of the old backing slots may still be in flight. */
	if (moved && vswap_tier_is_backed(from))
		vswap_epoch_wait(dev);
	for (i = 0; i < n; i++)
		if (e->old[i])
			from->ops->release(from, e->old[i]);

	atomic64_add(moved, &from->stats.migrated_out);
	atomic64_add(moved, &to->stats.migrated_in);
	if (tier_lower(to, from)) {
		atomic64_add(moved, &to->stats.demotions);
		if (vswap_tier_is_backed(to))
			atomic64_add((u64)moved << PAGE_SHIFT,
				     &to->stats.budget_used);
	} else {
		atomic64_add(moved, &to->stats.promotions);
	}
	return moved;
}

/*
 * Move up to @max slots of age @min_age or more from @from to @to, from
 * *@cursor on.  Returns the number moved; *@end: the scan reached the end
 * of the device, *@full: @to has no room left.
 */
static unsigned int engine_move(struct vswap_dev *dev, struct vswap_tier *from,
				struct vswap_tier *to, unsigned int min_age,
				unsigned int max, unsigned long *cursor,
				bool *end, bool *full)
{
	unsigned int n;

	*full = false;
	max = min_t(unsigned int, max, VSWAP_BATCH);
	n = engine_collect(dev, from, min_age, max, cursor, end);
	if (n && vswap_tier_is_backed(from))
		n = engine_read(dev, from, n);
	if (n)
		n = engine_write(dev, to, n, full);
	return n ? engine_commit(dev, from, to, n) : 0;
}

/* ------------------------------------------------------------------ */
/* Rate limit and write budget of demotion */

/* Jiffies to wait before demoting more, 0 if it may go on now. */
static unsigned long engine_throttle(struct vswap_engine *e)
{
	return vswap_throttle_wait(&e->throttle, jiffies,
				   (u64)READ_ONCE(demote_rate) << 20,
				   (u64)READ_ONCE(write_budget) << 20, HZ);
}

static void engine_charge(struct vswap_engine *e, struct vswap_tier *to,
			  unsigned int pages)
{
	if (vswap_tier_is_backed(to))
		vswap_throttle_charge(&e->throttle, (u64)pages << PAGE_SHIFT);
}

/* ------------------------------------------------------------------ */
/* Jobs: manual migration and drain */

static void engine_job_end(struct vswap_dev *dev, u32 state, int err)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_job job;

	spin_lock_irq(&e->lock);
	job = e->job;
	e->job.active = false;
	spin_unlock_irq(&e->lock);
	vswap_event_migrate(dev, &job, state, err);
}

/*
 * The drained tier is empty: remove it as tier del would
 * (vswap_dev_tier.c).  Returns false if the control plane is busy (try
 * again soon).
 */
static bool engine_drain_finish(struct vswap_dev *dev, struct vswap_tier *tier)
{
	if (!mutex_trylock(&vswap_config_lock))
		return false;
	/* Not if a write placed before the drain began landed on it. */
	if (!vswap_dev_tier_unlink(dev, tier, NULL)) {
		engine_job_end(dev, VSWAP_MIGRATE_STATE_DONE, 0);
		vswap_dev_tier_release(dev, tier, true);
	}
	mutex_unlock(&vswap_config_lock);
	return true;
}

/*
 * A drain of @tier ended without removing it: the tier goes to run state
 * @to (what it had before the drain, or degraded when what is left
 * cannot be read).  The engine, or the control plane with it paused.
 */
static void engine_drain_end(struct vswap_dev *dev, struct vswap_tier *tier,
			     u32 state, int err, int to)
{
	atomic_cmpxchg(&tier->state, VSWAP_TIER_RUN_DRAINING, to);
	vswap_tier_backed_update_spill(dev);
	engine_job_end(dev, state, err);
	vswap_event_tier_state(dev, tier, err);
}

/* Where a drain of @from sends the next batch: down first, then up. */
static struct vswap_tier *drain_target(struct vswap_dev *dev,
				       struct vswap_tier *from)
{
	return vswap_policy_drain_target(&dev->space, from,
					 vswap_tier_takes_slots);
}

/* Returns the delay before the next run, or 0 to go on at once. */
static unsigned long engine_job(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_space *s = &dev->space;
	struct vswap_tier *from, *to;
	struct vswap_job job;
	unsigned int b;

	spin_lock_irq(&e->lock);
	job = e->job;
	spin_unlock_irq(&e->lock);
	from = s->tiers[job.from];
	to = job.drain ? NULL : s->tiers[job.to];
	if (!from || (!job.drain && !to)) {
		engine_job_end(dev, VSWAP_MIGRATE_STATE_CANCELLED, 0);
		return 0;
	}
	for (b = 0; b < VSWAP_ENGINE_BATCHES; b++) {
		unsigned int want = VSWAP_BATCH, moved;
		bool end, full;

		if (job.drain && !atomic64_read(&from->stats.pages)) {
			if (!engine_drain_finish(dev, from))
				return HZ / 50;
			return 0;
		}
		if (job.drain) {
			to = drain_target(dev, from);
			if (!to) {
				engine_drain_end(dev, from,
						 VSWAP_MIGRATE_STATE_FAILED,
						 ENOSPC, job.prev_state);
				return 0;
			}
		}
		if (job.max_bytes)
			want = min_t(u64, want,
				     (job.max_bytes - job.moved) >> PAGE_SHIFT);
		if (!want) {
			engine_job_end(dev, VSWAP_MIGRATE_STATE_DONE, 0);
			return 0;
		}
		moved = engine_move(dev, from, to, job.min_age, want,
				    &job.cursor, &end, &full);
		job.moved += (u64)moved << PAGE_SHIFT;
		if (moved) {
			job.idle_passes = 0;
			job.refused = 0;
			job.backoff = 0;
		}
		spin_lock_irq(&e->lock);
		e->job.moved = job.moved;
		e->job.cursor = job.cursor;
		e->job.refused = job.refused;
		e->job.backoff = job.backoff;
		spin_unlock_irq(&e->lock);
		if (!job.drain && (end || (full && !moved))) {
			engine_job_end(dev, VSWAP_MIGRATE_STATE_DONE, 0);
			return 0;
		}
		if (job.drain && end && !moved) {
			/* What is left cannot be read, or is still being written. */
			if (++job.idle_passes > VSWAP_DRAIN_STUCK) {
				engine_drain_end(dev, from,
						 VSWAP_MIGRATE_STATE_FAILED, EIO,
						 vswap_tier_is_backed(from) ?
						 VSWAP_TIER_RUN_DEGRADED :
						 job.prev_state);
				return 0;
			}
			spin_lock_irq(&e->lock);
			e->job.idle_passes = job.idle_passes;
			spin_unlock_irq(&e->lock);
			return VSWAP_DRAIN_RETRY;
		}
		if (job.drain && full && !moved) {
			/* Another target, or the same with more room, later. */
			if (++job.refused > VSWAP_DRAIN_REFUSED) {
				engine_drain_end(dev, from,
						 VSWAP_MIGRATE_STATE_FAILED,
						 ENOSPC, job.prev_state);
				return 0;
			}
			job.backoff = vswap_policy_backoff(job.backoff,
							   VSWAP_DRAIN_BACKOFF_MIN,
							   VSWAP_DRAIN_BACKOFF_MAX);
			spin_lock_irq(&e->lock);
			e->job.refused = job.refused;
			e->job.backoff = job.backoff;
			e->job.idle_passes = job.idle_passes;
			spin_unlock_irq(&e->lock);
			return job.backoff;
		}
	}
	spin_lock_irq(&e->lock);
	e->job.idle_passes = job.idle_passes;
	spin_unlock_irq(&e->lock);
	if (time_after_eq(jiffies, job.last_ntf + VSWAP_PROGRESS_INTERVAL)) {
		spin_lock_irq(&e->lock);
		e->job.last_ntf = jiffies;
		job = e->job;
		spin_unlock_irq(&e->lock);
		vswap_event_migrate(dev, &job, VSWAP_MIGRATE_STATE_RUNNING, 0);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Policy: watermarks, idle ages, promotion */

/* Move slots of @from of @min_age or more down to the next tier. */
static bool engine_demote_from(struct vswap_dev *dev, struct vswap_tier *from,
			       unsigned int min_age, u64 stop_below,
			       unsigned long *cursor, unsigned int *batches)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_tier *to;
	bool end = false, full;

	to = vswap_tier_backed_pick(dev, from, READ_ONCE(from->conf.priority),
				    false);
	if (!to)
		return true;
	while (*batches && !end) {
		unsigned int moved;

		if (stop_below && from->ops->used_bytes(from) < stop_below)
			return true;
		if (engine_throttle(e))
			return false;
		moved = engine_move(dev, from, to, min_age, VSWAP_BATCH, cursor,
				    &end, &full);
		engine_charge(e, to, moved);
		(*batches)--;
		if (full && !moved)
			return true;
	}
	return end;
}

/*
 * The standing policy.  Returns the delay before the next run: 0 while
 * there is more to do, the aging interval when idle, longer when the
 * rate limit or budget holds demotion back.
 */
static unsigned long engine_policy(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;
	struct vswap_space *s = &dev->space;
	struct vswap_tier *ram = s->tiers[VSWAP_TIER_RAM];
	unsigned int batches = VSWAP_ENGINE_BATCHES, i;
	unsigned long wait;

	/* Watermarks: coldest first, down to the low mark. */
	if (ram && atomic_read(&s->nr_spill) &&
	    (vswap_tier_above_high(ram) ||
	     (atomic_read(&ram->wmark) == VSWAP_WMARK_ABOVE &&
	      ram->ops->used_bytes(ram) > vswap_tier_low_bytes(ram)))) {
		while (batches) {
			if (!engine_demote_from(dev, ram, e->demote_age,
						vswap_tier_low_bytes(ram),
						&e->demote_cursor, &batches)) {
				if (!batches)
					return 0;
				goto throttled;
			}
			/*
			 * A pass at this age is done.  Slots touched since
			 * the last aging pass (age 0) go only when RAM is
			 * at its limit: they are the likeliest to come back.
			 */
			if (ram->ops->used_bytes(ram) < vswap_tier_low_bytes(ram) ||
			    e->demote_age <= !vswap_tier_full(ram))
				break;
			e->demote_age--;
		}
		if (!batches)
			return 0;
	}
	e->demote_age = VSWAP_AGE_MAX;

	/* Idle ages: one pass per aging interval. */
	for (i = VSWAP_TIER_RAM; e->idle_pending && i < s->nr_tiers; i++) {
		struct vswap_tier *tier = s->tiers[i];
		u32 idle;

		if (!tier || !(e->idle_pending & BIT(i)))
			continue;
		idle = READ_ONCE(tier->conf.idle_age);
		if (idle && !engine_demote_from(dev, tier, idle_to_age(idle), 0,
						&e->idle_cursor[i], &batches)) {
			if (!batches)
				return 0;
			goto throttled;
		}
		e->idle_pending &= ~BIT(i);
		e->idle_cursor[i] = 0;
	}

	/* Promotion of recently read slots, while RAM has room. */
	for (i = VSWAP_TIER_BACKED_FIRST; READ_ONCE(promote) && ram &&
	     e->promote_pending && i < s->nr_tiers; i++) {
		struct vswap_tier *tier = s->tiers[i];
		bool end = false, full = false;

		if (!tier)
			continue;
		while (batches && !end && !full &&
		       (!vswap_tier_low_bytes(ram) ||
			ram->ops->used_bytes(ram) < vswap_tier_low_bytes(ram))) {
			engine_move(dev, tier, ram, 0, VSWAP_BATCH,
				    &e->promote_cursor, &end, &full);
			batches--;
		}
		if (!batches)
			return 0;
	}
	e->promote_pending = false;
	return engine_interval();

throttled:
	wait = engine_throttle(e);
	return wait ? wait : 1;
}

/* ------------------------------------------------------------------ */
/* The work item */

static void vswap_engine_work(struct work_struct *work)
{
	struct vswap_engine *e = container_of(to_delayed_work(work),
					      struct vswap_engine, work);
	struct vswap_dev *dev = engine_dev(e);
	unsigned long delay, next_age;
	unsigned int noio;
	bool job;

	spin_lock_irq(&e->lock);
	if (e->stopped || e->paused) {
		spin_unlock_irq(&e->lock);
		return;
	}
	job = e->job.active;
	spin_unlock_irq(&e->lock);

	/* The engine must not recurse into reclaim that swaps to us. */
	noio = memalloc_noio_save();
	if (time_after_eq(jiffies, e->last_age + engine_interval())) {
		engine_age(dev);
		e->last_age = jiffies;
		e->idle_pending = GENMASK(VSWAP_MAX_TIERS - 1, 0);
		e->promote_pending = true;
	}
	delay = job ? engine_job(dev) : engine_policy(dev);
	memalloc_noio_restore(noio);

	/* Without backing tiers there is nothing to age for. */
	if (!job && dev->space.nr_tiers <= VSWAP_TIER_BACKED_FIRST)
		return;
	next_age = e->last_age + engine_interval() - jiffies;
	if (time_after(jiffies, e->last_age + engine_interval()))
		next_age = 0;
	delay = min(delay, next_age);
	spin_lock_irq(&e->lock);
	if (!e->stopped && !e->paused)
		queue_delayed_work(e->wq, &e->work, delay);
	spin_unlock_irq(&e->lock);
}

/* Run the engine now.  Any context. */
void vswap_engine_kick(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;
	unsigned long flags;

	spin_lock_irqsave(&e->lock, flags);
	if (e->wq && !e->stopped && !e->paused)
		mod_delayed_work(e->wq, &e->work, 0);
	spin_unlock_irqrestore(&e->lock, flags);
}

/*
 * vswap_space.wmark_notify: any context.  A crossing is an event; above
 * the high watermark, demotion makes room.
 */
static void engine_wmark_notify(struct vswap_tier *tier, bool high)
{
	struct vswap_dev *dev = container_of(tier->space, struct vswap_dev,
					     space);

	if (vswap_events_wmark(dev, tier, high) && high)
		vswap_engine_kick(dev);
}

/* Control plane: hold the engine off while tiers change. */
void vswap_engine_pause(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;

	lockdep_assert_held(&vswap_config_lock);
	spin_lock_irq(&e->lock);
	e->paused++;
	spin_unlock_irq(&e->lock);
	cancel_delayed_work_sync(&e->work);
}

void vswap_engine_resume(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;

	lockdep_assert_held(&vswap_config_lock);
	spin_lock_irq(&e->lock);
	e->paused--;
	spin_unlock_irq(&e->lock);
	vswap_engine_kick(dev);
}

/* Whether a running job moves slots from or to tier @id. */
bool vswap_engine_uses(struct vswap_dev *dev, unsigned int id)
{
	struct vswap_engine *e = &dev->engine;
	bool ret;

	spin_lock_irq(&e->lock);
	ret = e->job.active && (e->job.from == id ||
				(!e->job.drain && e->job.to == id));
	spin_unlock_irq(&e->lock);
	return ret;
}

static int engine_job_start(struct vswap_dev *dev, const struct vswap_job *job,
			    struct netlink_ext_ack *extack)
{
	struct vswap_engine *e = &dev->engine;
	int ret = 0;

	spin_lock_irq(&e->lock);
	if (e->job.active) {
		vswap_errmsgf(extack, NULL,
			      "vswap%d is busy with a %s of tier %u; wait for it to end",
			      dev->id, e->job.drain ? "drain" : "migration",
			      e->job.from);
		ret = -EBUSY;
	} else {
		e->job = *job;
		e->job.active = true;
		e->job.last_ntf = jiffies;
	}
	spin_unlock_irq(&e->lock);
	if (!ret)
		vswap_engine_kick(dev);
	return ret;
}

/**
 * vswap_migrate_start - start moving slots from one tier to another
 * @dev: the device
 * @from: source tier
 * @to: target tier
 * @idle: move only slots idle for longer, seconds (0 = all)
 * @max_bytes: stop after moving this much (0 = no limit)
 * @total_bytes: returns the estimate of what will move
 * @extack: for the reason of a refusal
 *
 * Called under vswap_config_lock.  Progress and the end are reported by
 * VSWAP_CMD_MIGRATE_NTF events.
 */
int vswap_migrate_start(struct vswap_dev *dev, struct vswap_tier *from,
			struct vswap_tier *to, u32 idle, u64 max_bytes,
			u64 *total_bytes, struct netlink_ext_ack *extack)
{
	struct vswap_job job = {
		.from = from->id,
		.to = to->id,
		.min_age = idle_to_age(idle),
		.max_bytes = max_bytes,
	};

	lockdep_assert_held(&vswap_config_lock);
	*total_bytes = 0;
	if (!vswap_tier_is_backed(from) && !vswap_tier_is_backed(to)) {
		NL_SET_ERR_MSG(extack, "a migration moves slots to or from a backing tier");
		return -EOPNOTSUPP;
	}
	if (!vswap_tier_takes_slots(to)) {
		vswap_errmsgf(extack, NULL,
			      "tier %s takes no new slots (full, draining or degraded)",
			      to->name);
		return -ENOSPC;
	}
	job.total = (u64)atomic64_read(&from->stats.pages) << PAGE_SHIFT;
	if (max_bytes)
		job.total = min(job.total, max_bytes);
	*total_bytes = job.total;
	return engine_job_start(dev, &job, extack);
}

/**
 * vswap_engine_drain - move every slot off @tier, then remove it
 * @dev: the device
 * @tier: the tier, holding slots
 * @extack: for the reason of a refusal
 *
 * Under vswap_config_lock.  Refused with -ENOSPC when the other tiers
 * have no room for what it holds.  The tier takes no new slots from now
 * on; the engine removes it when it is empty.
 */
int vswap_engine_drain(struct vswap_dev *dev, struct vswap_tier *tier,
		       struct netlink_ext_ack *extack)
{
	struct vswap_space *s = &dev->space;
	u64 pages = atomic64_read(&tier->stats.pages), room = 0;
	struct vswap_job job = {
		.drain = true,
		.from = tier->id,
		.total = pages << PAGE_SHIFT,
	};
	unsigned int i;
	int ret;

	lockdep_assert_held(&vswap_config_lock);
	for (i = VSWAP_TIER_RAM; i < s->nr_tiers; i++)
		if (s->tiers[i] && s->tiers[i] != tier)
			room = min(U64_MAX - room,
				   vswap_tier_room_pages(s->tiers[i])) + room;
	if (room < pages) {
		vswap_errmsgf(extack, NULL,
			      "the other tiers have room for %llu of the %llu pages of %s",
			      room, pages, tier->name);
		return -ENOSPC;
	}
	/* Draining before the engine sees the job: its end restores this. */
	job.prev_state = atomic_xchg(&tier->state, VSWAP_TIER_RUN_DRAINING);
	vswap_tier_backed_update_spill(dev);
	ret = engine_job_start(dev, &job, extack);
	if (ret) {
		atomic_cmpxchg(&tier->state, VSWAP_TIER_RUN_DRAINING,
			       job.prev_state);
		vswap_tier_backed_update_spill(dev);
	}
	return ret;
}

/**
 * vswap_engine_drain_cancel - end the running drain of @tier, cancelled
 * @dev: the device, its engine paused (no batch in flight: the job
 *	cannot end under us)
 * @tier: the tier being drained
 *
 * Under vswap_config_lock (vswap_dev_cancel_drain()).  The tier goes
 * back to the state it had before the drain.  Returns false, changing
 * nothing, when no drain of @tier runs.
 */
bool vswap_engine_drain_cancel(struct vswap_dev *dev, struct vswap_tier *tier)
{
	struct vswap_engine *e = &dev->engine;
	bool running;
	int prev;

	lockdep_assert_held(&vswap_config_lock);
	spin_lock_irq(&e->lock);
	WARN_ON_ONCE(!e->paused);
	running = e->job.active && e->job.drain && e->job.from == tier->id;
	prev = e->job.prev_state;
	spin_unlock_irq(&e->lock);
	if (running)
		engine_drain_end(dev, tier, VSWAP_MIGRATE_STATE_CANCELLED, 0,
				 prev);
	return running;
}

int vswap_engine_init(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;
	unsigned int i;

	spin_lock_init(&e->lock);
	INIT_DELAYED_WORK(&e->work, vswap_engine_work);
	e->last_age = jiffies;
	vswap_throttle_init(&e->throttle, jiffies);
	e->demote_age = VSWAP_AGE_MAX;
	for (i = 0; i < VSWAP_BATCH; i++) {
		e->pages[i] = alloc_page(GFP_KERNEL);
		if (!e->pages[i])
			goto out_free;
	}
	e->wq = alloc_ordered_workqueue("vswap%d_engine", WQ_MEM_RECLAIM,
					dev->id);
	if (!e->wq)
		goto out_free;
	/* From now on the space reports crossings. */
	WRITE_ONCE(dev->space.wmark_notify, engine_wmark_notify);
	return 0;

out_free:
	for (i = 0; i < VSWAP_BATCH; i++)
		if (e->pages[i])
			__free_page(e->pages[i]);
	return -ENOMEM;
}

/* Device teardown: no I/O, no control plane. */
void vswap_engine_exit(struct vswap_dev *dev)
{
	struct vswap_engine *e = &dev->engine;
	unsigned int i;

	if (!e->wq)
		return;
	WRITE_ONCE(dev->space.wmark_notify, NULL);
	spin_lock_irq(&e->lock);
	e->stopped = true;
	spin_unlock_irq(&e->lock);
	cancel_delayed_work_sync(&e->work);
	destroy_workqueue(e->wq);
	e->wq = NULL;
	for (i = 0; i < VSWAP_BATCH; i++)
		__free_page(e->pages[i]);
}
