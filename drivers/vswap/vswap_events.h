/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap events (kernel only): how the core tells the control plane what
 * happened.
 *
 * Layering rule
 * -------------
 * Calls go down, never up:
 *
 *   vswap_netlink.c, vswap_nl_*.c     the generic netlink family
 *   vswap_main.c                      module, block device, device list
 *   vswap_dev_tier.c                  a device's tiers: add, remove, drain
 *   vswap_migrate.c                   the migration engine
 *   vswap_sysfs.c                     statistics
 *   vswap_io.c                        request path, queue freeze
 *   vswap_tier_*.c, vswap_space.c     tiers and placement
 *   vswap_table*.c, vswap_balloc.c,   descriptors, slot allocators,
 *   vswap_policy.c, vswap_comp.c      policies, compressors
 *   vswap_events.c, vswap_extack.c    events, extack messages (leaves)
 *
 * The only calls up are module init and exit (vswap_main.c) setting up
 * and tearing down the family, and the engine removing a drained tier
 * with the two steps of tier removal, vswap_dev_tier_unlink() and
 * vswap_dev_tier_release() (vswap_dev_tier.c), which call only below
 * the engine.  The device's tiers, the table, the space, the tiers, the
 * request path and the engine never call the netlink layer (vswap_nl_*)
 * or the module file; they may take or assert vswap_config_lock, which
 * the module file defines.  What they have to report rises through the one
 * interface below: they emit a typed event, and the subscriber (the
 * netlink layer, which multicasts it to the "events" group) gets a call.
 * A control-plane request they refuse is worded with vswap_errmsgf()
 * (vswap_extack.h) on the caller's extack, which knows nothing of the
 * family either.  (A hook is not a call up: the engine installs the
 * space's wmark_notify, and the space calls it.)
 *
 * Subscription: locking and lifetime
 * ----------------------------------
 * One subscriber at most, held in a plain pointer.  The netlink layer
 * subscribes at module init before the first device exists, and
 * unsubscribes at module exit after the last device is gone and the
 * family is unregistered (so no request can add one).  Every event is
 * emitted on behalf of a live device: under vswap_config_lock (device add
 * and removal, tier add and removal, the removal of a drained tier), or
 * from the device's engine or event work, which its teardown stops.  So
 * no emitter runs while the pointer changes: no RCU, no lock, and no
 * reference (the subscriber is this module).
 *
 * Callbacks run in process context and may sleep (GFP_KERNEL).  Some run
 * under vswap_config_lock, so none may take it.  The device, and the
 * tier of @tier_add, @tier_del and @tier_drained, stay valid for the
 * call.  Every callback is required.
 */
#ifndef _VSWAP_EVENTS_H
#define _VSWAP_EVENTS_H

#include <linux/types.h>

struct vswap_dev;
struct vswap_tier;
struct vswap_job;

/* I/O operations that report errors, indexes of vswap_events.io. */
enum vswap_io_dir {
	VSWAP_IO_READ,
	VSWAP_IO_WRITE,
	VSWAP_IO_DIRS,
};

/**
 * struct vswap_event_ops - what a subscriber is told
 * @dev_add: a device was created (under vswap_config_lock)
 * @dev_del: a device is being removed, still whole (under vswap_config_lock)
 * @tier_add: @tier was added and published (under vswap_config_lock)
 * @tier_del: tier del unpublished @tier; it is freed after the call
 *	(under vswap_config_lock)
 * @tier_drained: the engine drained @tier and unpublished it; it is freed
 *	after the call (under vswap_config_lock)
 * @migrate: progress (@state VSWAP_MIGRATE_STATE_RUNNING) or end of a
 *	migration or drain; @err a positive errno or 0 (engine)
 * @wmark: tier @id, named @name (a copy: it may be gone), crossed its
 *	high (@high) or low watermark (event work)
 * @io_error: @count I/O errors in @dir since the last call, the last one
 *	@err, a positive errno (event work)
 * @tier_state: tier @id, named @name (a copy), is now in run state
 *	@state (enum vswap_tier_run_state); @err a positive errno (why) or 0
 *	(engine, control plane under vswap_config_lock, or event work)
 */
struct vswap_event_ops {
	void (*dev_add)(struct vswap_dev *dev);
	void (*dev_del)(struct vswap_dev *dev);
	void (*tier_add)(struct vswap_dev *dev, struct vswap_tier *tier);
	void (*tier_del)(struct vswap_dev *dev, struct vswap_tier *tier);
	void (*tier_drained)(struct vswap_dev *dev, struct vswap_tier *tier);
	void (*migrate)(struct vswap_dev *dev, const struct vswap_job *job,
			u32 state, int err);
	void (*wmark)(struct vswap_dev *dev, unsigned int id,
		      const char *name, bool high);
	void (*io_error)(struct vswap_dev *dev, enum vswap_io_dir dir,
			 int err, u64 count);
	void (*tier_state)(struct vswap_dev *dev, unsigned int id,
			   const char *name, int state, int err);
};

int vswap_events_subscribe(const struct vswap_event_ops *ops);
void vswap_events_unsubscribe(const struct vswap_event_ops *ops);

/* Emitters, process context; see vswap_event_ops for each one's rules. */
void vswap_event_dev_add(struct vswap_dev *dev);
void vswap_event_dev_del(struct vswap_dev *dev);
void vswap_event_tier_add(struct vswap_dev *dev, struct vswap_tier *tier);
void vswap_event_tier_del(struct vswap_dev *dev, struct vswap_tier *tier);
void vswap_event_tier_drained(struct vswap_dev *dev, struct vswap_tier *tier);
void vswap_event_migrate(struct vswap_dev *dev, const struct vswap_job *job,
			 u32 state, int err);
void vswap_event_tier_state(struct vswap_dev *dev, struct vswap_tier *tier,
			    int err);

/*
 * Events of the I/O path, which may be in atomic context: recorded, and
 * emitted from the device's event work (vswap_events.c).
 */
void vswap_events_init(struct vswap_dev *dev);
void vswap_events_stop(struct vswap_dev *dev);
void vswap_events_tier_gone(struct vswap_dev *dev, unsigned int id);
bool vswap_events_wmark(struct vswap_dev *dev, struct vswap_tier *tier,
			bool high);
void vswap_events_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
			   int err);
void vswap_events_tier_degraded(struct vswap_dev *dev,
				struct vswap_tier *tier, int err);

#endif /* _VSWAP_EVENTS_H */
