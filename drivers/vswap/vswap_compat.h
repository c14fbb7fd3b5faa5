/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the lines vswap builds against, in one
 * place: Debian 12's 6.1, 6.12 LTS and the newest Debian kernel.  This
 * header has the block layer, generic netlink and workqueue ones, for
 * the kernel-only files (device, request path, backing tiers, netlink);
 * the core's (zsmalloc) are vswap_compat_zs.h, which the unit tests build
 * against too.  The .c files call what these define and carry no version
 * #ifdefs.  Versions in between are not tested; each switch names the
 * release that changed the API, or, where that could not be pinned from
 * the headers of the kernels we build against, is a feature probe run by
 * Kbuild (drivers/vswap/Kbuild, VSWAP_* defines).
 *
 * One style: every shim has a vswap name (vswap_*(), VSWAP_*), a wrapper
 * over whichever kernel API there is; none defines a kernel name the
 * kernel lacks.  A backport under the upstream name hides which calls
 * are shims, cannot be told from the kernel's own when upstream later
 * adds the name with another meaning or type (an enum, as WQ_PERCPU is,
 * escapes #ifndef), and then silently changes meaning or breaks the
 * build.  An API every supported kernel has is called directly
 * (GENL_REQ_ATTR_CHECK, 6.0).
 */
#ifndef _VSWAP_COMPAT_H
#define _VSWAP_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/sched/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/version.h>
#include <net/genetlink.h>

/* --- generic netlink --------------------------------------------------- */

/*
 * 6.2 split the ops (pre_doit gets a genl_split_ops) and moved the parsed
 * dump attributes into an embedded genl_info.  The same release added
 * NL_SET_ERR_MSG_FMT, which serves as the marker.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define vswap_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#define vswap_genl_split_ops	genl_split_ops
#else
#define vswap_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#define vswap_genl_split_ops	genl_ops
#endif

/* --- block device operations ------------------------------------------ */

/*
 * 6.5: ->open takes the gendisk and a blk_mode_t.  VSWAP_DEFINE_OPEN(name,
 * fn) defines the ->open method `name` calling int fn(struct gendisk *).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define VSWAP_DEFINE_OPEN(name, fn)					\
static int name(struct gendisk *disk, blk_mode_t mode)			\
{									\
	return fn(disk);						\
}
#else
#define VSWAP_DEFINE_OPEN(name, fn)					\
static int name(struct block_device *bdev, fmode_t mode)		\
{									\
	return fn(bdev->bd_disk);					\
}
#endif

/*
 * 6.3 removed ->rw_page: every swap page then arrives as a bio, and
 * SWP_SYNCHRONOUS_IO follows the queue's synchronous flag (below).
 * Kbuild makes the cut, once: where the method exists it defines
 * VSWAP_RW_PAGE and builds vswap_rw_page.c.
 */
#ifdef VSWAP_RW_PAGE
int vswap_rw_page(struct block_device *bdev, sector_t sector,
		  struct page *page, enum req_op op);
#define VSWAP_FOPS_RW_PAGE	.rw_page = vswap_rw_page,
#else
#define VSWAP_FOPS_RW_PAGE
#endif

/* 6.14 dropped BLK_MQ_F_SHOULD_MERGE: merging became the default. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define VSWAP_MQ_F_SHOULD_MERGE	BLK_MQ_F_SHOULD_MERGE
#else
#define VSWAP_MQ_F_SHOULD_MERGE	0
#endif

/* --- queue limits -------------------------------------------------------- */

/*
 * Page-sized I/O, discards and write-zeroes of any length, not rotational,
 * no entropy, and stable pages: we compress straight from the page, so it
 * must not change while we do.  Before 6.9 limits were set on the live
 * queue; since 6.11 they, and the feature flags, go to blk_mq_alloc_disk().
 * On 6.11+ the queue is also BLK_FEAT_SYNCHRONOUS when @sync: with
 * ->rw_page gone it is what makes the swap device SWP_SYNCHRONOUS_IO
 * (tests/bench/README.md has the measurements).  Before 6.11 @sync is
 * ignored (6.1: ->rw_page makes the device synchronous).
 */
#define VSWAP_MAX_HW_SECTORS	(SZ_512K >> SECTOR_SHIFT)

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static inline struct gendisk *vswap_alloc_disk(struct blk_mq_tag_set *set,
					       void *queuedata, bool sync)
{
	struct queue_limits lim = {
		.logical_block_size	= PAGE_SIZE,
		.physical_block_size	= PAGE_SIZE,
		.io_min			= PAGE_SIZE,
		.io_opt			= PAGE_SIZE,
		.dma_alignment		= PAGE_SIZE - 1,
		.max_hw_sectors		= VSWAP_MAX_HW_SECTORS,
		.discard_granularity	= PAGE_SIZE,
		.max_hw_discard_sectors	= UINT_MAX,
		.max_write_zeroes_sectors = UINT_MAX,
		.features		= BLK_FEAT_STABLE_WRITES |
					  (sync ? BLK_FEAT_SYNCHRONOUS : 0),
	};

	return blk_mq_alloc_disk(set, &lim, queuedata);
}
#else
static inline struct gendisk *vswap_alloc_disk(struct blk_mq_tag_set *set,
					       void *queuedata, bool sync)
{
	struct gendisk *disk = blk_mq_alloc_disk(set, queuedata);
	struct request_queue *q;

	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	blk_queue_logical_block_size(q, PAGE_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_io_min(q, PAGE_SIZE);
	blk_queue_io_opt(q, PAGE_SIZE);
	blk_queue_dma_alignment(q, PAGE_SIZE - 1);
	blk_queue_max_hw_sectors(q, VSWAP_MAX_HW_SECTORS);
	q->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_discard_sectors(q, UINT_MAX);
	blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	return disk;
}
#endif

/* --- backing devices ----------------------------------------------------- */

/*
 * 6.9 opens a block device as a file (bdev_file_open_by_path), 6.10 closes
 * it with bdev_fput().  *handle is what vswap_bdev_close() takes back.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static inline struct block_device *vswap_bdev_open(const char *path,
						   void *holder, void **handle)
{
	struct file *file = bdev_file_open_by_path(path, BLK_OPEN_READ |
						   BLK_OPEN_WRITE |
						   BLK_OPEN_EXCL, holder, NULL);

	if (IS_ERR(file))
		return ERR_CAST(file);
	*handle = file;
	return file_bdev(file);
}

static inline void vswap_bdev_close(void *handle)
{
	bdev_fput(handle);
}
#else
#define VSWAP_BDEV_MODE	(FMODE_READ | FMODE_WRITE | FMODE_EXCL)

static inline struct block_device *vswap_bdev_open(const char *path,
						   void *holder, void **handle)
{
	struct block_device *bdev = blkdev_get_by_path(path, VSWAP_BDEV_MODE,
						       holder);

	if (!IS_ERR(bdev))
		*handle = bdev;
	return bdev;
}

static inline void vswap_bdev_close(void *handle)
{
	blkdev_put(handle, VSWAP_BDEV_MODE);
}
#endif

/* --- plugs ---------------------------------------------------------------- */

/*
 * Newer kernels (not 6.1) cache the time in the task's plug: PF_BLOCK_TS
 * says current->plug holds one, and the scheduler then resets it through
 * current->plug.  Whoever sets current->plug aside must drop it first.
 */
#ifdef PF_BLOCK_TS
#define vswap_plug_invalidate_ts()	blk_plug_invalidate_ts()
#else
static inline void vswap_plug_invalidate_ts(void) { }
#endif

/* --- workqueues ------------------------------------------------------------ */

/*
 * Newer kernels warn unless a workqueue says WQ_PERCPU or WQ_UNBOUND (the
 * default is to become unbound); stable kernels carry the flag too (6.12.y
 * does, 6.1.y not).  It is an enum, hence the probe: VSWAP_HAVE_WQ_PERCPU.
 */
#ifdef VSWAP_HAVE_WQ_PERCPU
#define VSWAP_WQ_PERCPU		WQ_PERCPU
#else
#define VSWAP_WQ_PERCPU		0
#endif

/* --- queue freeze ---------------------------------------------------------- */

/*
 * Later kernels enter the noio scope inside blk_mq_freeze_queue() and
 * return its flags for blk_mq_unfreeze_queue() (Kbuild probes blk-mq.h
 * for blk_mq_freeze_queue_nomemsave: VSWAP_FREEZE_MEMFLAGS).  Either way
 * no allocation of the caller recurses into I/O while the queue is frozen.
 */
#ifdef VSWAP_FREEZE_MEMFLAGS
static inline unsigned int vswap_freeze_queue(struct request_queue *q)
{
	return blk_mq_freeze_queue(q);
}

static inline void vswap_unfreeze_queue(struct request_queue *q,
					unsigned int memflags)
{
	blk_mq_unfreeze_queue(q, memflags);
}
#else
static inline unsigned int vswap_freeze_queue(struct request_queue *q)
{
	unsigned int memflags = memalloc_noio_save();

	blk_mq_freeze_queue(q);
	return memflags;
}

static inline void vswap_unfreeze_queue(struct request_queue *q,
					unsigned int memflags)
{
	blk_mq_unfreeze_queue(q);
	memalloc_noio_restore(memflags);
}
#endif

/* --- swap cache ------------------------------------------------------------ */

/* 6.6: a swap-cache folio's entry moved from ->private to ->swap. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define vswap_folio_swap_offset(folio)	swp_offset((folio)->swap)
#else
#define vswap_folio_swap_offset(folio)	swp_offset(folio_swap_entry(folio))
#endif

#endif /* _VSWAP_COMPAT_H */
