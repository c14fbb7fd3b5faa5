// SPDX-License-Identifier: GPL-2.0
/*
 * vswap: a virtual swap block device with tiered slot placement.
 *
 * Quick start, like zram:  modprobe vswap size=8G [num_devices=N]
 * [comp=lz4|lz4hc|zstd] [level=N], then mkswap + swapon /dev/vswap0.
 *
 * I/O paths: blk-mq (one hardware queue per CPU) for every request,
 * and, before 6.3, ->rw_page for single pages from the swap layer.
 * rw_page is what makes those kernels treat the device as
 * SWP_SYNCHRONOUS_IO; it only ever completes synchronously, and returns
 * an error (making the caller fall back to a bio) for anything it cannot
 * do inline.  From 6.11 the queue's BLK_FEAT_SYNCHRONOUS does that
 * (sync=, off by default), and every swap page arrives as a request.
 *
 * The queue is BLK_MQ_F_BLOCKING by default (blocking=): ->queue_rq
 * sleeps in the compression stream's mutex, GFP_NOIO allocations of
 * zsmalloc and descriptor pages, and bio allocation and submission to
 * backing tiers.  blocking=0 makes it serve zero and RAM slots without
 * sleeping and hand the rest to a worker (vswap_io.c).  Both parameters
 * are read when a device is made; tests/bench/README.md has the
 * measurements behind the defaults.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include "vswap_compat.h"
#include "vswap_dev.h"

static char *size;
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Size of each device at load, with K/M/G/T suffix (1M..16T); unset: no devices");

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of devices created at load (1..32)");

static char *comp = "lz4";
module_param(comp, charp, 0444);
MODULE_PARM_DESC(comp, "Compression algorithm: lz4, lz4hc or zstd");

static int level;
module_param(level, int, 0444);
MODULE_PARM_DESC(level, "Compression level, 0 = default (lz4: acceleration 1..64, lz4hc: 1..16, zstd: 1..22)");

/*
 * Off by default: on 6.11+ a synchronous swap device gets every swap-out
 * as a synchronous bio, which the reclaimer's plug holds until it sleeps
 * and schedule() then hands to kblockd (two context switches a page);
 * async swap-outs are merged in the plug and issued from the reclaimer
 * itself.  Measured in tests/bench/README.md.
 */
static bool sync;
module_param(sync, bool, 0644);
MODULE_PARM_DESC(sync, "New devices are synchronous swap devices (BLK_FEAT_SYNCHRONOUS, 6.11+; before 6.3 ->rw_page always makes them so): swap-in skips the swap cache, each swap-out waits for its page");

/* A diagnostic: no measurable gain (tests/bench/README.md). */
static bool blocking = true;
module_param(blocking, bool, 0644);
MODULE_PARM_DESC(blocking, "New devices have a BLK_MQ_F_BLOCKING queue (default); 0: a queue_rq that never sleeps, handing what would to a worker (for measurements)");

/*
 * Placement and load policies: module-wide, applied to every device at
 * once (vswap_space_set_policy()).
 */
static bool spill_incompressible = true;
static bool exclusive_loads = true;

static int vswap_policy_set(const char *val, const struct kernel_param *kp);

static const struct kernel_param_ops vswap_policy_ops = {
	.set	= vswap_policy_set,
	.get	= param_get_bool,
};
module_param_cb(spill_incompressible, &vswap_policy_ops,
		&spill_incompressible, 0644);
MODULE_PARM_DESC(spill_incompressible, "Pages that do not compress go straight to a backing tier (when there is one) instead of RAM");
module_param_cb(exclusive_loads, &vswap_policy_ops, &exclusive_loads, 0644);
MODULE_PARM_DESC(exclusive_loads, "A swap-in from compressed RAM frees the compressed copy and leaves the page dirty, so RAM holds only pages that are not resident (as zswap does); 0: the copy stays until the slot is freed or rewritten");

static void vswap_space_set_policy(struct vswap_space *s)
{
	WRITE_ONCE(s->spill_incompressible, READ_ONCE(spill_incompressible));
	WRITE_ONCE(s->exclusive_loads, READ_ONCE(exclusive_loads));
}

static int vswap_major;

/* See the locking rules in vswap_dev.h. */
DEFINE_MUTEX(vswap_config_lock);
struct vswap_dev *vswap_devices[VSWAP_MAX_DEVICES];	/* by id */
static bool vswap_exiting;	/* module unload: no new devices */

static blk_status_t vswap_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct vswap_dev *dev = hctx->queue->queuedata;
	unsigned long slot = blk_rq_pos(rq) >> (PAGE_SHIFT - SECTOR_SHIFT);
	blk_status_t sts = BLK_STS_OK;

	blk_mq_start_request(rq);
	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		/* Completes the request, maybe later from a bio's end_io. */
		return vswap_io_queue_rq(dev, rq);
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		/* Empty slots read as zeroes, so both just free. */
		vswap_space_discard(&dev->space, slot,
				    blk_rq_sectors(rq) / VSWAP_SECTORS_PER_PAGE);
		break;
	case REQ_OP_FLUSH:
		break;
	default:
		sts = BLK_STS_NOTSUPP;
		break;
	}
	/* A failed write (e.g. out of memory) leaves the old data intact. */
	blk_mq_end_request(rq, sts);
	return BLK_STS_OK;
}

static void vswap_swap_slot_free_notify(struct block_device *bdev,
					unsigned long offset)
{
	struct vswap_dev *dev = bdev->bd_disk->private_data;

	vswap_space_free_notify(&dev->space, offset);
}

/* Called with disk->open_mutex held: a device claimed for removal stays closed. */
static int vswap_open_disk(struct gendisk *disk)
{
	struct vswap_dev *dev = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	if (dev->claim)
		return -ENXIO;
	return 0;
}

VSWAP_DEFINE_OPEN(vswap_open, vswap_open_disk)

static const struct blk_mq_ops vswap_mq_ops = {
	.queue_rq	= vswap_queue_rq,
};

static const struct block_device_operations vswap_fops = {
	.owner			= THIS_MODULE,
	.open			= vswap_open,
	VSWAP_FOPS_RW_PAGE
	.swap_slot_free_notify	= vswap_swap_slot_free_notify,
};

static struct vswap_dev *vswap_dev_create(int id, u64 bytes, const char *algo,
					  int lvl)
{
	struct vswap_dev *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->id = id;
	dev->size = bytes;
	spin_lock_init(&dev->name_lock);
	ret = vswap_space_init(&dev->space, bytes >> PAGE_SHIFT, algo, lvl);
	if (ret)
		goto out_free_dev;
	vswap_events_init(dev);
	ret = vswap_dev_io_init(dev);
	if (ret)
		goto out_stop_events;
	ret = vswap_engine_init(dev);
	if (ret)
		goto out_io_exit;

	dev->tag_set.ops = &vswap_mq_ops;
	dev->tag_set.nr_hw_queues = nr_cpu_ids;
	dev->tag_set.queue_depth = 128;
	dev->tag_set.numa_node = NUMA_NO_NODE;
	dev->blocking = READ_ONCE(blocking);
	dev->tag_set.flags = VSWAP_MQ_F_SHOULD_MERGE |
			     (dev->blocking ? BLK_MQ_F_BLOCKING : 0);
	dev->tag_set.cmd_size = sizeof(struct vswap_req);
	dev->tag_set.driver_data = dev;
	ret = blk_mq_alloc_tag_set(&dev->tag_set);
	if (ret)
		goto out_engine_exit;

	dev->disk = vswap_alloc_disk(&dev->tag_set, dev, READ_ONCE(sync));
	if (IS_ERR(dev->disk)) {
		ret = PTR_ERR(dev->disk);
		goto out_free_tag_set;
	}
	dev->disk->major = vswap_major;
	dev->disk->first_minor = dev->id;
	dev->disk->minors = 1;
	dev->disk->flags |= GENHD_FL_NO_PART;
	dev->disk->fops = &vswap_fops;
	dev->disk->private_data = dev;
	snprintf(dev->disk->disk_name, DISK_NAME_LEN, "vswap%d", dev->id);
	set_capacity(dev->disk, bytes >> SECTOR_SHIFT);

	ret = add_disk(dev->disk);
	if (ret)
		goto out_put_disk;
	ret = vswap_sysfs_add(dev);
	if (ret)
		goto out_del_disk;
	return dev;

out_del_disk:
	del_gendisk(dev->disk);
out_put_disk:
	put_disk(dev->disk);
out_free_tag_set:
	blk_mq_free_tag_set(&dev->tag_set);
out_engine_exit:
	vswap_engine_exit(dev);
out_io_exit:
	vswap_dev_io_exit(dev);
out_stop_events:
	vswap_events_stop(dev);
	vswap_space_destroy(&dev->space);
out_free_dev:
	kfree(dev);
	return ERR_PTR(ret);
}

static void vswap_dev_destroy(struct vswap_dev *dev)
{
	vswap_sysfs_del(dev);
	vswap_engine_exit(dev);
	/* Drains in-flight I/O; no new opens after this. */
	del_gendisk(dev->disk);
	vswap_dev_io_exit(dev);
	vswap_events_stop(dev);
	put_disk(dev->disk);
	blk_mq_free_tag_set(&dev->tag_set);
	vswap_space_destroy(&dev->space);
	kfree(dev);
}

struct vswap_dev *vswap_dev_get(unsigned int id)
{
	lockdep_assert_held(&vswap_config_lock);
	return id < VSWAP_MAX_DEVICES ? vswap_devices[id] : NULL;
}

/**
 * vswap_dev_add - create and list a device with the zero and RAM tiers
 * @id: the device's N, or -1 for the lowest free one
 * @bytes: size, validated and page aligned
 * @algo: compression algorithm of the RAM tier, validated
 * @lvl: its level, validated (0 = default)
 *
 * Returns the device, or ERR_PTR: -EEXIST when @id is taken, -ENOSPC when
 * every id is, -ESHUTDOWN while the module unloads.
 */
struct vswap_dev *vswap_dev_add(int id, u64 bytes, const char *algo, int lvl)
{
	struct vswap_dev *dev;

	lockdep_assert_held(&vswap_config_lock);
	if (vswap_exiting)
		return ERR_PTR(-ESHUTDOWN);
	if (id < 0) {
		for (id = 0; id < VSWAP_MAX_DEVICES; id++)
			if (!vswap_devices[id])
				break;
		if (id == VSWAP_MAX_DEVICES)
			return ERR_PTR(-ENOSPC);
	} else if (id >= VSWAP_MAX_DEVICES || vswap_devices[id]) {
		return ERR_PTR(-EEXIST);
	}
	dev = vswap_dev_create(id, bytes, algo, lvl);
	if (IS_ERR(dev))
		return dev;
	vswap_space_set_policy(&dev->space);
	vswap_devices[id] = dev;
	vswap_event_dev_add(dev);
	return dev;
}

/* Opened, e.g. swapped on. */
bool vswap_dev_in_use(struct vswap_dev *dev)
{
	return disk_openers(dev->disk) > 0;
}

/*
 * Claim a device for removal, as zram does: only while nobody has it
 * open, and from then on vswap_open() refuses it.  -EBUSY when in use.
 */
int vswap_dev_claim(struct vswap_dev *dev)
{
	struct gendisk *disk = dev->disk;
	int ret = 0;

	lockdep_assert_held(&vswap_config_lock);
	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk) || dev->claim)
		ret = -EBUSY;
	else
		dev->claim = true;
	mutex_unlock(&disk->open_mutex);
	return ret;
}

/* Unlist a claimed device, tell listeners, tear it down. */
void vswap_dev_remove(struct vswap_dev *dev)
{
	lockdep_assert_held(&vswap_config_lock);
	WARN_ON_ONCE(!dev->claim);
	vswap_devices[dev->id] = NULL;
	vswap_event_dev_del(dev);
	vswap_dev_destroy(dev);
}

/* The RAM tier of a device made without an explicit algorithm. */
const char *vswap_default_algo(int *lvl)
{
	*lvl = level;
	return comp;
}

/*
 * Decimal bytes with an optional K/M/G/T/P/E suffix.  Unlike memparse(),
 * this refuses values that overflow 64 bits instead of wrapping them to a
 * plausible size: -EINVAL when not a size, -ERANGE when too big.
 */
static int vswap_parse_size(const char *str, u64 *bytes)
{
	static const char suffixes[] = "KMGTPE";
	char buf[32];
	unsigned int shift = 0;
	const char *sfx;
	size_t len, i;
	u64 val;
	int ret;

	len = strlen(str);
	if (len && str[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	sfx = strchr(suffixes, toupper(str[len - 1]));
	if (sfx && *sfx) {
		shift = 10 * (sfx - suffixes + 1);
		len--;
	}
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isdigit(str[i]))
			return -EINVAL;
	if (len >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, str, len);
	buf[len] = '\0';
	ret = kstrtoull(buf, 10, &val);
	if (ret)
		return ret;
	if (check_shl_overflow(val, shift, bytes))
		return -ERANGE;
	return 0;
}

static int vswap_policy_set(const char *val, const struct kernel_param *kp)
{
	unsigned int id;
	int ret;

	ret = param_set_bool(val, kp);
	if (ret)
		return ret;
	mutex_lock(&vswap_config_lock);
	for (id = 0; id < VSWAP_MAX_DEVICES; id++)
		if (vswap_devices[id])
			vswap_space_set_policy(&vswap_devices[id]->space);
	mutex_unlock(&vswap_config_lock);
	return 0;
}

/* Validate every parameter before anything is allocated. */
static int vswap_parse_params(u64 *bytes)
{
	const struct vswap_backend *be;
	int ret;

	*bytes = 0;
	be = vswap_backend_find(comp);
	if (!be) {
		pr_err("comp=%s: unknown algorithm (lz4, lz4hc, zstd)\n", comp);
		return -EINVAL;
	}
	if (vswap_backend_check_level(be, level) < 0) {
		pr_err("level=%d: out of range for %s (%d..%d, 0 = default)\n",
		       level, be->name, be->min_level, be->max_level);
		return -EINVAL;
	}
	if (num_devices < 1 || num_devices > VSWAP_MAX_DEVICES) {
		pr_err("num_devices=%u: must be 1..%d\n", num_devices,
		       VSWAP_MAX_DEVICES);
		return -EINVAL;
	}
	if (!size)
		return 0;
	ret = vswap_parse_size(size, bytes);
	if (ret == -EINVAL) {
		pr_err("size=%s: not a size (use e.g. 512M, 8G)\n", size);
		return ret;
	}
	if (ret || *bytes < VSWAP_MIN_SIZE || *bytes > VSWAP_MAX_SIZE) {
		pr_err("size=%s: must be between 1M and 16T\n", size);
		return -EINVAL;
	}
	*bytes = round_down(*bytes, PAGE_SIZE);
	return 0;
}

/* Module unload or failed load: every device goes, and no new one comes. */
static void vswap_destroy_all(void)
{
	unsigned int id;

	mutex_lock(&vswap_config_lock);
	vswap_exiting = true;
	for (id = 0; id < VSWAP_MAX_DEVICES; id++) {
		struct vswap_dev *dev = vswap_devices[id];

		if (!dev)
			continue;
		/*
		 * Unused on unload (an open device pins the module); on a
		 * failed load del_gendisk() copes with an opener.
		 */
		mutex_lock(&dev->disk->open_mutex);
		dev->claim = true;
		mutex_unlock(&dev->disk->open_mutex);
		vswap_dev_remove(dev);
	}
	mutex_unlock(&vswap_config_lock);
}

static int __init vswap_init(void)
{
	struct vswap_dev *dev;
	unsigned int i;
	u64 bytes;
	int ret;

	ret = vswap_parse_params(&bytes);
	if (ret)
		return ret;
	ret = vswap_table_mem_init();
	if (ret)
		return ret;
	ret = vswap_io_init();
	if (ret)
		goto out_table_mem;
	vswap_major = register_blkdev(0, "vswap");
	if (vswap_major < 0) {
		ret = vswap_major;
		goto out_io;
	}
	/* Before the first device: its creation is an event. */
	ret = vswap_netlink_init();
	if (ret)
		goto out_blkdev;
	if (!bytes) {
		pr_info("loaded %s without devices (no size= given)\n",
			VSWAP_VERSION);
		return 0;
	}
	mutex_lock(&vswap_config_lock);
	for (i = 0; i < num_devices; i++) {
		dev = vswap_dev_add(-1, bytes, comp, level);
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			mutex_unlock(&vswap_config_lock);
			pr_err("creating device %u failed: %d\n", i, ret);
			goto out_destroy;
		}
	}
	mutex_unlock(&vswap_config_lock);
	pr_info("loaded %s: %u device(s) of %llu MiB, %s\n", VSWAP_VERSION,
		num_devices, bytes >> 20, comp);
	return 0;

out_destroy:
	vswap_destroy_all();
	vswap_netlink_exit();
out_blkdev:
	unregister_blkdev(vswap_major, "vswap");
out_io:
	vswap_io_exit();
out_table_mem:
	vswap_table_mem_exit();
	return ret;
}

static void __exit vswap_exit(void)
{
	/* Devices first: their removal is an event. */
	vswap_destroy_all();
	vswap_netlink_exit();
	unregister_blkdev(vswap_major, "vswap");
	vswap_io_exit();
	vswap_table_mem_exit();
}

module_init(vswap_init);
module_exit(vswap_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("vswap developers");
MODULE_DESCRIPTION("Virtual swap block device with tiered slot placement");
MODULE_VERSION(VSWAP_VERSION);
