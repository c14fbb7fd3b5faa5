// SPDX-License-Identifier: GPL-2.0
/*
 * vswap netlink: tiers.  The tier message (the answer to tier-get, -add
 * and -set, and the tier-add-ntf event), finding the tier a request is
 * about and checking a new name, tier-get (and its dump) and tier-del
 * (which asks vswap_dev_tier.c to remove the tier, drain it or cancel
 * its drain).  Adding and configuring tiers is vswap_nl_tier_conf.c.
 */
#include <linux/ctype.h>
#include <linux/string.h>
#include "vswap_netlink.h"

static enum vswap_tier_kind vswap_nl_tier_kind(struct vswap_tier *tier)
{
	switch (tier->id) {
	case VSWAP_TIER_SAME:
		return VSWAP_TIER_KIND_ZERO;
	case VSWAP_TIER_RAM:
		return VSWAP_TIER_KIND_RAM;
	default:
		return VSWAP_TIER_KIND_BLOCK;
	}
}

static const struct vswap_nl_counter vswap_nl_tier_counters[] = {
	VSWAP_TIER_COUNTERS(VSWAP_COUNTER_NL, tier)
};

static const struct vswap_nl_counter vswap_nl_ram_counters[] = {
	VSWAP_RAM_COUNTERS(VSWAP_COUNTER_NL, ram)
};

static int vswap_nl_put_tier_stats(struct sk_buff *skb,
				   struct vswap_tier *tier)
{
	struct vswap_ram_stats *ram = NULL;
	struct nlattr *nest;

	if (tier->id == VSWAP_TIER_RAM)
		ram = vswap_tier_ram_stats(tier);
	nest = nla_nest_start(skb, VSWAP_A_TIER_STATS);
	if (!nest)
		return -EMSGSIZE;
	/* The RAM tier's counters are 0 on the others. */
	if (vswap_nl_put_counters(skb, &tier->stats, vswap_nl_tier_counters,
				  ARRAY_SIZE(vswap_nl_tier_counters)) ||
	    vswap_nl_put_counters(skb, ram, vswap_nl_ram_counters,
				  ARRAY_SIZE(vswap_nl_ram_counters)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_STORED_BYTES,
			      tier->ops->used_bytes(tier))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int vswap_nl_put_tier_ids(struct sk_buff *skb, struct vswap_dev *dev,
			  unsigned int id, const char *name)
{
	if (nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
	    nla_put_u32(skb, VSWAP_A_TIER_ID, id) ||
	    nla_put_string(skb, VSWAP_A_TIER_NAME, name))
		return -EMSGSIZE;
	return 0;
}

/* Settings of the RAM and backing tiers. */
static int vswap_nl_put_tier_conf(struct sk_buff *skb, struct vswap_tier *tier)
{
	if (nla_put_u64_64bit(skb, VSWAP_A_TIER_LIMIT, tier->conf.limit,
			      VSWAP_A_PAD) ||
	    nla_put_u64_64bit(skb, VSWAP_A_TIER_LIMIT_AUTO,
			      READ_ONCE(tier->auto_limit), VSWAP_A_PAD) ||
	    nla_put_u32(skb, VSWAP_A_TIER_HIGH_WMARK, tier->conf.high_wmark) ||
	    nla_put_u32(skb, VSWAP_A_TIER_LOW_WMARK, tier->conf.low_wmark) ||
	    nla_put_u32(skb, VSWAP_A_TIER_IDLE_AGE, tier->conf.idle_age))
		return -EMSGSIZE;
	return 0;
}

static int vswap_nl_put_tier_ram(struct sk_buff *skb, struct vswap_tier *tier)
{
	const struct vswap_backend *be;
	int level;

	be = vswap_tier_ram_backend(tier, &level);
	if (nla_put_u32(skb, VSWAP_A_TIER_ALGO, vswap_nl_algo(be)) ||
	    nla_put_u32(skb, VSWAP_A_TIER_LEVEL, level))
		return -EMSGSIZE;
	return vswap_nl_put_tier_conf(skb, tier);
}

static int vswap_nl_put_tier_block(struct sk_buff *skb,
				   struct vswap_tier *tier)
{
	if (nla_put_u32(skb, VSWAP_A_TIER_CLASS,
			vswap_tier_backed_class(tier)) ||
	    nla_put_string(skb, VSWAP_A_TIER_PATH,
			   vswap_tier_backed_path(tier)) ||
	    nla_put_u64_64bit(skb, VSWAP_A_TIER_CAPACITY,
			      vswap_tier_backed_capacity(tier), VSWAP_A_PAD))
		return -EMSGSIZE;
	return vswap_nl_put_tier_conf(skb, tier);
}

static u32 vswap_nl_tier_state(struct vswap_tier *tier)
{
	switch (atomic_read(&tier->state)) {
	case VSWAP_TIER_RUN_DRAINING:
		return VSWAP_TIER_STATE_DRAINING;
	case VSWAP_TIER_RUN_DEGRADED:
		return VSWAP_TIER_STATE_DEGRADED;
	}
	if (vswap_tier_full(tier) ||
	    (vswap_tier_is_backed(tier) && !vswap_tier_takes_slots(tier)))
		return VSWAP_TIER_STATE_FULL;
	return VSWAP_TIER_STATE_ACTIVE;
}

/* A tier message: the reply to tier-get, -add and -set, and tier-add-ntf. */
int vswap_nl_fill_tier(struct sk_buff *skb, struct vswap_dev *dev,
		       struct vswap_tier *tier, u32 portid, u32 seq,
		       int flags, u8 cmd)
{
	enum vswap_tier_kind kind = vswap_nl_tier_kind(tier);
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	hdr = genlmsg_put(skb, portid, seq, &vswap_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (vswap_nl_put_tier_ids(skb, dev, tier->id, tier->name) ||
	    nla_put_u32(skb, VSWAP_A_TIER_KIND, kind) ||
	    nla_put_u32(skb, VSWAP_A_TIER_STATE, vswap_nl_tier_state(tier)) ||
	    (kind == VSWAP_TIER_KIND_RAM && vswap_nl_put_tier_ram(skb, tier)) ||
	    (kind == VSWAP_TIER_KIND_BLOCK &&
	     vswap_nl_put_tier_block(skb, tier)) ||
	    nla_put_u32(skb, VSWAP_A_TIER_PRIORITY, tier->conf.priority) ||
	    vswap_nl_put_tier_stats(skb, tier)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Request helpers */

static struct vswap_tier *vswap_nl_tier_by_name(struct vswap_dev *dev,
						const char *name)
{
	unsigned int i;

	lockdep_assert_held(&vswap_config_lock);
	for (i = 0; i < dev->space.nr_tiers; i++) {
		struct vswap_tier *tier = dev->space.tiers[i];

		if (tier && !strcmp(tier->name, name))
			return tier;
	}
	return NULL;
}

/*
 * The tier a request is about: by id, else by name.  With @rename (tier
 * set) a name next to an id is the new name; otherwise both must agree.
 */
struct vswap_tier *vswap_nl_tier(struct vswap_dev *dev,
				 struct genl_info *info, bool rename)
{
	struct nlattr *id_attr = info->attrs[VSWAP_A_TIER_ID];
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct vswap_tier *tier;

	if (!id_attr && !name_attr) {
		GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_ID);
		NL_SET_ERR_MSG(info->extack,
			       "give the tier by id (VSWAP_A_TIER_ID) or by name (VSWAP_A_TIER_NAME)");
		return ERR_PTR(-EINVAL);
	}
	if (id_attr) {
		u32 id = nla_get_u32(id_attr);

		tier = dev->space.tiers[id];
		if (!tier) {
			vswap_errmsgf(info->extack, id_attr,
				      "vswap%d has no tier %u", dev->id, id);
			return ERR_PTR(-ENOENT);
		}
		if (name_attr && !rename &&
		    strcmp(tier->name, nla_data(name_attr))) {
			vswap_errmsgf(info->extack, name_attr,
				      "tier %u of vswap%d is named %s, not %s",
				      id, dev->id, tier->name,
				      (char *)nla_data(name_attr));
			return ERR_PTR(-EINVAL);
		}
		return tier;
	}
	tier = vswap_nl_tier_by_name(dev, nla_data(name_attr));
	if (!tier) {
		vswap_errmsgf(info->extack, name_attr,
			      "vswap%d has no tier named %s", dev->id,
			      (char *)nla_data(name_attr));
		return ERR_PTR(-ENOENT);
	}
	return tier;
}

/* A new tier name: letters, digits, '-', '_', '.'; unique in the device. */
int vswap_nl_check_name(struct vswap_dev *dev, const char *name,
			struct vswap_tier *self,
			const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	struct vswap_tier *other;
	const char *c;

	if (!*name) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a tier name must not be empty");
		return -EINVAL;
	}
	for (c = name; *c; c++) {
		if (!isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
			break;
	}
	if (*c || *name == '.') {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a tier name may hold only letters, digits, '-', '_' and '.', and must not start with '.'");
		return -EINVAL;
	}
	/* The zero tier's sysfs directory. */
	if (!strcmp(name, "same")) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the tier name \"same\" is reserved (sysfs name of the zero tier)");
		return -EINVAL;
	}
	other = vswap_nl_tier_by_name(dev, name);
	if (other && other != self) {
		vswap_errmsgf(extack, attr, "vswap%d already has a tier named %s",
			      dev->id, name);
		return -EEXIST;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Handlers */

int vswap_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	dev = vswap_nl_begin(info, &msg);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	tier = vswap_nl_tier(dev, info, false);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_free;
	}
	ret = vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
				 info->snd_seq, 0, VSWAP_CMD_TIER_GET);
	if (ret)
		ret = vswap_nl_reply_too_big(info);
out_free:
	return vswap_nl_end(info, msg, ret);
}

/*
 * Tier dump: every device's tiers, or one device's (VSWAP_A_DEV_ID).
 * cb->args[0]: the next device id, [1]: the next tier id, [2]: one past
 * the last device id, [3]: set after the first call.
 */
int vswap_nl_tier_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vswap_dump_attrs(cb);

	cb->args[0] = 0;
	cb->args[2] = VSWAP_MAX_DEVICES;
	if (attrs && attrs[VSWAP_A_DEV_ID]) {
		cb->args[0] = nla_get_u32(attrs[VSWAP_A_DEV_ID]);
		cb->args[2] = cb->args[0] + 1;
	}
	return 0;
}

int vswap_nl_tier_get_dumpit(struct sk_buff *skb,
			     struct netlink_callback *cb)
{
	unsigned int id = cb->args[0], t = cb->args[1];
	int ret;

	mutex_lock(&vswap_config_lock);
	/*
	 * An unknown device is refused here, not in ->start: 6.1 gives
	 * ->start no extack.  Later calls just end if it went away.
	 */
	if (!cb->args[3] && cb->args[2] == id + 1 && !vswap_devices[id]) {
		vswap_errmsgf(cb->extack, NULL, "no device vswap%u", id);
		ret = -ENODEV;
		goto out_unlock;
	}
	cb->args[3] = 1;
	for (; id < cb->args[2]; id++, t = 0) {
		struct vswap_dev *dev = vswap_devices[id];

		if (!dev)
			continue;
		for (; t < dev->space.nr_tiers; t++) {
			struct vswap_tier *tier = dev->space.tiers[t];

			if (!tier)
				continue;
			if (vswap_nl_fill_tier(skb, dev, tier,
					       NETLINK_CB(cb->skb).portid,
					       cb->nlh->nlmsg_seq, NLM_F_MULTI,
					       VSWAP_CMD_TIER_GET))
				goto out;
		}
	}
out:
	cb->args[0] = id;
	cb->args[1] = t;
	ret = skb->len;
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}

int vswap_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	int ret;

	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	tier = vswap_nl_tier(dev, info, false);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_unlock;
	}
	if (info->attrs[VSWAP_A_TIER_CANCEL]) {
		if (info->attrs[VSWAP_A_TIER_DRAIN]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VSWAP_A_TIER_CANCEL],
					    "drain and cancel exclude each other: cancel stops a running drain");
			ret = -EINVAL;
			goto out_unlock;
		}
		ret = vswap_dev_cancel_drain(dev, tier, info->extack);
		goto out_unlock;
	}
	if (tier->id == VSWAP_TIER_SAME) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_ID] ? :
				    info->attrs[VSWAP_A_TIER_NAME],
				    "the zero tier is built in; it cannot be removed");
		ret = -EOPNOTSUPP;
		goto out_unlock;
	}
	ret = vswap_dev_del_tier(dev, tier, !!info->attrs[VSWAP_A_TIER_DRAIN],
				 info->extack);
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}
