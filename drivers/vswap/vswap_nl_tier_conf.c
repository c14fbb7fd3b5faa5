// SPDX-License-Identifier: GPL-2.0
/*
 * vswap netlink: tier-add (RAM and block tiers) and tier-set.  Each
 * validates the whole request, then prepares what can fail, then applies
 * what cannot; publishing a tier, a new compressor and a tier set active
 * are vswap_dev_tier.c's.
 */
#include <linux/string.h>
#include "vswap_netlink.h"

/* Watermarks, limit, idle age, priority: over @conf, then checked. */
static int vswap_nl_parse_conf(struct genl_info *info,
			       struct vswap_tier_conf *conf)
{
	struct nlattr **attrs = info->attrs;

	if (attrs[VSWAP_A_TIER_LIMIT])
		conf->limit = nla_get_u64(attrs[VSWAP_A_TIER_LIMIT]);
	if (attrs[VSWAP_A_TIER_HIGH_WMARK])
		conf->high_wmark = nla_get_u32(attrs[VSWAP_A_TIER_HIGH_WMARK]);
	if (attrs[VSWAP_A_TIER_LOW_WMARK])
		conf->low_wmark = nla_get_u32(attrs[VSWAP_A_TIER_LOW_WMARK]);
	if (attrs[VSWAP_A_TIER_IDLE_AGE])
		conf->idle_age = nla_get_u32(attrs[VSWAP_A_TIER_IDLE_AGE]);
	if (attrs[VSWAP_A_TIER_PRIORITY])
		conf->priority = nla_get_u32(attrs[VSWAP_A_TIER_PRIORITY]);
	if (conf->low_wmark >= conf->high_wmark) {
		vswap_errmsgf(info->extack,
			      attrs[VSWAP_A_TIER_LOW_WMARK] ? :
			      attrs[VSWAP_A_TIER_HIGH_WMARK],
			      "the low watermark (%u%%) must be below the high watermark (%u%%)",
			      conf->low_wmark, conf->high_wmark);
		return -EINVAL;
	}
	return 0;
}

/*
 * Publish a new tier (vswap_dev_add_tier(), which destroys it on
 * failure), then answer.
 */
static int vswap_nl_publish_tier(struct vswap_dev *dev, struct vswap_tier *tier,
				 const char *name,
				 const struct vswap_tier_conf *conf,
				 struct genl_info *info, struct sk_buff *msg)
{
	int ret;

	ret = vswap_dev_add_tier(dev, tier, name, conf, info->extack);
	if (ret)
		return ret;
	WARN_ON_ONCE(vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
					info->snd_seq, 0, VSWAP_CMD_TIER_ADD));
	return 0;
}

/* Create, show and publish the RAM tier of @dev. */
static int vswap_nl_add_ram_tier(struct vswap_dev *dev, struct genl_info *info,
				 struct sk_buff *msg)
{
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	const char *name = name_attr ? nla_data(name_attr) : "ram";
	struct vswap_tier_conf conf = {
		.high_wmark = VSWAP_HIGH_WMARK_DEFAULT,
		.low_wmark = VSWAP_LOW_WMARK_DEFAULT,
		.priority = VSWAP_TIER_RAM,
	};
	const struct vswap_backend *be;
	struct vswap_tier *tier;
	const char *algo;
	int level;
	int ret;

	if (info->attrs[VSWAP_A_TIER_PATH] || info->attrs[VSWAP_A_TIER_CLASS]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_PATH] ? :
				    info->attrs[VSWAP_A_TIER_CLASS],
				    "a RAM tier has no path and no class (those are for block tiers)");
		return -EINVAL;
	}
	if (dev->space.tiers[VSWAP_TIER_RAM]) {
		vswap_errmsgf(info->extack, info->attrs[VSWAP_A_TIER_KIND],
			      "vswap%d already has a RAM tier", dev->id);
		return -EEXIST;
	}
	ret = vswap_nl_check_name(dev, name, NULL, name_attr, info->extack);
	if (ret)
		return ret;
	algo = vswap_default_algo(&level);
	ret = vswap_nl_parse_algo(info, vswap_backend_find(algo), level, &be,
				  &level);
	if (ret)
		return ret;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		return ret;

	tier = vswap_tier_ram_create(&dev->space, be->name, level);
	if (IS_ERR(tier)) {
		vswap_errmsgf(info->extack, NULL,
			      "creating the RAM tier failed (error %ld)",
			      PTR_ERR(tier));
		return PTR_ERR(tier);
	}
	return vswap_nl_publish_tier(dev, tier, name, &conf, info, msg);
}

/* Open, show and publish a backing tier of @dev. */
static int vswap_nl_add_block_tier(struct vswap_dev *dev,
				   struct genl_info *info, struct sk_buff *msg)
{
	struct nlattr *path_attr = info->attrs[VSWAP_A_TIER_PATH];
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct nlattr *class_attr = info->attrs[VSWAP_A_TIER_CLASS];
	struct vswap_tier_conf conf = {
		.high_wmark = VSWAP_HIGH_WMARK_DEFAULT,
		.low_wmark = VSWAP_LOW_WMARK_DEFAULT,
	};
	u32 class = VSWAP_TIER_CLASS_FAST;
	struct vswap_tier *tier;
	const char *path, *name;
	unsigned int id;
	int ret, stage;
	dev_t devt;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_PATH)) {
		NL_SET_ERR_MSG(info->extack,
			       "a block tier needs the path of its block device (VSWAP_A_TIER_PATH)");
		return -EINVAL;
	}
	if (info->attrs[VSWAP_A_TIER_ALGO] || info->attrs[VSWAP_A_TIER_LEVEL]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_ALGO] ? :
				    info->attrs[VSWAP_A_TIER_LEVEL],
				    "a block tier has no algorithm and no level (those are for RAM tiers)");
		return -EINVAL;
	}
	path = nla_data(path_attr);
	if (class_attr)
		class = nla_get_u32(class_attr);
	if (name_attr) {
		name = nla_data(name_attr);
	} else {
		name = kbasename(path);
		if (strlen(name) >= VSWAP_NAME_MAX) {
			vswap_errmsgf(info->extack, path_attr,
				      "%s is too long for a tier name (at most %d characters); give a name",
				      name, VSWAP_NAME_MAX - 1);
			return -EINVAL;
		}
	}
	ret = vswap_nl_check_name(dev, name, NULL, name_attr ? : path_attr,
				  info->extack);
	if (ret)
		return ret;
	/* By default fast tiers come before slow ones (ties: by id). */
	conf.priority = class == VSWAP_TIER_CLASS_SLOW ? 200 : 100;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		return ret;
	ret = lookup_bdev(path, &devt);
	if (ret) {
		vswap_errmsgf(info->extack, path_attr,
			      "%s: not a block device", path);
		return -ENODEV;
	}
	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++)
		if (!dev->space.tiers[id])
			break;
	if (id == VSWAP_MAX_TIERS) {
		vswap_errmsgf(info->extack, NULL,
			      "vswap%d has the most tiers it can have (%d)",
			      dev->id, VSWAP_MAX_TIERS);
		return -ENOSPC;
	}

	tier = vswap_tier_backed_create(dev, id, path, class, &stage);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		if (stage == 0 && ret == -EBUSY)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is in use (mounted, swapped on, or a tier already)",
				      path);
		else if (stage == 0)
			vswap_errmsgf(info->extack, path_attr,
				      "cannot open %s (error %d)", path, ret);
		else if (ret == -EROFS)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is read-only", path);
		else if (ret == -ENOSPC)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is too small for a tier (at least 1 MiB)",
				      path);
		else if (stage == 1)
			vswap_errmsgf(info->extack, path_attr,
				      "%s cannot be a tier (a vswap device, zoned, or blocks over 4 KiB)",
				      path);
		else
			vswap_errmsgf(info->extack, NULL,
				      "setting up the tier failed (error %d)", ret);
		return ret;
	}
	return vswap_nl_publish_tier(dev, tier, name, &conf, info, msg);
}

int vswap_nl_tier_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *kind_attr = info->attrs[VSWAP_A_TIER_KIND];
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_KIND)) {
		NL_SET_ERR_MSG(info->extack, "the tier kind (VSWAP_A_TIER_KIND) is missing");
		return -EINVAL;
	}
	dev = vswap_nl_begin(info, &msg);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	switch (nla_get_u32(kind_attr)) {
	case VSWAP_TIER_KIND_ZERO:
		NL_SET_ERR_MSG_ATTR(info->extack, kind_attr,
				    "the zero tier is built in");
		ret = -EEXIST;
		break;
	case VSWAP_TIER_KIND_RAM:
		ret = vswap_nl_add_ram_tier(dev, info, msg);
		break;
	default:
		ret = vswap_nl_add_block_tier(dev, info, msg);
		break;
	}
	return vswap_nl_end(info, msg, ret);
}

/* Settings of the zero tier: only the priority. */
static int vswap_nl_check_zero_set(struct genl_info *info)
{
	static const int fixed[] = {
		VSWAP_A_TIER_ALGO, VSWAP_A_TIER_LEVEL, VSWAP_A_TIER_LIMIT,
		VSWAP_A_TIER_HIGH_WMARK, VSWAP_A_TIER_LOW_WMARK,
		VSWAP_A_TIER_IDLE_AGE,
	};
	struct nlattr *bad = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fixed) && !bad; i++)
		bad = info->attrs[fixed[i]];
	/* A name next to the id would rename it. */
	if (!bad && info->attrs[VSWAP_A_TIER_ID])
		bad = info->attrs[VSWAP_A_TIER_NAME];
	if (bad) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad,
				    "the zero tier has no settings but its priority");
		return -EOPNOTSUPP;
	}
	return 0;
}

int vswap_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct nlattr *state_attr;
	struct vswap_comp comp = { };
	struct vswap_tier_kobj *tk = NULL;
	const struct vswap_backend *be, *cur_be;
	const char *name = NULL;
	struct vswap_tier_conf conf;
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int level, cur_level;
	int ret;

	dev = vswap_nl_begin(info, &msg);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	tier = vswap_nl_tier(dev, info, true);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_free;
	}

	/* Validate everything ... */
	if (tier->id == VSWAP_TIER_SAME) {
		ret = vswap_nl_check_zero_set(info);
		if (ret)
			goto out_free;
	}
	conf = tier->conf;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		goto out_free;
	if (info->attrs[VSWAP_A_TIER_ID] && name_attr &&
	    strcmp(tier->name, nla_data(name_attr))) {
		name = nla_data(name_attr);
		ret = vswap_nl_check_name(dev, name, tier, name_attr,
					  info->extack);
		if (ret)
			goto out_free;
	}
	state_attr = info->attrs[VSWAP_A_TIER_STATE];
	if (state_attr && nla_get_u32(state_attr) != VSWAP_TIER_STATE_ACTIVE) {
		NL_SET_ERR_MSG_ATTR(info->extack, state_attr,
				    "only \"active\" can be set: a tier drains with tier del, and is degraded or full by what happens to it");
		ret = -EINVAL;
		goto out_free;
	}
	if (state_attr) {
		ret = vswap_dev_may_activate_tier(dev, tier, info->extack);
		if (ret)
			goto out_free;
	}
	be = NULL;
	if (info->attrs[VSWAP_A_TIER_ALGO] || info->attrs[VSWAP_A_TIER_LEVEL]) {
		if (tier->id != VSWAP_TIER_RAM) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VSWAP_A_TIER_ALGO] ? :
					    info->attrs[VSWAP_A_TIER_LEVEL],
					    "only a RAM tier has an algorithm and a level");
			ret = -EINVAL;
			goto out_free;
		}
		cur_be = vswap_tier_ram_backend(tier, &cur_level);
		ret = vswap_nl_parse_algo(info, cur_be, cur_level, &be, &level);
		if (ret)
			goto out_free;
		if (be == cur_be && level == cur_level)
			be = NULL;	/* nothing to change */
	}
	if (be && atomic64_read(&tier->stats.pages)) {
		ret = -EBUSY;
		goto out_busy;
	}

	/* ... then prepare what can fail ... */
	if (be) {
		ret = vswap_comp_init(&comp, be->name, level);
		if (ret) {
			vswap_errmsgf(info->extack, NULL,
				      "setting up %s failed (error %d)",
				      be->name, ret);
			goto out_free;
		}
	}
	if (name) {
		tk = vswap_sysfs_tier_create(dev, tier, name);
		if (IS_ERR(tk)) {
			ret = PTR_ERR(tk);
			vswap_errmsgf(info->extack, name_attr,
				      "renaming the tier's sysfs directory failed (error %d)",
				      ret);
			goto out_comp;
		}
	}
	if (be) {
		ret = vswap_dev_set_comp(dev, tier, &comp);
		if (ret) {
			vswap_sysfs_tier_put(tk);
			vswap_comp_destroy(&comp);
			goto out_busy;
		}
	}

	/* ... and apply, which cannot fail. */
	vswap_tier_set_conf(tier, &conf);
	if (name) {
		vswap_dev_set_tier_name(dev, tier, name);
		vswap_sysfs_tier_replace(dev, tk);
	}
	if (state_attr)
		vswap_dev_activate_tier(dev, tier);
	ret = vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
				 info->snd_seq, 0, VSWAP_CMD_TIER_SET);
	mutex_unlock(&vswap_config_lock);
	if (WARN_ON_ONCE(ret)) {
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_busy:
	vswap_errmsgf(info->extack, info->attrs[VSWAP_A_TIER_ALGO] ? :
		      info->attrs[VSWAP_A_TIER_LEVEL],
		      "tier %s holds %lld pages; the algorithm can only change while it is empty",
		      tier->name, atomic64_read(&tier->stats.pages));
	goto out_free;
out_comp:
	vswap_comp_destroy(&comp);
out_free:
	return vswap_nl_end(info, msg, ret);
}
