/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap block device (kernel only).
 *
 * Locking rules of the control plane
 * ----------------------------------
 * - vswap_config_lock (a mutex) serializes every configuration change and
 *   every read of the configuration: device creation and removal, tier
 *   add, set and remove (vswap_dev_tier.c), and the netlink get and dump
 *   handlers (a dump takes it per callback, never across callbacks).  It
 *   protects vswap_devices[], a device's tier set, its tiers' names and
 *   settings (struct vswap_tier_conf) and the sysfs tier directories.
 *   Helpers that need it assert it with lockdep.
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
 * - The migration engine (vswap_migrate.c) reads the tier set without a
 *   lock: the control plane pauses it (vswap_engine_pause(), which waits
 *   for a running pass) around every change that removes a tier or swaps
 *   a compressor.  The engine itself takes vswap_config_lock only with
 *   mutex_trylock(), to remove a drained tier with the steps tier del
 *   takes (vswap_dev_tier_unlink(), vswap_dev_tier_release()), so a
 *   control-plane thread waiting for it under the lock cannot deadlock;
 *   engine->lock (job and pause state) is innermost and taken with
 *   interrupts off.  Removing a tier: vswap_config_lock -> engine paused
 *   (tier del; or the engine's own pass) -> queue freeze.
 * - A tier's run state (tier->state) changes only with atomics: the I/O
 *   path degrades an active backing tier (cmpxchg); under
 *   vswap_config_lock the control plane starts a drain (xchg, keeping
 *   the state it replaced in the job) and sets a tier active; a drain
 *   that ends without removing its tier, in the engine or cancelled by
 *   the control plane with the engine paused, puts back the state from
 *   before the drain (cmpxchg from draining).
 * - Backing-tier I/O: see the read epochs in vswap_io.c.
 */
#ifndef _VSWAP_DEV_H
#define _VSWAP_DEV_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "vswap.h"
#include "vswap_events.h"
#include "vswap_policy.h"

struct netlink_ext_ack;

#define VSWAP_MAX_DEVICES	32
#define VSWAP_MIN_SIZE		SZ_1M
#define VSWAP_MAX_SIZE		(16ULL << 40)	/* 16 TiB: 32 MiB directory */
#define VSWAP_SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)

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
	/* Per tier id: degraded by the I/O path, with this errno. */
	DECLARE_BITMAP(degraded, VSWAP_MAX_TIERS);
	int degraded_err[VSWAP_MAX_TIERS];
	struct vswap_io_errors io[VSWAP_IO_DIRS];
};

/*
 * Reads from backing tiers in flight, in two buckets (a hand-made SRCU
 * whose read side may end in a bio's end_io): the engine frees a backing
 * slot it moved away from only once every read that might still be
 * reading it has completed.  See vswap_io.c.
 */
struct vswap_read_epoch {
	atomic_t readers[2];
	unsigned int seq;		/* engine only; bucket = seq & 1 */
	wait_queue_head_t wq;
};

/* A migration job: manual (vswapctl migrate) or a drain (tier del). */
struct vswap_job {
	bool active;
	bool drain;
	unsigned int from, to;		/* tier ids; drain: to is unused */
	unsigned int min_age;		/* from the idle filter */
	u64 max_bytes;			/* 0 = no limit */
	u64 moved, total;		/* bytes */
	unsigned long cursor;		/* next slot to look at */
	unsigned int idle_passes;	/* full passes that moved nothing */
	unsigned long last_ntf;		/* jiffies of the last progress event */
	/* Drain only */
	int prev_state;			/* tier's run state before the drain */
	unsigned int refused;		/* batches in a row the target refused */
	unsigned long backoff;		/* jiffies waited after the last one */
};

#define VSWAP_BATCH		32	/* pages: one 128 KiB bio */

/*
 * The per-device migration engine (vswap_migrate.c): one delayed work
 * item on the device's ordered workqueue, so it never runs concurrently
 * with itself.  job is set by the control plane under lock; everything
 * else belongs to the work item.
 */
struct vswap_engine {
	struct workqueue_struct *wq;
	struct delayed_work work;
	spinlock_t lock;		/* job */
	struct vswap_job job;
	bool stopped;			/* lock; device going away */
	unsigned int paused;		/* lock; control plane changes tiers */
	unsigned long last_age;		/* jiffies of the last aging pass */
	unsigned long demote_cursor;
	unsigned int demote_age;	/* the age demotion takes now */
	unsigned long idle_pending;	/* tiers whose idle pass is due */
	unsigned long idle_cursor[VSWAP_MAX_TIERS];
	bool promote_pending;
	unsigned long promote_cursor;
	struct vswap_throttle throttle;	/* demotion writes */
	struct page *pages[VSWAP_BATCH];
	unsigned long slots[VSWAP_BATCH];
	unsigned long old[VSWAP_BATCH];
	unsigned long new[VSWAP_BATCH];
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
	struct vswap_read_epoch epoch;
	struct workqueue_struct *io_wq;	/* backing write completions, punts */
	struct work_struct io_done_work;
	struct llist_head io_done;	/* requests for io_done_work */
	struct work_struct io_punt_work;
	struct llist_head io_punt;	/* requests for io_punt_work */
	bool blocking;			/* BLK_MQ_F_BLOCKING; set at creation */
	struct vswap_engine engine;
};

/* Per-request data (blk-mq pdu); see vswap_io.c. */
#define VSWAP_RQ_MAX_PAGES	(SZ_512K >> PAGE_SHIFT)
#define VSWAP_LOC_FAILED	VSWAP_DESC_LOCK	/* never set in a stored desc */

struct vswap_req {
	atomic_t pending;		/* bios in flight, +1 while submitting */
	blk_status_t status;
	int bucket;			/* read epoch entered, or -1 */
	bool backed;			/* a write sent pages to backing tiers */
	unsigned int resume;		/* punted: the page to go on from */
	struct llist_node node;
	/* Writes: the backing slot each page went to, 0 if stored inline. */
	unsigned long loc[VSWAP_RQ_MAX_PAGES];
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
const char *vswap_default_algo(int *level);

/*
 * A device's tiers: rename, add, remove (unlink, release), drain cancel,
 * activate, RAM compressor (vswap_dev_tier.c)
 */
void vswap_dev_set_tier_name(struct vswap_dev *dev, struct vswap_tier *tier,
			     const char *name);
int vswap_dev_add_tier(struct vswap_dev *dev, struct vswap_tier *tier,
		       const char *name, const struct vswap_tier_conf *conf,
		       struct netlink_ext_ack *extack);
int vswap_dev_del_tier(struct vswap_dev *dev, struct vswap_tier *tier,
		       bool drain, struct netlink_ext_ack *extack);
int vswap_dev_tier_unlink(struct vswap_dev *dev, struct vswap_tier *tier,
			  struct netlink_ext_ack *extack);
void vswap_dev_tier_release(struct vswap_dev *dev, struct vswap_tier *tier,
			    bool drained);
int vswap_dev_cancel_drain(struct vswap_dev *dev, struct vswap_tier *tier,
			   struct netlink_ext_ack *extack);
int vswap_dev_may_activate_tier(struct vswap_dev *dev,
				struct vswap_tier *tier,
				struct netlink_ext_ack *extack);
void vswap_dev_activate_tier(struct vswap_dev *dev, struct vswap_tier *tier);
int vswap_dev_set_comp(struct vswap_dev *dev, struct vswap_tier *tier,
		       struct vswap_comp *comp);

/*
 * Backing tiers, and what of any tier depends on them: whether it takes
 * new slots, its room, the spill count, the pick (vswap_tier_backed.c)
 */
struct vswap_tier *vswap_tier_backed_create(struct vswap_dev *dev,
					    unsigned int id, const char *path,
					    u32 class, int *err_stage);
bool vswap_tier_is_backed(struct vswap_tier *tier);
u32 vswap_tier_backed_class(struct vswap_tier *tier);
const char *vswap_tier_backed_path(struct vswap_tier *tier);
u64 vswap_tier_backed_capacity(struct vswap_tier *tier);
u64 vswap_tier_backed_room(struct vswap_tier *tier);
struct block_device *vswap_tier_backed_bdev(struct vswap_tier *tier);
unsigned int vswap_tier_backed_get(struct vswap_tier *tier, unsigned int want,
				   unsigned long *bslot);
void vswap_tier_backed_put(struct vswap_tier *tier, unsigned long bslot,
			   unsigned int nr);
void vswap_tier_backed_stored(struct vswap_tier *tier, unsigned int nr);
void vswap_tier_backed_io_result(struct vswap_dev *dev,
				 struct vswap_tier *tier, enum vswap_io_dir dir,
				 int err, unsigned int pages);
void vswap_tier_backed_reset_errors(struct vswap_tier *tier);
bool vswap_tier_takes_slots(struct vswap_tier *tier);
u64 vswap_tier_room_pages(struct vswap_tier *tier);
void vswap_tier_backed_update_spill(struct vswap_dev *dev);
struct vswap_tier *vswap_tier_backed_pick(struct vswap_dev *dev,
					  struct vswap_tier *skip,
					  unsigned int after_prio, bool any);

/* Request path to backing tiers (vswap_io.c) */
int vswap_io_init(void);
void vswap_io_exit(void);
int vswap_dev_io_init(struct vswap_dev *dev);
void vswap_dev_io_exit(struct vswap_dev *dev);
blk_status_t vswap_io_queue_rq(struct vswap_dev *dev, struct request *rq);
int vswap_read_page(struct vswap_space *s, struct page *page, void *addr,
		    unsigned long slot, unsigned long first, unsigned int nr,
		    unsigned long *remote);
void vswap_read_exclusive(struct vswap_space *s, struct page *page,
			  unsigned long slot, unsigned long first,
			  unsigned int nr);
unsigned int vswap_dev_freeze(struct vswap_dev *dev);
void vswap_dev_unfreeze(struct vswap_dev *dev, unsigned int noio);
int vswap_epoch_enter(struct vswap_dev *dev);
void vswap_epoch_exit(struct vswap_dev *dev, int bucket);
void vswap_epoch_wait(struct vswap_dev *dev);
int vswap_io_sync(struct vswap_tier *tier, unsigned long bslot,
		  struct page **pages, unsigned int nr, enum req_op op);

/* Migration engine (vswap_migrate.c) */
int vswap_engine_init(struct vswap_dev *dev);
void vswap_engine_exit(struct vswap_dev *dev);
void vswap_engine_kick(struct vswap_dev *dev);
void vswap_engine_pause(struct vswap_dev *dev);
void vswap_engine_resume(struct vswap_dev *dev);
bool vswap_engine_uses(struct vswap_dev *dev, unsigned int tier_id);
int vswap_migrate_start(struct vswap_dev *dev, struct vswap_tier *from,
			struct vswap_tier *to, u32 idle, u64 max_bytes,
			u64 *total_bytes, struct netlink_ext_ack *extack);
int vswap_engine_drain(struct vswap_dev *dev, struct vswap_tier *tier,
		       struct netlink_ext_ack *extack);
bool vswap_engine_drain_cancel(struct vswap_dev *dev, struct vswap_tier *tier);

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

/* Generic netlink (vswap_netlink.c) */
int vswap_netlink_init(void);
void vswap_netlink_exit(void);

#endif /* _VSWAP_DEV_H */
