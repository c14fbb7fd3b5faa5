// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only statistics under /sys/block/vswapN/vswap/ (device) and
 * /sys/block/vswapN/vswap/tiers/NAME/ (per tier), one value per file.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "vswap_dev.h"

static struct vswap_dev *kobj_to_vswap(struct kobject *kobj)
{
	struct gendisk *disk = dev_to_disk(kobj_to_dev(kobj->parent));

	return disk->private_data;
}

/* Tier directories are two levels below the disk. */
static struct vswap_tier *kobj_to_tier(struct kobject *kobj)
{
	struct vswap_dev *dev = kobj_to_vswap(kobj->parent->parent);
	unsigned int i;

	for (i = 0; i < dev->space.nr_tiers; i++)
		if (dev->tier_kobj[i] == kobj)
			return dev->space.tiers[i];
	return NULL;
}

#define VSWAP_DEV_STAT(_name)						\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct vswap_dev *dev = kobj_to_vswap(kobj);			\
									\
	return sysfs_emit(buf, "%llu\n",				\
			  (u64)atomic64_read(&dev->space.stats._name));	\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

VSWAP_DEV_STAT(reads);
VSWAP_DEV_STAT(writes);
VSWAP_DEV_STAT(discards);
VSWAP_DEV_STAT(frees);
VSWAP_DEV_STAT(miss_frees);
VSWAP_DEV_STAT(failed_reads);
VSWAP_DEV_STAT(failed_writes);

static ssize_t algorithm_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct vswap_dev *dev = kobj_to_vswap(kobj);
	int lvl;

	return sysfs_emit(buf, "%s\n",
			  vswap_tier_ram_backend(dev->space.tiers[VSWAP_TIER_RAM],
						 &lvl)->name);
}
static struct kobj_attribute algorithm_attr = __ATTR_RO(algorithm);

static ssize_t level_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct vswap_dev *dev = kobj_to_vswap(kobj);
	int lvl;

	vswap_tier_ram_backend(dev->space.tiers[VSWAP_TIER_RAM], &lvl);
	return sysfs_emit(buf, "%d\n", lvl);
}
static struct kobj_attribute level_attr = __ATTR_RO(level);

static ssize_t stored_pages_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vswap_space_stored_pages(&kobj_to_vswap(kobj)->space));
}
static struct kobj_attribute stored_pages_attr = __ATTR_RO(stored_pages);

static ssize_t meta_bytes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct vswap_dev *dev = kobj_to_vswap(kobj);

	return sysfs_emit(buf, "%lu\n",
			  vswap_table_meta_bytes(&dev->space.table));
}
static struct kobj_attribute meta_bytes_attr = __ATTR_RO(meta_bytes);

static ssize_t clusters_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct vswap_dev *dev = kobj_to_vswap(kobj);

	return sysfs_emit(buf, "%ld\n",
			  atomic_long_read(&dev->space.table.nr_pages));
}
static struct kobj_attribute clusters_attr = __ATTR_RO(clusters);

static struct attribute *vswap_dev_attrs[] = {
	&algorithm_attr.attr,
	&level_attr.attr,
	&reads_attr.attr,
	&writes_attr.attr,
	&discards_attr.attr,
	&frees_attr.attr,
	&miss_frees_attr.attr,
	&failed_reads_attr.attr,
	&failed_writes_attr.attr,
	&stored_pages_attr.attr,
	&meta_bytes_attr.attr,
	&clusters_attr.attr,
	NULL,
};

static const struct attribute_group vswap_dev_group = {
	.attrs = vswap_dev_attrs,
};

#define VSWAP_TIER_STAT(_name)						\
static ssize_t tier_##_name##_show(struct kobject *kobj,		\
				   struct kobj_attribute *attr, char *buf) \
{									\
	struct vswap_tier *tier = kobj_to_tier(kobj);			\
									\
	return sysfs_emit(buf, "%llu\n",				\
			  (u64)atomic64_read(&tier->stats._name));	\
}									\
static struct kobj_attribute tier_##_name##_attr =			\
	__ATTR(_name, 0444, tier_##_name##_show, NULL)

VSWAP_TIER_STAT(pages);
VSWAP_TIER_STAT(orig_bytes);
VSWAP_TIER_STAT(stored_bytes);
VSWAP_TIER_STAT(reads);
VSWAP_TIER_STAT(writes);
VSWAP_TIER_STAT(failures);

static ssize_t pool_bytes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vswap_tier_ram_pool_bytes(kobj_to_tier(kobj)));
}
static struct kobj_attribute pool_bytes_attr = __ATTR_RO(pool_bytes);

static ssize_t huge_pages_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vswap_tier_ram_huge_pages(kobj_to_tier(kobj)));
}
static struct kobj_attribute huge_pages_attr = __ATTR_RO(huge_pages);

static struct attribute *vswap_tier_attrs[] = {
	&tier_pages_attr.attr,
	&tier_orig_bytes_attr.attr,
	&tier_stored_bytes_attr.attr,
	&tier_reads_attr.attr,
	&tier_writes_attr.attr,
	&tier_failures_attr.attr,
	NULL,
};

static const struct attribute_group vswap_tier_group = {
	.attrs = vswap_tier_attrs,
};

static struct attribute *vswap_ram_attrs[] = {
	&pool_bytes_attr.attr,
	&huge_pages_attr.attr,
	NULL,
};

static const struct attribute_group vswap_ram_group = {
	.attrs = vswap_ram_attrs,
};

int vswap_sysfs_add(struct vswap_dev *dev)
{
	struct kobject *parent = &disk_to_dev(dev->disk)->kobj;
	unsigned int i;
	int ret;

	dev->kobj = kobject_create_and_add("vswap", parent);
	if (!dev->kobj)
		return -ENOMEM;
	ret = sysfs_create_group(dev->kobj, &vswap_dev_group);
	if (ret)
		goto out_del;
	dev->tiers_kobj = kobject_create_and_add("tiers", dev->kobj);
	if (!dev->tiers_kobj) {
		ret = -ENOMEM;
		goto out_del;
	}
	for (i = 0; i < dev->space.nr_tiers; i++) {
		struct vswap_tier *tier = dev->space.tiers[i];
		struct kobject *kobj;

		kobj = kobject_create_and_add(tier->name, dev->tiers_kobj);
		if (!kobj) {
			ret = -ENOMEM;
			goto out_del;
		}
		dev->tier_kobj[i] = kobj;
		ret = sysfs_create_group(kobj, &vswap_tier_group);
		if (!ret && tier->id == VSWAP_TIER_RAM)
			ret = sysfs_create_group(kobj, &vswap_ram_group);
		if (ret)
			goto out_del;
	}
	return 0;

out_del:
	vswap_sysfs_del(dev);
	return ret;
}

void vswap_sysfs_del(struct vswap_dev *dev)
{
	unsigned int i;

	for (i = 0; i < VSWAP_MAX_TIERS; i++) {
		kobject_put(dev->tier_kobj[i]);
		dev->tier_kobj[i] = NULL;
	}
	kobject_put(dev->tiers_kobj);
	dev->tiers_kobj = NULL;
	kobject_put(dev->kobj);
	dev->kobj = NULL;
}
