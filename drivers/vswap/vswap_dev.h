/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap block device (kernel only).
 *
 * Locking rules of the control plane
 * ----------------------------------
 * - vswap_config_lock (a mutex) serializes every configuration change and
 *   every read of the configuration: device creation and removal, tier
 *   add, set and remove, and the netlink get and dump handlers (a dump
 *   takes it per callback, never across callbacks).  It protects
 *   vswap_devices[], a device's tier set, its tiers' names and settings
 *   (struct vswap_tier_conf) and the sysfs tier directories.  Helpers
 *   that need it assert it with lockdep.
 * - The I/O path takes no control-plane lock.  A device's tier set, and a
 *   tier's compressor, change only with the queue frozen
 *   (vswap_dev_freeze()), which also holds off ->rw_page: in 6.1
 *   bdev_read_page() and bdev_write_page() enter the queue around it.
 *   Slot free notifications bypass the queue, so they use tiers under
 *   rcu_read_lock() and a removed tier is freed after a grace period.
 *   Settings the I/O path reads (limit, watermarks) change without a
 *   freeze; it reads each on its own with READ_ONCE().
 * - The event work (vswap_events.c) takes no control-plane lock either:
 *   it finds tiers under RCU and copies their names under
 *   dev->name_lock, which every name change also takes.  So teardown,
 *   done under vswap_config_lock, may wait for it.
 * - A device is removed as zram does it: claimed under disk->open_mutex
 *   only while nobody has it open, and vswap_open() fails while it is
 *   claimed, so no open can race the removal.
 * - Lock order: vswap_config_lock -> disk->open_mutex;
 *   vswap_config_lock -> queue freeze -> dev->name_lock.  While the queue
 *   is frozen nothing allocates with I/O reclaim (memalloc_noio_save()):
 *   reclaim could swap to this very device.
 */
#ifndef _VSWAP_DEV_H
#define _VSWAP_DEV_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "vswap.h"

#define VSWAP_MAX_DEVICES	32
#define VSWAP_MIN_SIZE		SZ_1M
#define VSWAP_MAX_SIZE		(16ULL << 40)	/* 16 TiB: 32 MiB directory */

/* I/O operations that report errors, indexes of vswap_events.io. */
enum vswap_io_dir {
	VSWAP_IO_READ,
	VSWAP_IO_WRITE,
	VSWAP_IO_DIRS,
};

/*
 * Events raised on the I/O path (possibly in atomic context) and sent
 * from process context by the work item, at most one I/O error event per
 * direction per second.
 */
struct vswap_io_errors {
	atomic64_t count;		/* errors not reported yet */
	int last_errno;			/* positive */
	unsigned long last_sent;	/* jiffies; work item only */
	bool sent;			/* last_sent is valid; work item only */
};

struct vswap_events {
	struct delayed_work work;
	/* Per tier id: a high (bit 2 * id) or low (2 * id + 1) crossing. */
	DECLARE_BITMAP(wmark, 2 * VSWAP_MAX_TIERS);
	struct vswap_io_errors io[VSWAP_IO_DIRS];
};

/* A tier's sysfs directory; the tier outlives it. */
struct vswap_tier_kobj {
	struct kobject kobj;
	struct vswap_tier *tier;
};

struct vswap_dev {
	int id;
	u64 size;
	bool claim;			/* being removed; disk->open_mutex */
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	struct vswap_space space;
	struct kobject *kobj;		/* /sys/block/vswapN/vswap */
	struct kobject *tiers_kobj;	/* .../vswap/tiers */
	struct vswap_tier_kobj *tier_kobj[VSWAP_MAX_TIERS];
	spinlock_t name_lock;		/* tier names, see above */
	struct vswap_events events;
};

extern struct mutex vswap_config_lock;
extern struct vswap_dev *vswap_devices[VSWAP_MAX_DEVICES];

/* Devices (vswap_main.c) */
struct vswap_dev *vswap_dev_get(unsigned int id);
struct vswap_dev *vswap_dev_add(int id, u64 bytes, const char *algo,
				int level);
int vswap_dev_claim(struct vswap_dev *dev);
void vswap_dev_remove(struct vswap_dev *dev);
bool vswap_dev_in_use(struct vswap_dev *dev);
unsigned int vswap_dev_freeze(struct vswap_dev *dev);
void vswap_dev_unfreeze(struct vswap_dev *dev, unsigned int noio);
const char *vswap_default_algo(int *level);
void vswap_dev_set_tier_name(struct vswap_dev *dev, struct vswap_tier *tier,
			     const char *name);

/* sysfs (vswap_sysfs.c) */
int vswap_sysfs_add(struct vswap_dev *dev);
void vswap_sysfs_del(struct vswap_dev *dev);
struct vswap_tier_kobj *vswap_sysfs_tier_create(struct vswap_dev *dev,
						struct vswap_tier *tier,
						const char *name);
void vswap_sysfs_tier_put(struct vswap_tier_kobj *tk);
void vswap_sysfs_tier_replace(struct vswap_dev *dev,
			      struct vswap_tier_kobj *tk);
void vswap_sysfs_tier_del(struct vswap_dev *dev, unsigned int id);

/* Events (vswap_events.c) */
void vswap_events_init(struct vswap_dev *dev);
void vswap_events_stop(struct vswap_dev *dev);
void vswap_events_tier_gone(struct vswap_dev *dev, unsigned int id);
void vswap_events_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
			   int err);

/* Generic netlink (vswap_netlink.c) */
int vswap_netlink_init(void);
void vswap_netlink_exit(void);
void vswap_nl_notify_dev_add(struct vswap_dev *dev);
void vswap_nl_notify_dev_del(struct vswap_dev *dev);
void vswap_nl_notify_wmark(struct vswap_dev *dev, unsigned int id,
			   const char *name, bool high);
void vswap_nl_notify_io_error(struct vswap_dev *dev, enum vswap_io_dir dir,
			      int err, u64 count);

#endif /* _VSWAP_DEV_H */
