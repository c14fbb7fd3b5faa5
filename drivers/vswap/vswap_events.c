// SPDX-License-Identifier: GPL-2.0
/*
 * Events raised on the I/O path: watermark crossings of a tier and I/O
 * errors.  They happen where nothing may sleep (a slot free notification
 * runs under the swap layer's spinlock, a release under the slot bit
 * lock), so the I/O path only updates atomic state and kicks a work item;
 * the work item builds the netlink messages with GFP_KERNEL.
 *
 * Watermarks: one event per crossing (the tier's wmark state changes
 * with cmpxchg, so racing stores report once).  I/O errors: counted, and
 * reported at most once a second per direction and device, with the
 * number of errors since the last event and the last errno.
 */
#include <linux/jiffies.h>
#include "vswap_dev.h"

#define VSWAP_IO_ERROR_INTERVAL	HZ

static struct vswap_dev *tier_dev(struct vswap_tier *tier)
{
	return container_of(tier->space, struct vswap_dev, space);
}

/* vswap_space.wmark_notify: any context. */
static void vswap_events_wmark(struct vswap_tier *tier, bool high)
{
	struct vswap_events *ev = &tier_dev(tier)->events;
	int from = high ? VSWAP_WMARK_BELOW : VSWAP_WMARK_ABOVE;
	int to = high ? VSWAP_WMARK_ABOVE : VSWAP_WMARK_BELOW;

	if (atomic_cmpxchg(&tier->wmark, from, to) != from)
		return;
	set_bit(2 * tier->id + !high, ev->wmark);
	/* Now, even if the work waits out the I/O error interval. */
	mod_delayed_work(system_wq, &ev->work, 0);
	/* Above the high watermark: demotion makes room. */
	if (high)
		vswap_engine_kick(tier_dev(tier));
}

/* A failed read or write (@err < 0): any context. */
void vswap_events_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
			   int err)
{
	struct vswap_io_errors *io = &dev->events.io[dir];

	WRITE_ONCE(io->last_errno, -err);
	atomic64_inc(&io->count);
	/* No-op while queued: a pending interval is kept. */
	queue_delayed_work(system_wq, &dev->events.work, 0);
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
			vswap_nl_notify_wmark(dev, id, name, false);
			vswap_nl_notify_wmark(dev, id, name, true);
		} else if (high && low) {
			vswap_nl_notify_wmark(dev, id, name, true);
			vswap_nl_notify_wmark(dev, id, name, false);
		} else {
			vswap_nl_notify_wmark(dev, id, name, high);
		}
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
	vswap_nl_notify_io_error(dev, dir, READ_ONCE(io->last_errno), count);
	return 0;
}

static void vswap_events_work(struct work_struct *work)
{
	struct vswap_dev *dev = container_of(to_delayed_work(work),
					     struct vswap_dev, events.work);
	unsigned long wait = 0;
	enum vswap_io_dir dir;

	vswap_events_send_wmarks(dev);
	for (dir = 0; dir < VSWAP_IO_DIRS; dir++) {
		unsigned long w = vswap_events_send_io(dev, dir);

		if (w && (!wait || w < wait))
			wait = w;
	}
	if (wait)
		queue_delayed_work(system_wq, &dev->events.work, wait);
}

/* After vswap_space_init(): from now on the space reports crossings. */
void vswap_events_init(struct vswap_dev *dev)
{
	INIT_DELAYED_WORK(&dev->events.work, vswap_events_work);
	WRITE_ONCE(dev->space.wmark_notify, vswap_events_wmark);
}

/* A removed tier (freed, past a grace period): drop what it raised. */
void vswap_events_tier_gone(struct vswap_dev *dev, unsigned int id)
{
	clear_bit(2 * id, dev->events.wmark);
	clear_bit(2 * id + 1, dev->events.wmark);
}

/*
 * Teardown, after the last I/O (del_gendisk()) and before the space is
 * destroyed: no more events, none pending.
 */
void vswap_events_stop(struct vswap_dev *dev)
{
	WRITE_ONCE(dev->space.wmark_notify, NULL);
	cancel_delayed_work_sync(&dev->events.work);
}
