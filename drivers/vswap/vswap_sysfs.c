// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only statistics under /sys/block/vswapN/vswap/ (device) and
 * /sys/block/vswapN/vswap/tiers/NAME/ (per tier), one value per file.
 * A tier's directory follows its name, except the zero tier's, which
 * keeps its historical name "same".  Tier directories come and go with
 * their tiers, under vswap_config_lock.  The counters' files are made
 * from their list (vswap_counters.h); the rest are computed values.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "vswap_dev.h"

/* A counter (vswap_counters.h): an atomic64_t at @offset in its struct. */
struct vswap_stat_attr {
	struct kobj_attribute kattr;
	size_t offset;
};

static struct vswap_dev *kobj_to_vswap(struct kobject *kobj)
{
	struct gendisk *disk = dev_to_disk(kobj_to_dev(kobj->parent));

	return disk->private_data;
}

/* The tier outlives its directory: removal drains active readers first. */
static struct vswap_tier *kobj_to_tier(struct kobject *kobj)
{
	return container_of(kobj, struct vswap_tier_kobj, kobj)->tier;
}

static ssize_t stat_show(void *stats, struct kobj_attribute *attr, char *buf)
{
	struct vswap_stat_attr *sa;

	sa = container_of(attr, struct vswap_stat_attr, kattr);
	return sysfs_emit(buf, "%lld\n", atomic64_read(stats + sa->offset));
}

static ssize_t vswap_space_stat_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return stat_show(&kobj_to_vswap(kobj)->space.stats, attr, buf);
}

static ssize_t vswap_tier_stat_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return stat_show(&kobj_to_tier(kobj)->stats, attr, buf);
}

static ssize_t vswap_ram_stat_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return stat_show(vswap_tier_ram_stats(kobj_to_tier(kobj)), attr, buf);
}

static struct vswap_stat_attr vswap_dev_counters[] = {
	VSWAP_SPACE_COUNTERS(VSWAP_COUNTER_SYSFS, space)
};

static struct vswap_stat_attr vswap_tier_counters[] = {
	VSWAP_TIER_COUNTERS(VSWAP_COUNTER_SYSFS, tier)
};

static struct vswap_stat_attr vswap_ram_counters[] = {
	VSWAP_RAM_COUNTERS(VSWAP_COUNTER_SYSFS, ram)
};

/*
 * The RAM tier's compressor, "none" and 0 without a RAM tier.  The tier
 * may be removed meanwhile: it is freed after an RCU grace period.
 */
static const char *dev_ram_backend(struct kobject *kobj, int *lvl)
{
	struct vswap_tier *ram;
	const char *name = "none";

	*lvl = 0;
	rcu_read_lock();
	ram = READ_ONCE(kobj_to_vswap(kobj)->space.tiers[VSWAP_TIER_RAM]);
	if (ram)
		name = vswap_tier_ram_backend(ram, lvl)->name;
	rcu_read_unlock();
	return name;
}

static ssize_t algorithm_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	int lvl;

	return sysfs_emit(buf, "%s\n", dev_ram_backend(kobj, &lvl));
}

static ssize_t level_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int lvl;

	dev_ram_backend(kobj, &lvl);
	return sysfs_emit(buf, "%d\n", lvl);
}

static ssize_t stored_pages_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vswap_space_stored_pages(&kobj_to_vswap(kobj)->space));
}

static ssize_t meta_bytes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct vswap_table *t = &kobj_to_vswap(kobj)->space.table;

	return sysfs_emit(buf, "%lu\n", vswap_table_meta_bytes(t));
}

static ssize_t clusters_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct vswap_table *t = &kobj_to_vswap(kobj)->space.table;

	return sysfs_emit(buf, "%ld\n", atomic_long_read(&t->nr_pages));
}

/* What the tier uses: tier->ops->used_bytes(), as over netlink. */
static ssize_t stored_bytes_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct vswap_tier *tier = kobj_to_tier(kobj);

	return sysfs_emit(buf, "%llu\n", tier->ops->used_bytes(tier));
}

/* failed_reads + failed_writes, the name scripts knew first. */
static ssize_t failures_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct vswap_tier_stats *st = &kobj_to_tier(kobj)->stats;

	return sysfs_emit(buf, "%lld\n", atomic64_read(&st->failed_reads) +
			  atomic64_read(&st->failed_writes));
}

/* The RAM tier's stored_bytes, under the name it had first. */
static ssize_t pool_bytes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vswap_tier_ram_pool_bytes(kobj_to_tier(kobj)));
}

static struct kobj_attribute vswap_dev_info[] = {
	__ATTR_RO(algorithm),
	__ATTR_RO(level),
	__ATTR_RO(stored_pages),
	__ATTR_RO(meta_bytes),
	__ATTR_RO(clusters),
};

static struct kobj_attribute vswap_tier_info[] = {
	__ATTR_RO(stored_bytes),
	__ATTR_RO(failures),
};

static struct kobj_attribute vswap_ram_info[] = {
	__ATTR_RO(pool_bytes),
};

static struct attribute *vswap_dev_attrs[ARRAY_SIZE(vswap_dev_counters) +
					 ARRAY_SIZE(vswap_dev_info) + 1];
static struct attribute *vswap_tier_attrs[ARRAY_SIZE(vswap_tier_counters) +
					  ARRAY_SIZE(vswap_tier_info) + 1];
static struct attribute *vswap_ram_attrs[ARRAY_SIZE(vswap_ram_counters) +
					 ARRAY_SIZE(vswap_ram_info) + 1];

static const struct attribute_group vswap_dev_group = {
	.attrs = vswap_dev_attrs,
};

static const struct attribute_group vswap_tier_group = {
	.attrs = vswap_tier_attrs,
};

static const struct attribute_group *vswap_tier_groups[] = {
	&vswap_tier_group,
	NULL
};

static const struct attribute_group vswap_ram_group = {
	.attrs = vswap_ram_attrs,
};

/* Fill the NULL-terminated attribute arrays from the tables above. */
static void vswap_sysfs_build_attrs(void)
{
	unsigned int i, n = 0;

	if (vswap_dev_attrs[0])
		return;
	for (i = 0; i < ARRAY_SIZE(vswap_dev_counters); i++)
		vswap_dev_attrs[n++] = &vswap_dev_counters[i].kattr.attr;
	for (i = 0; i < ARRAY_SIZE(vswap_dev_info); i++)
		vswap_dev_attrs[n++] = &vswap_dev_info[i].attr;
	n = 0;
	for (i = 0; i < ARRAY_SIZE(vswap_tier_counters); i++)
		vswap_tier_attrs[n++] = &vswap_tier_counters[i].kattr.attr;
	for (i = 0; i < ARRAY_SIZE(vswap_tier_info); i++)
		vswap_tier_attrs[n++] = &vswap_tier_info[i].attr;
	n = 0;
	for (i = 0; i < ARRAY_SIZE(vswap_ram_counters); i++)
		vswap_ram_attrs[n++] = &vswap_ram_counters[i].kattr.attr;
	for (i = 0; i < ARRAY_SIZE(vswap_ram_info); i++)
		vswap_ram_attrs[n++] = &vswap_ram_info[i].attr;
}

static void vswap_tier_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct vswap_tier_kobj, kobj));
}

static const struct kobj_type vswap_tier_ktype = {
	.release	= vswap_tier_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= vswap_tier_groups,
};

/**
 * vswap_sysfs_tier_create - make a directory for @tier
 * @dev: its device
 * @tier: the tier
 * @name: the directory's name, NULL for the tier's own
 *
 * The directory is not yet the tier's: vswap_sysfs_tier_replace() makes
 * it so, vswap_sysfs_tier_put() drops it.  Two directories may show one
 * tier for a moment (a rename makes the new one before dropping the old
 * one, so that it cannot fail half way).
 */
struct vswap_tier_kobj *vswap_sysfs_tier_create(struct vswap_dev *dev,
						struct vswap_tier *tier,
						const char *name)
{
	struct vswap_tier_kobj *tk;
	int ret;

	lockdep_assert_held(&vswap_config_lock);
	if (!name)
		name = tier->id == VSWAP_TIER_SAME ? "same" : tier->name;
	tk = kzalloc(sizeof(*tk), GFP_KERNEL);
	if (!tk)
		return ERR_PTR(-ENOMEM);
	tk->tier = tier;
	ret = kobject_init_and_add(&tk->kobj, &vswap_tier_ktype, dev->tiers_kobj,
				   "%s", name);
	if (ret) {
		kobject_put(&tk->kobj);
		return ERR_PTR(ret);
	}
	if (tier->id == VSWAP_TIER_RAM) {
		ret = sysfs_create_group(&tk->kobj, &vswap_ram_group);
		if (ret) {
			vswap_sysfs_tier_put(tk);
			return ERR_PTR(ret);
		}
	}
	return tk;
}

void vswap_sysfs_tier_put(struct vswap_tier_kobj *tk)
{
	if (!tk)
		return;
	/* Waits for readers of its files; the tier is still there. */
	kobject_del(&tk->kobj);
	kobject_put(&tk->kobj);
}

/* @tk becomes its tier's directory; the one it had, if any, goes. */
void vswap_sysfs_tier_replace(struct vswap_dev *dev,
			      struct vswap_tier_kobj *tk)
{
	unsigned int id = tk->tier->id;
	struct vswap_tier_kobj *old = dev->tier_kobj[id];

	lockdep_assert_held(&vswap_config_lock);
	dev->tier_kobj[id] = tk;
	vswap_sysfs_tier_put(old);
}

/* Before the tier is freed. */
void vswap_sysfs_tier_del(struct vswap_dev *dev, unsigned int id)
{
	lockdep_assert_held(&vswap_config_lock);
	vswap_sysfs_tier_put(dev->tier_kobj[id]);
	dev->tier_kobj[id] = NULL;
}

int vswap_sysfs_add(struct vswap_dev *dev)
{
	struct kobject *parent = &disk_to_dev(dev->disk)->kobj;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vswap_config_lock);
	vswap_sysfs_build_attrs();
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
		struct vswap_tier_kobj *tk;

		if (!dev->space.tiers[i])
			continue;
		tk = vswap_sysfs_tier_create(dev, dev->space.tiers[i], NULL);
		if (IS_ERR(tk)) {
			ret = PTR_ERR(tk);
			goto out_del;
		}
		vswap_sysfs_tier_replace(dev, tk);
	}
	return 0;

out_del:
	vswap_sysfs_del(dev);
	return ret;
}

void vswap_sysfs_del(struct vswap_dev *dev)
{
	unsigned int i;

	lockdep_assert_held(&vswap_config_lock);
	for (i = 0; i < VSWAP_MAX_TIERS; i++)
		vswap_sysfs_tier_del(dev, i);
	kobject_put(dev->tiers_kobj);
	dev->tiers_kobj = NULL;
	kobject_put(dev->kobj);
	dev->kobj = NULL;
}
