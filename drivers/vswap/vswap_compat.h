/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the lines vswap builds against, in one
 * place: Debian 12's 6.1, 6.12 LTS and the newest Debian kernel.  The .c
 * files call the vswap_* helpers below and carry no version #ifdefs.
 * Versions in between are not tested; each switch names the release that
 * changed the API.
 */
#ifndef _VSWAP_COMPAT_H
#define _VSWAP_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
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

/* 6.0 added GENL_REQ_ATTR_CHECK (it also reports which one is missing). */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[attr])
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
 * vswap_rw_page.c is built only where the method exists (Kbuild).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define VSWAP_HAVE_RW_PAGE	1
int vswap_rw_page(struct block_device *bdev, sector_t sector,
		  struct page *page, enum req_op op);
#define VSWAP_FOPS_RW_PAGE	.rw_page = vswap_rw_page,
#else
#define VSWAP_HAVE_RW_PAGE	0
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

#endif /* _VSWAP_COMPAT_H */
