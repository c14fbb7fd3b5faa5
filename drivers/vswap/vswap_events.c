// SPDX-License-Identifier: GPL-2.0
/*
 * The event interface (vswap_events.h): the subscriber, and the events
 * the lower layers emit to it.
 *
 * Events raised on the I/O path: watermark crossings of a tier, I/O
 * errors and a tier degraded by them.  They happen where nothing may
 * sleep (a slot free notification runs under the swap layer's spinlock,
 * a release under the slot bit lock), so the I/O path only updates
 * atomic state and kicks a work item;
 * the work item emits the events, and the subscriber builds its messages
 * with GFP_KERNEL.
 *
 * Watermarks: one event per crossing (the tier's wmark state changes
 * with cmpxchg, so racing stores report once).  I/O errors: counted, and
 * reported at most once a second per direction and device, with the
 * number of errors since the last event and the last errno.
 */
#include <linux/jiffies.h>
#include "vswap_dev.h"

#define VSWAP_IO_ERROR_INTERVAL	HZ

/* Set and cleared only while no device exists: see vswap_events.h. */
static const struct vswap_event_ops *vswap_event_sub;

/* Module init, before the first device.  -EBUSY: one subscriber only. */
int vswap_events_subscribe(const struct vswap_event_ops *ops)
{
	if (WARN_ON_ONCE(vswap_event_sub))
		return -EBUSY;
	WRITE_ONCE(vswap_event_sub, ops);
	return 0;
}

/* Module exit, after the last device. */
void vswap_events_unsubscribe(const struct vswap_event_ops *ops)
{
	WARN_ON_ONCE(vswap_event_sub != ops);
	WRITE_ONCE(vswap_event_sub, NULL);
}

void vswap_event_dev_add(struct vswap_dev *dev)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->dev_add(dev);
}

void vswap_event_dev_del(struct vswap_dev *dev)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->dev_del(dev);
}

void vswap_event_tier_add(struct vswap_dev *dev, struct vswap_tier *tier)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	lockdep_assert_held(&vswap_config_lock);
	if (ops)
		ops->tier_add(dev, tier);
}

void vswap_event_tier_del(struct vswap_dev *dev, struct vswap_tier *tier)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	lockdep_assert_held(&vswap_config_lock);
	if (ops)
		ops->tier_del(dev, tier);
}

void vswap_event_tier_drained(struct vswap_dev *dev, struct vswap_tier *tier)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->tier_drained(dev, tier);
}

void vswap_event_migrate(struct vswap_dev *dev, const struct vswap_job *job,
			 u32 state, int err)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->migrate(dev, job, state, err);
}

static void vswap_event_state(struct vswap_dev *dev, unsigned int id,
			      const char *name, int state, int err)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->tier_state(dev, id, name, state, err);
}

/* Copy a tier's name: renames take dev->name_lock. */
static void vswap_events_tier_name(struct vswap_dev *dev,
				   struct vswap_tier *tier, char *name)
{
	spin_lock(&dev->name_lock);
	memcpy(name, tier->name, VSWAP_TIER_NAME_LEN);
	spin_unlock(&dev->name_lock);
}

/* @tier changed its run state (to what it holds now) for @err (or 0). */
void vswap_event_tier_state(struct vswap_dev *dev, struct vswap_tier *tier,
			    int err)
{
	char name[VSWAP_TIER_NAME_LEN];

	vswap_events_tier_name(dev, tier, name);
	vswap_event_state(dev, tier->id, name, atomic_read(&tier->state), err);
}

static void vswap_event_wmark(struct vswap_dev *dev, unsigned int id,
			      const char *name, bool high)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->wmark(dev, id, name, high);
}

static void vswap_event_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
				 int err, u64 count)
{
	const struct vswap_event_ops *ops = READ_ONCE(vswap_event_sub);

	if (ops)
		ops->io_error(dev, dir, err, count);
}

/*
 * From the device's wmark_notify hook (vswap_migrate.c), any context.
 * Returns true if this call saw the crossing (and reports it).
 */
bool vswap_events_wmark(struct vswap_dev *dev, struct vswap_tier *tier,
			bool high)
{
	struct vswap_events *ev = &dev->events;
	int from = high ? VSWAP_WMARK_BELOW : VSWAP_WMARK_ABOVE;
	int to = high ? VSWAP_WMARK_ABOVE : VSWAP_WMARK_BELOW;

	if (atomic_cmpxchg(&tier->wmark, from, to) != from)
		return false;
	set_bit(2 * tier->id + !high, ev->wmark);
	/* Now, even if the work waits out the I/O error interval. */
	mod_delayed_work(system_unbound_wq, &ev->work, 0);
	return true;
}

/* The I/O path degraded @tier after errors (@err < 0): any context. */
void vswap_events_tier_degraded(struct vswap_dev *dev,
				struct vswap_tier *tier, int err)
{
	struct vswap_events *ev = &dev->events;

	WRITE_ONCE(ev->degraded_err[tier->id], -err);
	set_bit(tier->id, ev->degraded);
	mod_delayed_work(system_unbound_wq, &ev->work, 0);
}

/* A failed read or write (@err < 0): any context. */
void vswap_events_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
			   int err)
{
	struct vswap_io_errors *io = &dev->events.io[dir];

	WRITE_ONCE(io->last_errno, -err);
	atomic64_inc(&io->count);
	/* No-op while queued: a pending interval is kept. */
	queue_delayed_work(system_unbound_wq, &dev->events.work, 0);
}

static void vswap_events_send_wmarks(struct vswap_dev *dev)
{
	struct vswap_events *ev = &dev->events;
	unsigned int id;

	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		bool high = test_and_clear_bit(2 * id, ev->wmark);
		bool low = test_and_clear_bit(2 * id + 1, ev->wmark);
		char name[VSWAP_TIER_NAME_LEN];
		struct vswap_tier *tier;
		bool above = false;

		if (!high && !low)
			continue;
		rcu_read_lock();
		tier = READ_ONCE(dev->space.tiers[id]);
		if (tier) {
			spin_lock(&dev->name_lock);
			memcpy(name, tier->name, sizeof(name));
			spin_unlock(&dev->name_lock);
			above = atomic_read(&tier->wmark) == VSWAP_WMARK_ABOVE;
		}
		rcu_read_unlock();
		if (!tier)
			continue;	/* removed meanwhile */
		/* Both crossed since the last run: the current state is last. */
		if (high && low && above) {
			vswap_event_wmark(dev, id, name, false);
			vswap_event_wmark(dev, id, name, true);
		} else if (high && low) {
			vswap_event_wmark(dev, id, name, true);
			vswap_event_wmark(dev, id, name, false);
		} else {
			vswap_event_wmark(dev, id, name, high);
		}
	}
}

static void vswap_events_send_degraded(struct vswap_dev *dev)
{
	struct vswap_events *ev = &dev->events;
	char name[VSWAP_TIER_NAME_LEN];
	unsigned int id;
	int state = 0;

	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		struct vswap_tier *tier;

		if (!test_and_clear_bit(id, ev->degraded))
			continue;
		rcu_read_lock();
		tier = READ_ONCE(dev->space.tiers[id]);
		if (tier) {
			vswap_events_tier_name(dev, tier, name);
			state = atomic_read(&tier->state);
		}
		rcu_read_unlock();
		/* Gone, or set active again meanwhile: that was its event. */
		if (tier && state == VSWAP_TIER_RUN_DEGRADED)
			vswap_event_state(dev, id, name, state,
					  READ_ONCE(ev->degraded_err[id]));
	}
}

/* Returns the jiffies to wait before the next report is due, or 0. */
static unsigned long vswap_events_send_io(struct vswap_dev *dev,
					  enum vswap_io_dir dir)
{
	struct vswap_io_errors *io = &dev->events.io[dir];
	unsigned long due = io->last_sent + VSWAP_IO_ERROR_INTERVAL;
	u64 count;

	if (!atomic64_read(&io->count))
		return 0;
	if (io->sent && time_before(jiffies, due))
		return due - jiffies;
	count = atomic64_xchg(&io->count, 0);
	io->last_sent = jiffies;
	io->sent = true;
	vswap_event_io_error(dev, dir, READ_ONCE(io->last_errno), count);
	return 0;
}

static void vswap_events_work(struct work_struct *work)
{
	struct vswap_dev *dev = container_of(to_delayed_work(work),
					     struct vswap_dev, events.work);
	unsigned long wait = 0;
	enum vswap_io_dir dir;

	vswap_events_send_wmarks(dev);
	vswap_events_send_degraded(dev);
	for (dir = 0; dir < VSWAP_IO_DIRS; dir++) {
		unsigned long w = vswap_events_send_io(dev, dir);

		if (w && (!wait || w < wait))
			wait = w;
	}
	if (wait)
		queue_delayed_work(system_unbound_wq, &dev->events.work, wait);
}

/* Before the space's wmark_notify hook is set (vswap_engine_init()). */
void vswap_events_init(struct vswap_dev *dev)
{
	INIT_DELAYED_WORK(&dev->events.work, vswap_events_work);
}

/* A removed tier (freed, past a grace period): drop what it raised. */
void vswap_events_tier_gone(struct vswap_dev *dev, unsigned int id)
{
	clear_bit(2 * id, dev->events.wmark);
	clear_bit(2 * id + 1, dev->events.wmark);
	clear_bit(id, dev->events.degraded);
}

/*
 * Teardown, after the last I/O (del_gendisk()) and the engine's end,
 * which cleared the wmark_notify hook: no more events, none pending.
 */
void vswap_events_stop(struct vswap_dev *dev)
{
	cancel_delayed_work_sync(&dev->events.work);
}
