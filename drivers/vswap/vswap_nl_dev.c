// SPDX-License-Identifier: GPL-2.0
/*
 * vswap netlink: devices.  dev-get (and its dump), dev-add and dev-del,
 * and the device message they answer with (also the dev-add-ntf event).
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "vswap_netlink.h"

static const struct vswap_nl_counter vswap_nl_space_counters[] = {
	VSWAP_SPACE_COUNTERS(VSWAP_COUNTER_NL, space)
};

/* The device's counters, and its tiers' pages and bytes summed up. */
static int vswap_nl_put_dev_stats(struct sk_buff *skb, struct vswap_dev *dev)
{
	u64 pages = 0, orig = 0, stored = 0;
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < dev->space.nr_tiers; i++) {
		struct vswap_tier *tier = dev->space.tiers[i];

		if (!tier)
			continue;
		pages += atomic64_read(&tier->stats.pages);
		orig += atomic64_read(&tier->stats.orig_bytes);
		stored += tier->ops->used_bytes(tier);
	}
	nest = nla_nest_start(skb, VSWAP_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (vswap_nl_put_stat(skb, VSWAP_STATS_A_PAGES, pages) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_ORIG_BYTES, orig) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_STORED_BYTES, stored) ||
	    vswap_nl_put_counters(skb, &dev->space.stats,
				  vswap_nl_space_counters,
				  ARRAY_SIZE(vswap_nl_space_counters))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int vswap_nl_put_dev_ids(struct sk_buff *skb, struct vswap_dev *dev)
{
	if (nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
	    nla_put_string(skb, VSWAP_A_DEV_NAME, dev->disk->disk_name))
		return -EMSGSIZE;
	return 0;
}

/* A device message: the reply to dev-get and dev-add, and dev-add-ntf. */
int vswap_nl_fill_dev(struct sk_buff *skb, struct vswap_dev *dev,
		      u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	hdr = genlmsg_put(skb, portid, seq, &vswap_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (vswap_nl_put_dev_ids(skb, dev) ||
	    nla_put_u64_64bit(skb, VSWAP_A_DEV_SIZE, dev->size, VSWAP_A_PAD) ||
	    nla_put_u8(skb, VSWAP_A_DEV_IN_USE, vswap_dev_in_use(dev)) ||
	    nla_put_u64_64bit(skb, VSWAP_A_DEV_META_BYTES,
			      vswap_table_meta_bytes(&dev->space.table),
			      VSWAP_A_PAD) ||
	    vswap_nl_put_dev_stats(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vswap_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	dev = vswap_nl_begin(info, &msg);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ret = vswap_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
				VSWAP_CMD_DEV_GET);
	if (ret)
		ret = vswap_nl_reply_too_big(info);
	return vswap_nl_end(info, msg, ret);
}

/* cb->args[0]: the next device id. */
int vswap_nl_dev_get_dumpit(struct sk_buff *skb,
			    struct netlink_callback *cb)
{
	unsigned int id;

	mutex_lock(&vswap_config_lock);
	for (id = cb->args[0]; id < VSWAP_MAX_DEVICES; id++) {
		struct vswap_dev *dev = vswap_devices[id];

		if (!dev)
			continue;
		if (vswap_nl_fill_dev(skb, dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      VSWAP_CMD_DEV_GET))
			break;
	}
	mutex_unlock(&vswap_config_lock);
	cb->args[0] = id;
	return skb->len;
}

/* "vswapN", N a decimal 0..31 without leading zeros: N, else -EINVAL. */
static int vswap_nl_parse_dev_name(const char *name)
{
	const char *c;
	unsigned int id;

	if (strncmp(name, "vswap", 5) || !name[5] ||
	    (name[5] == '0' && name[6]))
		return -EINVAL;
	for (c = name + 5; *c; c++)
		if (!isdigit(*c))
			return -EINVAL;
	if (kstrtouint(name + 5, 10, &id) || id >= VSWAP_MAX_DEVICES)
		return -EINVAL;
	return id;
}

int vswap_nl_dev_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[VSWAP_A_DEV_NAME];
	const struct vswap_backend *be;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	const char *algo;
	int id = -1;
	int level;
	u64 size;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_DEV_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "the device size (VSWAP_A_DEV_SIZE) is missing");
		return -EINVAL;
	}
	/* The policy checked the range; a 4 KiB multiple of 1M is >= 1M. */
	size = round_down(nla_get_u64(info->attrs[VSWAP_A_DEV_SIZE]),
			  PAGE_SIZE);
	if (name) {
		id = vswap_nl_parse_dev_name(nla_data(name));
		if (id < 0) {
			NL_SET_ERR_MSG_ATTR(info->extack, name,
					    "a device name must be vswapN, N from 0 to 31");
			return -EINVAL;
		}
	}
	algo = vswap_default_algo(&level);
	ret = vswap_nl_parse_algo(info, vswap_backend_find(algo), level, &be,
				  &level);
	if (ret)
		return ret;

	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_dev_add(id, size, be->name, level);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		if (ret == -EEXIST)
			vswap_errmsgf(info->extack, name, "vswap%d already exists",
				      id);
		else if (ret == -ENOSPC)
			vswap_errmsgf(info->extack, NULL,
				      "all %d devices are in use",
				      VSWAP_MAX_DEVICES);
		else if (ret == -ESHUTDOWN)
			NL_SET_ERR_MSG(info->extack, "vswap is being unloaded");
		else
			vswap_errmsgf(info->extack, NULL,
				      "creating the device failed (error %d)",
				      ret);
		goto out_free;
	}
	ret = vswap_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
				VSWAP_CMD_DEV_ADD);
	mutex_unlock(&vswap_config_lock);
	/* Cannot fail: NLMSG_GOODSIZE holds a device. */
	if (WARN_ON_ONCE(ret)) {
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_free:
	return vswap_nl_end(info, msg, ret);
}

int vswap_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_dev *dev;
	int ret = 0;

	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	ret = vswap_dev_claim(dev);
	if (ret) {
		vswap_errmsgf(info->extack, info->attrs[VSWAP_A_DEV_ID],
			      "vswap%d is in use (swapped on or open); swapoff first",
			      dev->id);
		goto out_unlock;
	}
	vswap_dev_remove(dev);
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}
