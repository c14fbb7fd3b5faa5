/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap block device (kernel only).
 */
#ifndef _VSWAP_DEV_H
#define _VSWAP_DEV_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include "vswap.h"

#define VSWAP_MAX_DEVICES	32
#define VSWAP_MIN_SIZE		SZ_1M
#define VSWAP_MAX_SIZE		(16ULL << 40)	/* 16 TiB: 32 MiB directory */

struct vswap_dev {
	struct list_head node;		/* on vswap_devices, vswap_devices_lock */
	int id;
	u64 size;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	struct vswap_space space;
	struct kobject *kobj;		/* /sys/block/vswapN/vswap */
	struct kobject *tiers_kobj;	/* .../vswap/tiers */
	struct kobject *tier_kobj[VSWAP_MAX_TIERS];
};

int vswap_sysfs_add(struct vswap_dev *dev);
void vswap_sysfs_del(struct vswap_dev *dev);

#endif /* _VSWAP_DEV_H */
